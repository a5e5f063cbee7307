import { z } from '../shared/zod.ts';
import { EVENT_TYPES, type EventType } from './emit-event.ts';

/**
 * The payload of every event type: the `data` of the envelope each delivery's body is
 * ({id, type, tenantId, createdAt, data}), published in the OpenAPI document's `webhooks`, and a
 * sample of each (what `POST /v1/webhooks/:id/test` sends). The emitters are in their modules;
 * `webhooks.int.test.ts` checks that what they emit parses with these schemas.
 */
const memberId = z.string().describe('Member id `mem_…`');
const int = () => z.number().int();

export const EVENT_DATA_SCHEMAS = {
  'member.created': z
    .object({
      memberId,
      unionId: z.string().describe('The unionId enrolled'),
      tier: z.string().describe('The tier code the member starts on'),
    })
    .describe('A member was enrolled'),
  'member.tier_changed': z
    .object({
      memberId,
      from: z.string().nullable().describe('Tier code before (null at enrolment)'),
      to: z.string().describe('Tier code after'),
      reason: z.string().describe('Why: `upgrade`, `retention`, `manual`, `ladder_changed`, `trial`, `merge`, …'),
      at: z.string().describe('When the move took effect (RFC 3339)'),
    })
    .passthrough()
    .describe('A member moved to another tier'),
  'member.tier_at_risk': z
    .object({
      memberId,
      tier: z.string().describe('The tier code the member is on'),
      wouldDropTo: z.string().describe('The tier code they drop to at the period end unless they catch up'),
      periodEnd: z.string().describe('Last local day of the retention period (YYYY-MM-DD)'),
      spendCents: int().describe('Spend completed in the period so far, in cents'),
      growthEarned: int().describe('Growth earned in the period so far'),
      shortfall: z
        .object({
          spendCents: int().optional().describe('Spend still missing, in cents'),
          growth: int().optional().describe('Growth still missing'),
        })
        .describe('What is missing to keep the tier'),
    })
    .describe(
      'A member will lose their tier at the period end unless they catch up (once per period, `retention.warnDays` before its end)',
    ),
  'points.earned': z
    .object({
      memberId,
      points: int().describe('Points credited'),
      balance: int().nullable().describe('Balance after'),
      source: z.string().describe('What earned them: `order`, `activity`, `check_in`, `birthday`, `adjust`, `keep_tier_gift`, …'),
    })
    .passthrough()
    .describe('Points were credited; details of the source (orderId, externalId, orderPoints, bonusPoints, reason …) ride along'),
  'points.redeemed': z
    .object({
      memberId,
      points: int().describe('Points spent'),
      balance: int().describe('Balance after'),
      reference: z.string().nullable().describe('The redemption’s reference'),
      orderExternalId: z.string().nullable().optional().describe('The order paid with them, if any'),
      storeId: z.string().nullable().optional().describe('Store of the redemption'),
      reward: z.string().optional().describe('Reward code, for a points-mall exchange'),
    })
    .describe('Points were spent (a redemption or a reward exchange)'),
  'points.expiring': z
    .object({
      memberId,
      points: int().describe('Points that will expire'),
      lots: z
        .array(
          z.object({
            id: z.string().describe('Lot id'),
            points: int().describe('Points of the lot left'),
            expiresAt: z.string().describe('When it expires (RFC 3339)'),
          }),
        )
        .describe('The lots, soonest first'),
      earliestExpiresAt: z.string().describe('The first expiry (RFC 3339)'),
    })
    .describe('Points will expire soon (a notice, once per lot)'),
  'points.expired': z
    .object({
      memberId,
      points: int().describe('Points that expired'),
      balance: int().describe('Balance after'),
      lots: z.array(z.string()).describe('Ids of the lots that expired'),
    })
    .describe('Points expired'),
  'coupon.issued': z
    .object({
      memberId,
      couponId: z.string().describe('Coupon id'),
      code: z.string().describe('The coupon’s code'),
      template: z.string().describe('Template code'),
      source: z.string().describe('How: `manual`, `exchange`, `birthday`, `upgrade`, …'),
      expiresAt: z.string().describe('When it stops being usable (RFC 3339)'),
    })
    .describe('A coupon was issued to a member'),
  'order.completed': z
    .object({
      orderId: z.string().describe('Order id `ord_…`'),
      externalId: z.string().describe('Your order number'),
      storeId: z.string().describe('Store id `sto_…`'),
      memberId,
      amountCents: int().describe('Paid goods amount in cents'),
      completedAt: z.string().describe('When the order completed (RFC 3339)'),
      pointsAwarded: int().describe('Points the purchase earned'),
      growthAwarded: int().describe('Growth the purchase earned'),
    })
    .describe('An order was recorded'),
  'order.refunded': z
    .object({
      orderId: z.string().describe('Order id'),
      externalId: z.string().describe('Your order number'),
      storeId: z.string().describe('Store id'),
      memberId,
      refundId: z.string().describe('Your refund number'),
      amountCents: int().describe('This refund, in cents'),
      refundedCents: int().describe('All refunds of the order so far, in cents'),
      status: z.enum(['partially_refunded', 'refunded']).describe('The order’s refund state after it'),
      pointsClawedBack: int().describe('Points taken back'),
      growthClawedBack: int().describe('Growth taken back'),
      pointsReturned: int().describe('Redeemed points given back'),
    })
    .describe('An order was refunded, in part or in full'),
  'retention.completed': z
    .object({
      runId: z.string().describe('Retention run id'),
      periodStart: z.string().describe('First local day of the period'),
      periodEnd: z.string().describe('Last local day of the period'),
      evaluated: int().describe('Members evaluated'),
      downgraded: int().describe('Members downgraded'),
      protected: int().describe('Members kept by protection'),
    })
    .describe('A retention run finished'),
  'entitlement.granted': z
    .object({
      memberId,
      benefitCode: z.string().describe('The benefit of the catalogue'),
      name: z.string().describe("The benefit's name, as the merchant wrote it"),
      kind: z.string().describe('The benefit kind (`coupon_pack` for a pack)'),
      source: z.enum(['tier', 'plan']).describe('What grants it'),
      count: int().describe('Coupons in the pack'),
      periodStart: z.string().describe('Start of the period the pack is for (RFC 3339)'),
      periodEnd: z.string().describe('End of the period (exclusive, RFC 3339): the coupons expire then at the latest'),
      packId: z.string().describe('The pack id'),
    })
    .describe("A coupon pack of a benefit was issued for the member's current period"),
  'plan.subscribed': z
    .object({
      memberId,
      plan: z.string().describe('Plan code'),
      action: z.enum(['subscribe', 'trial']).describe('A paid subscription or a trial of the plan'),
      status: z.string().describe('The subscription status after it'),
      until: z.string().describe('When the plan ends (RFC 3339)'),
      reference: z.string().nullable().describe('Your payment reference'),
    })
    .describe('A member subscribed to a paid plan'),
  'plan.renewed': z
    .object({
      memberId,
      plan: z.string().describe('Plan code'),
      action: z.literal('renew').describe('Always `renew`'),
      status: z.string().describe('The subscription status after it'),
      until: z.string().describe('The new end (RFC 3339)'),
      reference: z.string().nullable().describe('Your payment reference'),
    })
    .describe('A paid plan was renewed'),
  'plan.cancelled': z
    .object({
      memberId,
      plan: z.string().describe('Plan code'),
      action: z.literal('cancel').describe('Always `cancel`'),
      status: z.string().describe('The subscription status after it'),
      until: z.string().describe('The plan runs until then and does not renew (RFC 3339)'),
      reference: z.string().nullable().describe('Your reference'),
    })
    .describe('A paid plan was cancelled (it keeps running until `until`)'),
  'plan.expiring': z
    .object({
      memberId,
      plan: z.string().describe('Plan code'),
      status: z.string().describe('The subscription status'),
      until: z.string().describe('When it ends (RFC 3339), 7 days after the event'),
    })
    .describe("A member's paid plan ends in 7 days"),
  'task.completed': z
    .object({
      memberId,
      task: z.string().describe('Task code'),
      name: z.string().nullable().describe("The task's name as the merchant wrote it; null for the built-in first-order and profile tasks"),
      windowStart: z.string().describe('First local day of the window (YYYY-MM-DD)'),
      windowEnd: z.string().nullable().describe('First local day after the window (YYYY-MM-DD), null for a once-only task'),
      progress: int().describe('Events counted in the window'),
      target: int().describe('Events the task needs'),
      points: int().describe('Points rewarded'),
      growth: int().describe('Growth rewarded'),
      couponId: z.string().nullable().describe('Coupon rewarded, if any'),
    })
    .describe('A member completed a task window and was rewarded'),
  'referral.completed': z
    .object({
      inviterId: z.string().describe('The inviting member `mem_…`'),
      inviteeId: z.string().describe('The invited member `mem_…`'),
      orderId: z.string().describe("The invitee's qualifying first order `ord_…`"),
      inviterPoints: int().describe('Points to the inviter'),
      inviterGrowth: int().describe('Growth to the inviter'),
      inviteeCouponId: z.string().nullable().describe('Welcome coupon to the invitee, if any'),
    })
    .describe("An invitee's first qualifying order completed the referral"),
  'campaign.application_approved': z
    .object({
      campaign: z.string().describe('Campaign code'),
      applicationId: z.string().describe('Application id'),
      memberId,
      unionId: z.string().describe("The member's unionId"),
    })
    .describe("A member's campaign application was approved"),
} as const satisfies Record<EventType, z.ZodType>;

