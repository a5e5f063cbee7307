import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { localParts } from '../shared/time.ts';
import { allocateFifo, lotExpiresAt, orderEarnPoints, purchaseGrowth, refundClawbackStep, refundKeep, splitCredit } from './points-math.ts';
import { PointsModel } from './points-model.ts';

describe('orderEarnPoints', () => {
  it('matches the documented examples', () => {
    expect(orderEarnPoints(12_345, 1, 10_000, 10_000)).toBe(123);
    expect(orderEarnPoints(999, 3, 10_000, 20_000)).toBe(59);
    expect(orderEarnPoints(1000, 1, 12_000, 10_000)).toBe(12);
    expect(orderEarnPoints(1050, 1, 13_000, 20_000)).toBe(27); // 10.5 × 1.3 × 2 = 27.3
    expect(orderEarnPoints(0, 1, 15_000, 20_000)).toBe(0);
  });
  it('floors once: the exact product lies in [result, result + 1)', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000_000), fc.nat(100), fc.nat(100_000), fc.nat(100_000), (amount, ppu, tier, day) => {
        const r = BigInt(orderEarnPoints(amount, ppu, tier, day));
        const num = BigInt(amount) * BigInt(ppu) * BigInt(tier) * BigInt(day);
        const den = 100n * 10_000n * 10_000n;
        return r * den <= num && num < (r + 1n) * den;
      }),
    );
  });
  it('refuses negative and non-integer input', () => {
    expect(() => orderEarnPoints(-1, 1, 10_000, 10_000)).toThrow(RangeError);
    expect(() => orderEarnPoints(1.5, 1, 10_000, 10_000)).toThrow(RangeError);
  });
  it('purchase growth is floor(units × rate)', () => {
    expect(purchaseGrowth(12_399, 1)).toBe(123);
    expect(purchaseGrowth(99, 1)).toBe(0);
  });
});

describe('refund rule', () => {
  it('the arithmetic table: partial, several partials, full, over-refund', () => {
    // P = 700 earned on A = 10000.
    expect(refundKeep(700, 10_000, 0)).toBe(700);
    expect(refundKeep(700, 10_000, 3333)).toBe(466);
    expect(refundClawbackStep(700, 10_000, 0, 3333)).toBe(234);
    expect(refundClawbackStep(700, 10_000, 3333, 3334)).toBe(0); // keep 466.69 → 466.62: floor stays 466
    expect(refundClawbackStep(700, 10_000, 3334, 3348)).toBe(1); // keep 465.64 → 465
    expect(refundClawbackStep(700, 10_000, 3348, 10_000)).toBe(465);
    expect(refundKeep(700, 10_000, 10_000)).toBe(0);
    expect(() => refundKeep(700, 10_000, 10_001)).toThrow(RangeError);
    expect(refundClawbackStep(1, 3, 0, 1)).toBe(1); // keep floor(2/3) = 0
  });
  it('steps are non-negative and sum to P − keep(R); a full refund takes back exactly P', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.array(fc.nat(1000), { maxLength: 20 }),
        (p, a, weights) => {
          let r = 0;
          let total = 0;
          const steps = weights.map((w) => Math.min(a - r, w));
          for (const s of [...steps, a]) {
            const next = Math.min(a, r + s);
            const step = refundClawbackStep(p, a, r, next);
            if (step < 0) return false;
            total += step;
            r = next;
            if (total !== p - refundKeep(p, a, r)) return false;
          }
          return total === p;
        },
      ),
    );
  });
});

describe('lot expiry', () => {
  it('ends the Nth month after the month earned, in the time zone', () => {
    expect(lotExpiresAt(new Date('2026-01-15T00:00:00Z'), 12, 'UTC')!.toISOString()).toBe('2027-01-31T23:59:59.999Z');
    expect(lotExpiresAt(new Date('2026-01-31T17:00:00Z'), 12, 'Asia/Shanghai')!.toISOString()).toBe('2027-02-28T15:59:59.999Z');
    expect(lotExpiresAt(new Date('2026-12-31T12:00:00Z'), 1, 'UTC')!.toISOString()).toBe('2027-01-31T23:59:59.999Z');
    expect(lotExpiresAt(new Date(), null, 'UTC')).toBeNull();
  });
  it('the next millisecond is local midnight on the 1st, N + 1 months after the month earned', () => {
    const zones = ['UTC', 'Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Sydney'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 120 }),
        fc.constantFrom(...zones),
        (d, n, tz) => {
          const e = lotExpiresAt(d, n, tz)!;
          const next = localParts(new Date(e.getTime() + 1), tz);
          const earned = localParts(d, tz);
          const months = next.year * 12 + next.month - (earned.year * 12 + earned.month);
          return next.day === 1 && next.hour === 0 && next.minute === 0 && months === n + 1 && e > d;
        },
      ),
    );
  });
});

describe('FIFO and debt', () => {
  it('allocates oldest first and reports what it cannot cover', () => {
    expect(
      allocateFifo(
        [
          { id: 'a', remaining: 5 },
          { id: 'b', remaining: 0 },
          { id: 'c', remaining: 10 },
        ],
        12,
      ),
    ).toEqual({
      takes: [
        { id: 'a', take: 5 },
        { id: 'c', take: 7 },
      ],
      uncovered: 0,
    });
    expect(allocateFifo([{ id: 'a', remaining: 5 }], 8).uncovered).toBe(3);
    expect(splitCredit(-30, 100)).toEqual({ repay: 30, remaining: 70 });
    expect(splitCredit(-300, 100)).toEqual({ repay: 100, remaining: 0 });
    expect(splitCredit(5, 100)).toEqual({ repay: 0, remaining: 100 });
  });

  it('random sequences of earn / redeem / clawback / adjust / expire keep every invariant of the model', () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('earn' as const), n: fc.integer({ min: 1, max: 500 }) }),
      fc.record({ k: fc.constant('redeem' as const), n: fc.integer({ min: 1, max: 500 }) }),
      fc.record({ k: fc.constant('clawback' as const), n: fc.integer({ min: 1, max: 500 }), cap: fc.boolean() }),
      fc.record({ k: fc.constant('expire' as const), n: fc.nat(20) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const m = new PointsModel();
        let clock = 0;
        for (const o of ops) {
          clock++;
          if (o.k === 'earn') m.credit(`l${clock}`, o.n, clock);
          else if (o.k === 'redeem') {
            const before = m.balance;
            const r = m.debit(o.n, 'strict');
            if (r === null ? o.n <= before : m.balance < 0) return false;
          } else if (o.k === 'clawback') {
            const before = m.balance;
            const taken = m.debit(o.n, o.cap ? 'cap' : 'debt')!;
            if (o.cap && m.balance < 0 && before >= 0) return false;
            if (!o.cap && taken !== o.n) return false;
          } else m.expire((l) => l.earnedAt <= clock - o.n);
          if (!m.invariantsHold()) return false;
        }
        return true;
      }),
    );
  });
});
