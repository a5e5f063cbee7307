import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';

/**
 * Order intake hook: records each benefit the storefront says it applied to the order
 * (`appliedBenefits: [{kind, amountCents}]`), one row per use, for benefit-usage analytics.
 */
export async function recordBenefitUsage(tx: Tx, ctx: TenantContext, input: { orderId: string; memberId: string; applied: { kind: string; amountCents: number }[]; at: Date }): Promise<number> {
  if (!input.applied.length) return 0;
  const r = await tx.benefitUsage.createMany({
    data: input.applied.map((b) => ({ tenantId: ctx.tenantId, id: newId('bus'), memberId: input.memberId, orderId: input.orderId, kind: b.kind, amountCents: BigInt(b.amountCents), createdAt: input.at })),
  });
  return r.count;
}
