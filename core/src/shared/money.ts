// Integer arithmetic for money (minor units), points and basis points. One helper per
// rounding mode, named for it. No floating point on any of these paths.

export const BPS = 10_000;

/** floor(a * b / c) for non-negative integers, exact (BigInt), c > 0. */
export function mulDivFloor(a: number, b: number, c: number): number {
  assertInt(a, 'a');
  assertInt(b, 'b');
  assertInt(c, 'c');
  if (c <= 0) throw new RangeError('divisor must be positive');
  const p = BigInt(a) * BigInt(b);
  const q = p / BigInt(c);
  // BigInt division truncates toward zero; floor for negatives.
  const r = p % BigInt(c);
  return Number(r !== 0n && p < 0n ? q - 1n : q);
}

/** round(a * b / c) with halves rounded up (away from zero for positives), exact. */
export function mulDivHalfUp(a: number, b: number, c: number): number {
  assertInt(a, 'a');
  assertInt(b, 'b');
  assertInt(c, 'c');
  if (c <= 0) throw new RangeError('divisor must be positive');
  const p = BigInt(a) * BigInt(b);
  const sign = p < 0n ? -1n : 1n;
  const abs = p * sign;
  const q = (abs * 2n + BigInt(c)) / (2n * BigInt(c));
  return Number(q * sign);
}

/** amount × bps / 10000, rounded half up: discounts and member prices. */
export function applyBpsHalfUp(amount: number, bps: number): number {
  return mulDivHalfUp(amount, bps, BPS);
}

/** amount × bps / 10000, rounded down: points earned, caps. */
export function applyBpsFloor(amount: number, bps: number): number {
  return mulDivFloor(amount, bps, BPS);
}

export function assertInt(n: number, name = 'value'): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${name} must be a safe integer, got ${n}`);
}

/** ceil(a * b / c) for non-negative integers, exact, c > 0: the fewest units that reach a value. */
export function mulDivCeil(a: number, b: number, c: number): number {
  assertInt(a, 'a');
  assertInt(b, 'b');
  assertInt(c, 'c');
  if (c <= 0) throw new RangeError('divisor must be positive');
  if (a < 0 || b < 0) throw new RangeError('mulDivCeil takes non-negative operands');
  const p = BigInt(a) * BigInt(b);
  return Number((p + BigInt(c) - 1n) / BigInt(c));
}
