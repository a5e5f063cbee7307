import { Prisma, deferStatement, queryBatch, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { BPS } from '../shared/money.ts';
import { localParts } from '../shared/time.ts';
import { effectiveBenefitsOf, recordBenefitUsage } from '../benefits/index.ts';
import { redeemOrderCoupons } from '../coupons/index.ts';
import { changeGrowthSql, GrowthKind } from '../growth/index.ts';
import { requestHash } from '../idempotency/index.ts';
import { lockByUnionIdSql, lockedMemberId, memberIdByUnionIdSql, OPENID_PREFIX, resolveMemberId } from '../identities/index.ts';
import { getMemberView, memberViewOf, memberViewSql } from '../members/index.ts';
import { creditPointsSql, orderEarnPoints, pointsEarnedEvent, PointsKind, purchaseGrowth } from '../points/index.ts';
import { getProgram } from '../program/index.ts';
import { activePlanOf, activePlanSql } from '../plans/index.ts';
import { requestedStoreId } from '../stores/index.ts';
import { completeReferral, countTaskEventSql, FIRST_ORDER_TASK, qualifiesForReferral, referralStateSql, rewardTaskCompletions } from '../tasks/index.ts';
import { applyUpgrade, getLadder } from '../tiers/index.ts';
import { emitEvents, type OutboxEventInput } from '../webhooks/index.ts';
import { toOrderRef } from './order-dto.ts';
import type { CreateOrderInput, CreateOrderResult } from './orders.contract.ts';

/** The first-order task's ledger key: once per member. */
export const FIRST_ORDER_KEY = FIRST_ORDER_TASK;

/**
 * Order intake, one transaction at event time `completedAt` (default now), idempotent by
 * (store, externalId): the same body again → 200 with the first response; another body → 409.
 * Points = floor(amount units × earn.pointsPerUnit × tier multiplier × member-day multiplier)
 * (none for a flagged member); growth = floor(amount units × growthRules.purchasePerUnit);
 * the member's first order adds the first-order task points. Then the upgrade rule, the
 * registered order hooks, and order.completed / points.earned in the outbox.
 */
export async function createOrder(
  tx: Tx,
  ctx: TenantContext,
  input: CreateOrderInput,
): Promise<{ status: 200 | 201; body: CreateOrderResult }> {
  const store = requestedStoreId(ctx, input.storeId, true);
  const storeId = store.id!;
  const hash = requestHash('POST', '/v1/orders', { ...input, storeId });
  const now = new Date();
  const checkStore = store.verify ? storeId : null;
  // The intake read, after the lock (so it sees every committed order of this member): the
  // idempotency check, the flag, the referral state, the tier and the plan in force. Every
  // table is tied to m.tenant_id in scalar subqueries (no outer join on a separate tenant
  // parameter), so a database sharded by tenant_id runs it on the member's shard.
  const stateSql = (member: Prisma.Sql) => Prisma.sql`
    SELECT m.id, m.flagged, m.tier_code, m.trial_until, m.growth,
           ${referralStateSql()},
           ${activePlanSql(Prisma.sql`m.tenant_id`, Prisma.sql`m.id`, now)} AS plan,
           (SELECT x.request_hash FROM orders x WHERE x.tenant_id = m.tenant_id AND x.store_id = ${storeId} AND x.external_id = ${input.externalId}) AS existing_hash,
           (SELECT x.response FROM orders x WHERE x.tenant_id = m.tenant_id AND x.store_id = ${storeId} AND x.external_id = ${input.externalId}) AS existing_response
    FROM members m
    WHERE m.tenant_id = ${ctx.tenantId} AND m.id = ${member}`;
  let memberId: string;
  let rows: Record<string, unknown>[];
  if (input.member.startsWith(OPENID_PREFIX)) {
    memberId = await resolveMemberId(tx, ctx, { ref: input.member, storeId }, { forUpdate: true, checkStore });
    rows = await tx.$queryRaw<Record<string, unknown>[]>(stateSql(Prisma.sql`${memberId}`));
  } else {
    // The lock (with the store's existence checked) and the read in one round trip: two
    // statements, so the read's snapshot is taken after the lock is held.
    const [locked, read] = await queryBatch(tx, [lockByUnionIdSql(ctx, input.member, checkStore), stateSql(memberIdByUnionIdSql(ctx, input.member))]);
    memberId = await lockedMemberId(tx, ctx, locked![0] as { id: string } | undefined, checkStore);
    rows = read!;
  }
  const [state] = rows as {
    id: string;
    flagged: boolean;
    inviter_id: string | null;
    referral_done: boolean;
    tier_code: string;
    trial_until: Date | null;
    growth: number;
    plan: unknown;
    existing_hash: string | null;
    existing_response: unknown;
  }[];
  if (!state || state.id !== memberId) throw new AppError('not_found', 'Member not found');
  if (state.existing_hash !== null) return replay({ requestHash: state.existing_hash, response: state.existing_response }, hash);

  const at = input.completedAt ? new Date(input.completedAt) : now;
  const [program, ladder] = await Promise.all([getProgram(tx, ctx), getLadder(tx, ctx)]);
  const benefits = effectiveBenefitsOf(ladder.find((t) => t.code === state.tier_code) ?? null, activePlanOf(state.plan)?.plan ?? null, program);
  const member = { flagged: state.flagged };
  const memberDay = benefits.memberDay;
  const isMemberDay = !!memberDay && memberDay.weekdays.includes(localParts(at, program.timezone).weekday);
  const earned = member.flagged
    ? 0
    : orderEarnPoints(
        input.amountCents,
        program.earn.pointsPerUnit,
        benefits.pointsMultiplierBps ?? BPS,
        isMemberDay ? memberDay.pointsMultiplierBps : BPS,
      );
  const growth = purchaseGrowth(input.amountCents, program.growthRules.purchasePerUnit);

  const orderId = newId('ord');
  // One round trip: the order, its credits and growth, and the member view after them. ON
  // CONFLICT DO NOTHING: a concurrent intake of the same order for another member ref waits on
  // the unique index and then finds the winner's row; the credits and growth depend on this
  // order's row existing, so nothing else is written then.
  const placed = Prisma.sql`EXISTS (SELECT 1 FROM orders WHERE tenant_id = ${ctx.tenantId} AND id = ${orderId})`;
  const base = { memberId, storeId, at, program, reference: input.externalId };
  const credit = earned > 0 ? creditPointsSql(ctx, { ...base, points: earned, kind: PointsKind.OrderEarn, reason: 'order', idempotencyKey: orderId }, placed) : null;
  // The tasks the order counts for (the built-in first-order task among them), in one
  // statement of this round trip whatever their number; a completed window is rewarded below.
  const tasks = countTaskEventSql(ctx, program, { memberId, event: 'order_completed', source: orderId, at, amountCents: input.amountCents }, placed);
  const growthChange =
    growth > 0
      ? changeGrowthSql(ctx, { memberId, storeId, at, delta: growth, kind: GrowthKind.Purchase, reason: 'order', reference: input.externalId, idempotencyKey: orderId }, placed)
      : null;
  const statements = [
    Prisma.sql`
      INSERT INTO orders (tenant_id, id, store_id, external_id, member_id, amount_cents, completed_at, status, items, coupon_codes, applied_benefits,
                          request_hash, points_earned, bonus_points, growth_earned, response)
      VALUES (${ctx.tenantId}, ${orderId}, ${storeId}, ${input.externalId}, ${memberId}, ${input.amountCents}::int, ${at}::timestamptz, 'completed',
              ${JSON.stringify(input.items ?? [])}::jsonb, ${JSON.stringify(input.couponCodes ?? [])}::jsonb, ${JSON.stringify(input.appliedBenefits ?? [])}::jsonb,
              ${hash}, ${earned}::int, 0, ${growth}::int, '{}'::jsonb)
      ON CONFLICT DO NOTHING
      RETURNING id`,
    ...(credit ? credit.statements : []),
    ...(growthChange ? growthChange.statements : []),
    tasks.sql,
    memberViewSql(ctx, memberId, { program, ladder }),
  ];
  const results = await queryBatch(tx, statements);
  if (results[0]!.length === 0) {
    const winner = await tx.order.findUniqueOrThrow({
      where: { tenantId_storeId_externalId: { tenantId: ctx.tenantId, storeId, externalId: input.externalId } },
      select: { requestHash: true, response: true },
    });
    return replay(winner, hash);
  }
  let next = 1;
  let balance: number | null = null;
  if (credit) {
    next += credit.statements.length;
    balance = credit.result(results[next - 1]!).balanceAfter;
  }
  let growthValue: number | null = null;
  if (growthChange) {
    next += growthChange.statements.length;
    growthValue = growthChange.result(results[next - 1]!).value;
  }
  // Task windows this order completed: rewarded once each (one more round trip, only then).
  const rewards = await rewardTaskCompletions(tx, ctx, tasks.result(results[next++]!), { memberId, storeId, at, program, reference: input.externalId });
  const bonus = rewards.points;
  if (rewards.balance !== null) balance = rewards.balance;
  if (rewards.growthValue !== null) growthValue = rewards.growthValue;
  let upgraded = null;
  if (growthValue !== null) {
    upgraded = await applyUpgrade(tx, ctx, memberId, {
      at,
      reason: 'order',
      known: { tierCode: state.tier_code, trialUntil: state.trial_until, growth: growthValue },
    });
  }
  // The invitee's first qualifying order completes their referral (rewards to both; rare, so
  // its statements run only then).
  let referred = false;
  if (state.inviter_id && !state.referral_done && qualifiesForReferral(program, input.amountCents)) {
    referred = await completeReferral(tx, ctx, { inviteeId: memberId, inviterId: state.inviter_id, orderId, storeId, at, program });
  }
  const viewRows = results[next]!;
  const order = {
    id: orderId,
    storeId,
    externalId: input.externalId,
    memberId,
    amountCents: input.amountCents,
    refundedCents: 0,
    completedAt: at,
    status: 'completed',
    couponCodes: input.couponCodes ?? [],
    appliedBenefits: input.appliedBenefits ?? [],
  };
  // Checkout, inside the order's transaction with the member lock held: the order's coupons
  // are used once (422 coupon_not_applicable refuses the whole order) and its applied benefits
  // recorded for analytics.
  const items = input.items;
  await redeemOrderCoupons(tx, ctx, {
    orderId,
    memberId,
    couponCodes: input.couponCodes ?? [],
    itemsTotalCents: items?.length ? items.reduce((s, i) => s + i.priceCents * i.quantity, 0) : null,
    at,
  });
  await recordBenefitUsage(tx, ctx, { orderId, memberId, applied: input.appliedBenefits ?? [], at });

  // Both events in one INSERT, in this order.
  const events: OutboxEventInput[] = [
    {
      type: 'order.completed',
      memberId,
      data: {
        orderId,
        externalId: input.externalId,
        storeId,
        memberId,
        amountCents: input.amountCents,
        completedAt: at.toISOString(),
        pointsAwarded: earned,
        growthAwarded: growth,
      },
    },
  ];
  if (earned + bonus > 0) {
    events.push(
      pointsEarnedEvent(memberId, earned + bonus, balance, {
        orderPoints: earned,
        bonusPoints: bonus,
        source: 'order',
        orderId,
        externalId: input.externalId,
      }),
    );
  }
  await emitEvents(tx, ctx, events);
  const body: CreateOrderResult = {
    order: toOrderRef(order),
    pointsAwarded: earned,
    bonusPointsAwarded: bonus,
    growthAwarded: growth,
    // Read with the writes; again only when a task reward, the upgrade rule or a referral
    // changed the member after that read (hooks do not touch it).
    member:
      upgraded || rewards.completed.length > 0 || referred ? await getMemberView(tx, ctx, memberId) : await memberViewOf(tx, ctx, viewRows, { program, ladder }),
  };
  // Stored for replays (and the task points in bonus_points); sent with the COMMIT.
  await deferStatement(
    tx,
    Prisma.sql`UPDATE orders SET response = ${JSON.stringify(body)}::jsonb, bonus_points = ${bonus}::int WHERE tenant_id = ${ctx.tenantId} AND id = ${orderId}`,
  );
  return { status: 201, body };
}

function replay(existing: { requestHash: string; response: unknown }, hash: string): { status: 200; body: CreateOrderResult } {
  if (existing.requestHash !== hash)
    throw new AppError('idempotency_conflict', 'This externalId was already reported with a different body');
  return { status: 200, body: existing.response as CreateOrderResult };
}
