import { describe, expect, it } from 'vitest';
import { validateLadder } from './validate-ladder.ts';
import { DEFAULT_LADDER } from './default-ladder.ts';
import type { TierInput } from './tiers.contract.ts';

const t = (code: string, rank: number, extra: Partial<TierInput> = {}): TierInput => ({ code, name: code, rank, benefits: {}, ...extra });

describe('validateLadder', () => {
  it('accepts the default ladder under every model', () => {
    for (const m of ['growth', 'spend', 'rfm'] as const) expect(validateLadder(DEFAULT_LADDER, m)).toEqual([]);
  });
  it('refuses duplicate codes and ranks with paths', () => {
    const errors = validateLadder([t('a', 0), t('a', 1, { minGrowth: 5 }), t('c', 1, { minGrowth: 9 })], 'growth');
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(['tiers.1.code', 'tiers.2.rank']));
  });
  it('needs thresholds strictly rising with rank, in rank order not body order', () => {
    const ok = validateLadder([t('gold', 2, { minGrowth: 500 }), t('bronze', 0), t('silver', 1, { minGrowth: 100 })], 'growth');
    expect(ok).toEqual([]);
    const flat = validateLadder([t('bronze', 0), t('silver', 1, { minGrowth: 100 }), t('gold', 2, { minGrowth: 100 })], 'growth');
    expect(flat).toEqual([{ path: 'tiers.2.minGrowth', message: expect.stringContaining('greater than 100') }]);
  });
  it("requires the model's threshold on every tier above the lowest, and 0 on the lowest", () => {
    expect(validateLadder([t('b', 0), t('s', 1)], 'spend')).toEqual([{ path: 'tiers.1.minSpendCents', message: expect.any(String) }]);
    expect(validateLadder([t('b', 0, { minGrowth: 10 }), t('s', 1, { minGrowth: 20 })], 'growth')[0]!.path).toBe('tiers.0.minGrowth');
  });
  it('checks a field another tier uses even when the model does not read it', () => {
    const errors = validateLadder([t('b', 0), t('s', 1, { minGrowth: 10, minSpendCents: 100 }), t('g', 2, { minGrowth: 20 })], 'growth');
    expect(errors.map((e) => e.path)).toEqual(['tiers.2.minSpendCents']);
  });
  it('refuses an empty ladder', () => {
    expect(validateLadder([], 'growth')[0]!.path).toBe('tiers');
  });
});
