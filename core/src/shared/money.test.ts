import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyBpsFloor, applyBpsHalfUp, mulDivFloor, mulDivHalfUp } from './money.ts';

describe('rounding helpers', () => {
  it.each([
    [1999, 9500, 1899], // 18.9905 → 18.99
    [1990, 9500, 1891], // 18.905 → 18.91 (half up)
    [1, 5000, 1], // 0.5 → 1
    [3, 5000, 2], // 1.5 → 2
    [0, 9000, 0],
  ])('applyBpsHalfUp(%i, %i) = %i', (amount, bps, expected) => {
    expect(applyBpsHalfUp(amount, bps)).toBe(expected);
  });
  it('floors points and caps', () => {
    expect(applyBpsFloor(1999, 5000)).toBe(999);
    expect(mulDivFloor(7, 3, 2)).toBe(10);
    expect(mulDivFloor(-7, 3, 2)).toBe(-11);
  });
  it('is exact beyond 2^53 intermediates', () => {
    expect(mulDivFloor(9_007_199_254_740_991, 10_000, 10_000)).toBe(9_007_199_254_740_991);
  });
  it('refuses non-integers', () => {
    expect(() => mulDivFloor(1.5, 1, 1)).toThrow(RangeError);
    expect(() => mulDivHalfUp(1, 1, 0)).toThrow(RangeError);
  });
  it('half-up differs from floor by at most one and matches the definition', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000 }), (a, b) => {
        const f = mulDivFloor(a, b, 10_000);
        const h = mulDivHalfUp(a, b, 10_000);
        const rem = (a * b) % 10_000;
        expect(h).toBe(rem * 2 >= 10_000 ? f + 1 : f);
      }),
    );
  });
});
