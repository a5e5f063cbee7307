export interface OrderRow {
  id: string;
  storeId: string;
  externalId: string;
  memberId: string;
  amountCents: number;
  refundedCents: number;
  completedAt: Date;
  status: string;
}

export function toOrderRef(o: OrderRow) {
  return {
    id: o.id,
    externalId: o.externalId,
    status: o.status as 'completed' | 'partially_refunded' | 'refunded',
    storeId: o.storeId,
    amountCents: o.amountCents,
    refundedCents: o.refundedCents,
    completedAt: o.completedAt.toISOString(),
  };
}
