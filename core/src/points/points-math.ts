// Pure arithmetic of the points and growth rules: integers only, one floor per rule.
import { BPS, mulDivFloor, assertInt } from '../shared/money.ts';
import { localParts, startOfLocalDay } from '../shared/time.ts';

/**
 * Points a completed order earns: floor(amount units × pointsPerUnit × tier multiplier ×
 * member-day multiplier), multipliers in bps multiplied exactly, floored once at the end.
 */
export function orderEarnPoints(
  amountCents: number,
  pointsPerUnit: number,
  tierMultiplierBps: number,
  memberDayMultiplierBps: number,
): number {
  for (const [n, v] of Object.entries({ amountCents, pointsPerUnit, tierMultiplierBps, memberDayMultiplierBps })) {
    assertInt(v, n);
    if (v < 0) throw new RangeError(`${n} must not be negative`);
  }
  const num = BigInt(amountCents) * BigInt(pointsPerUnit) * BigInt(tierMultiplierBps) * BigInt(memberDayMultiplierBps);
  return Number(num / (100n * BigInt(BPS) * BigInt(BPS)));
}

/** Growth a purchase earns: floor(amount units × growth per unit). */
export function purchaseGrowth(amountCents: number, perUnit: number): number {
  return mulDivFloor(amountCents, perUnit, 100);
}

/** What a member keeps of P after refunds totalling R of an order of amount A: floor(P × (A − R) / A). */
export function refundKeep(earned: number, amountCents: number, refundedCents: number): number {
  if (refundedCents < 0 || refundedCents > amountCents) throw new RangeError('refunded must be within 0..amount');
  if (amountCents === 0) return refundedCents > 0 ? 0 : earned;
  return mulDivFloor(earned, amountCents - refundedCents, amountCents);
}

/**
 * Clawback owed by one refund: the drop in what the member keeps when the refunded total moves
 * from `before` to `after`. The steps add up to P − keep(R), so a full refund takes back exactly P.
 */
export function refundClawbackStep(earned: number, amountCents: number, before: number, after: number): number {
  return refundKeep(earned, amountCents, before) - refundKeep(earned, amountCents, after);
}

/**
 * Expiry of a lot earned at `earnedAt`: the last millisecond of the Nth month after the month
 * earned, in the tenant time zone; null when points never expire.
 */
export function lotExpiresAt(earnedAt: Date, months: number | null, timeZone: string): Date | null {
  if (months === null) return null;
  const p = localParts(earnedAt, timeZone);
  // First day of month (M + N + 1), local; one millisecond before it ends month M + N.
  const idx = p.year * 12 + (p.month - 1) + months + 1;
  const y = Math.floor(idx / 12);
  const m = (idx % 12) + 1;
  const boundary = startOfLocalDay(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`, timeZone);
  return new Date(boundary.getTime() - 1);
}

export interface LotBalance {
  id: string;
  remaining: number;
}

/**
 * FIFO allocation: takes `amount` from the lots in the order given (oldest first). Returns what
 * each touched lot gives and what could not be covered.
 */
export function allocateFifo(lots: readonly LotBalance[], amount: number): { takes: { id: string; take: number }[]; uncovered: number } {
  let left = amount;
  const takes: { id: string; take: number }[] = [];
  for (const lot of lots) {
    if (left <= 0) break;
    if (lot.remaining <= 0) continue;
    const take = Math.min(lot.remaining, left);
    takes.push({ id: lot.id, take });
    left -= take;
  }
  return { takes, uncovered: left };
}

/** An earning first repays debt (a negative balance); the rest becomes the lot's remaining. */
export function splitCredit(balance: number, delta: number): { repay: number; remaining: number } {
  const debt = balance < 0 ? -balance : 0;
  const repay = Math.min(debt, delta);
  return { repay, remaining: delta - repay };
}
