import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import type { CreateOrderInput, CreateRefundInput } from './orders.contract.ts';

export interface OrderRow {
  id: string;
  storeId: string;
  externalId: string;
  memberId: string;
  amountCents: number;
  refundedCents: number;
  completedAt: Date;
  status: string;
  couponCodes: unknown;
  appliedBenefits: unknown;
}

/**
 * Extension points of order intake: other modules (coupon redemption, benefit usage) register
 * a hook that runs inside the order's transaction, after the ledger writes, with the member
 * lock held. A hook that throws rolls the whole order back.
 */
export interface OrderCompletedHook {
  (tx: Tx, ctx: TenantContext, event: { order: OrderRow; input: CreateOrderInput; at: Date }): Promise<void>;
}
export interface OrderRefundedHook {
  (
    tx: Tx,
    ctx: TenantContext,
    event: { order: OrderRow; refund: CreateRefundInput & { id: string }; fullyRefunded: boolean },
  ): Promise<void>;
}

export const completedHooks: OrderCompletedHook[] = [];
export const refundedHooks: OrderRefundedHook[] = [];

export function registerOrderCompletedHook(hook: OrderCompletedHook): void {
  completedHooks.push(hook);
}
export function registerOrderRefundedHook(hook: OrderRefundedHook): void {
  refundedHooks.push(hook);
}