/** The body of a delivery of one event type. */
export function eventEnvelopeSchema(type: EventType) {
  return z
    .object({
      id: z.string().describe('Event id `evt_…`: the same across retries and replays (deduplicate on it)'),
      type: z.literal(type).describe('The event type (also the `Unionpoint-Event` header)'),
      tenantId: z.string().describe('Your tenant id'),
      createdAt: z.string().describe('When the event happened (RFC 3339)'),
      test: z.literal(true).optional().describe('Present on test events (POST /v1/webhooks/{id}/test): sample data, nothing happened'),
      data: EVENT_DATA_SCHEMAS[type],
    })
    .describe(`The \`${type}\` delivery body`);
}

const SAMPLE_MEMBER = 'mem_sample0000000000000000';
/** A realistic sample of each event's data (test events, documentation examples). */
export const EVENT_SAMPLES: { [K in EventType]: z.infer<(typeof EVENT_DATA_SCHEMAS)[K]> } = {
  'member.created': { memberId: SAMPLE_MEMBER, unionId: 'wx_union_sample', tier: 'bronze' },
  'member.tier_changed': { memberId: SAMPLE_MEMBER, from: 'silver', to: 'gold', reason: 'upgrade', at: '2026-12-02T03:15:00.000Z' },
  'member.tier_at_risk': {
    memberId: SAMPLE_MEMBER,
    tier: 'gold',
    wouldDropTo: 'silver',
    periodEnd: '2026-12-31',
    spendCents: 62000,
    growthEarned: 620,
    shortfall: { spendCents: 38000 },
  },
  'points.earned': { memberId: SAMPLE_MEMBER, points: 257, balance: 1257, source: 'order' },
  'points.redeemed': {
    memberId: SAMPLE_MEMBER,
    points: 500,
    balance: 757,
    reference: 'redeem-SO-0001',
    orderExternalId: 'SO-20261202-0001',
    storeId: 'sto_sample',
  },
  'points.expiring': {
    memberId: SAMPLE_MEMBER,
    points: 120,
    lots: [{ id: 'lot_sample', points: 120, expiresAt: '2026-12-31T16:00:00.000Z' }],
    earliestExpiresAt: '2026-12-31T16:00:00.000Z',
  },
  'points.expired': { memberId: SAMPLE_MEMBER, points: 120, balance: 637, lots: ['lot_sample'] },
  'coupon.issued': {
    memberId: SAMPLE_MEMBER,
    couponId: 'cpn_sample',
    code: 'CPN-SAMPLE-0001',
    template: 'save10',
    source: 'manual',
    expiresAt: '2027-01-01T03:15:00.000Z',
  },
  'order.completed': {
    orderId: 'ord_sample',
    externalId: 'SO-20261202-0001',
    storeId: 'sto_sample',
    memberId: SAMPLE_MEMBER,
    amountCents: 25710,
    completedAt: '2026-12-02T03:15:00.000Z',
    pointsAwarded: 257,
    growthAwarded: 257,
  },
  'order.refunded': {
    orderId: 'ord_sample',
    externalId: 'SO-20261202-0001',
    storeId: 'sto_sample',
    memberId: SAMPLE_MEMBER,
    refundId: 'RF-0001',
    amountCents: 4500,
    refundedCents: 4500,
    status: 'partially_refunded',
    pointsClawedBack: 45,
    growthClawedBack: 45,
    pointsReturned: 0,
  },
  'retention.completed': {
    runId: 'ret_sample',
    periodStart: '2026-10-01',
    periodEnd: '2026-12-31',
    evaluated: 1200,
    downgraded: 84,
    protected: 37,
  },
  'entitlement.granted': {
    memberId: SAMPLE_MEMBER,
    benefitCode: 'plus_free_delivery',
    name: '每月免运费券',
    kind: 'coupon_pack',
    source: 'plan',
    count: 6,
    periodStart: '2026-12-01T00:00:00+08:00',
    periodEnd: '2027-01-01T00:00:00+08:00',
    packId: 'bpk_sample0000000000000000',
  },
  'plan.subscribed': { memberId: SAMPLE_MEMBER, plan: 'plus', action: 'subscribe', status: 'active', until: '2027-12-02T00:00:00.000Z', reference: 'pay_20261202_0001' },
  'plan.renewed': { memberId: SAMPLE_MEMBER, plan: 'plus', action: 'renew', status: 'active', until: '2028-12-02T00:00:00.000Z', reference: 'pay_20271202_0001' },
  'plan.cancelled': { memberId: SAMPLE_MEMBER, plan: 'plus', action: 'cancel', status: 'cancelled', until: '2027-12-02T00:00:00.000Z', reference: null },
  'plan.expiring': { memberId: SAMPLE_MEMBER, plan: 'plus', status: 'active', until: '2026-12-09T00:00:00.000Z' },
  'task.completed': { memberId: SAMPLE_MEMBER, task: 'weekly_orders', name: '每周下单 3 次', windowStart: '2026-11-30', windowEnd: '2026-12-07', progress: 3, target: 3, points: 200, growth: 50, couponId: null },
  'referral.completed': {
    inviterId: SAMPLE_MEMBER,
    inviteeId: 'mem_sample0000000000000001',
    orderId: 'ord_sample0000000000000000',
    inviterPoints: 300,
    inviterGrowth: 100,
    inviteeCouponId: null,
  },
  'campaign.application_approved': { campaign: 'new_tasting', applicationId: 'cap_sample0000000000000000', memberId: SAMPLE_MEMBER, unionId: 'wx_union_sample' },
};

export { EVENT_TYPES };
