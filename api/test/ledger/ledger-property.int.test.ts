// Random sequences of earn / redeem / refund / adjust / expire against the real database,
// checked step by step against the pure model (PointsModel) and the ledger proof.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError, systemContext } from '@unionpoint/core';
import { lockMember } from '@unionpoint/core/identities';
import { createOrder, refundOrder } from '@unionpoint/core/orders';
import {
  adjustPoints,
  creditPoints,
  expirePoints,
  lotExpiresAt,
  PointsModel,
  redeemPoints,
  refundClawbackStep,
} from '@unionpoint/core/points';
import { startTestApi, type TestApi, type TestTenant } from '../harness.ts';
import { enrol, expectLedgerConsistent, inTenant, patchProgram } from './helpers.ts';

let api: TestApi;
let t: TestTenant;
beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant({ timezone: 'UTC' });
  await patchProgram(api, t, { tasks: { firstOrder: 0 }, expiry: { months: 1 }, refunds: { flagThresholdBps: 10_000 } });
});
afterAll(async () => {
  await expectLedgerConsistent(api, t.id);
  await api.close();
});

type Op =
  | { k: 'earn'; amount: number }
  | { k: 'redeem'; n: number }
  | { k: 'refund'; pick: number; amount: number }
  | { k: 'adjust'; delta: number }
  | { k: 'backdated'; n: number }
  | { k: 'expire' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('earn' as const), amount: fc.integer({ min: 100, max: 4000 }) }),
  fc.record({ k: fc.constant('redeem' as const), n: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ k: fc.constant('refund' as const), pick: fc.nat(), amount: fc.integer({ min: 1, max: 4000 }) }),
  fc.record({ k: fc.constant('adjust' as const), delta: fc.integer({ min: -50, max: 50 }).filter((n) => n !== 0) }),
  fc.record({ k: fc.constant('backdated' as const), n: fc.integer({ min: 1, max: 40 }) }),
  fc.constant({ k: 'expire' as const }),
);

let run = 0;
describe('ledger against the model', () => {
  it('keeps balance = ledger = lots and matches the model after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 14 }), async (ops) => {
        const unionId = `p${run++}`;
        const m = await enrol(api, t, unionId);
        const ctx = systemContext(t.id, 'property');
        const storeId = t.stores[0]!.id;
        const model = new PointsModel();
        const orders: { externalId: string; amount: number; earned: number; refunded: number }[] = [];
        const now = Date.now();
        let step = 0;
        const tx = <T>(fn: Parameters<typeof inTenant<T>>[2]) =>
          inTenant(api, t.id, async (x) => {
            await lockMember(x, ctx, m.id);
            return fn(x);
          });
        for (const op of ops) {
          step++;
          if (op.k === 'earn') {
            const externalId = `${unionId}-o${step}`;
            const completedAt = new Date(now - 10 * 86_400_000 + step * 60_000);
            const r = await tx((x) =>
              createOrder(x, ctx, { externalId, member: unionId, storeId, amountCents: op.amount, completedAt: completedAt.toISOString() }),
            );
            const earned = Math.floor(op.amount / 100);
            expect(r.body.pointsAwarded).toBe(earned);
            if (earned > 0) model.credit(externalId, earned, completedAt.getTime());
            orders.push({ externalId, amount: op.amount, earned, refunded: 0 });
          } else if (op.k === 'redeem') {
            const before = model.balance;
            const r = await tx((x) => redeemPoints(x, ctx, { memberId: m.id }, { points: op.n, reference: `${unionId}-r${step}` })).catch(
              (e: AppError) => e,
            );
            if (op.n > before) expect(r).toMatchObject({ code: 'insufficient_points' });
            else {
              expect(r).toMatchObject({ result: { redeemed: op.n } });
              model.debit(op.n, 'strict');
            }
          } else if (op.k === 'refund') {
            if (orders.length === 0) continue;
            const o = orders[op.pick % orders.length]!;
            const amount = Math.min(op.amount, Math.max(o.amount - o.refunded, 1));
            const r = await tx((x) =>
              refundOrder(x, ctx, o.externalId, { refundId: `${unionId}-f${step}`, amountCents: amount, storeId }),
            ).catch((e: AppError) => e);
            if (o.refunded + amount > o.amount) {
              expect(r).toMatchObject({ code: 'refund_exceeds_order' });
              continue;
            }
            const due = refundClawbackStep(o.earned, o.amount, o.refunded, o.refunded + amount);
            o.refunded += amount;
            expect(r).toMatchObject({ body: { pointsClawedBack: due } });
            if (due > 0) model.debit(due, 'debt', o.externalId);
          } else if (op.k === 'adjust') {
            const before = model.balance;
            const r = await tx((x) => adjustPoints(x, ctx, { memberId: m.id }, { delta: op.delta, reason: 'property' })).catch((e: AppError) => e);
            if (op.delta < 0 && -op.delta > before) expect(r).toMatchObject({ code: 'insufficient_points' });
            else {
              expect(r).toMatchObject({ result: { delta: op.delta } });
              if (op.delta > 0) model.credit(`${unionId}-a${step}`, op.delta, Date.now());
              else model.debit(-op.delta, 'strict');
            }
          } else if (op.k === 'backdated') {
            // A lot earned four months ago: already past its expiry (1 month).
            const at = new Date(now - 120 * 86_400_000 + step * 60_000);
            await tx((x) => creditPoints(x, ctx, { memberId: m.id, points: op.n, kind: 'adjust', reason: 'backdated', at }));
            model.credit(`${unionId}-b${step}`, op.n, at.getTime());
          } else {
            const at = new Date();
            await inTenant(api, t.id, (x) => expirePoints(x, ctx, { now: at }));
            model.expire((l) => lotExpiresAt(new Date(l.earnedAt), 1, 'UTC')!.getTime() < at.getTime());
          }
          const row = await inTenant(api, t.id, (x) =>
            x.member.findUniqueOrThrow({ where: { tenantId_id: { tenantId: t.id, id: m.id } }, select: { pointsBalance: true } }),
          );
          expect(row.pointsBalance).toBe(model.balance);
          expect(model.invariantsHold()).toBe(true);
        }
        await expectLedgerConsistent(api, t.id);
      }),
      { numRuns: 12 },
    );
  });
});
