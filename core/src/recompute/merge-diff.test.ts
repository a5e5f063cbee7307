import { describe, expect, it } from 'vitest';
import { mergeDiff } from './process-recompute-run.ts';

const sample = (unionId: string, growthAfter = 0) => ({ unionId, tierBefore: 'bronze', tierAfter: 'silver', growthBefore: 0, growthAfter });

describe('mergeDiff: a batch added to the running totals of a preview', () => {
  it('counts members per tier before and after, moves only where the tier changes, in ladder order', () => {
    const first = mergeDiff(
      { tiers: [], tier_changes: [], sample: [] },
      {
        pairs: [
          { from: 'silver', to: 'bronze', count: 2 },
          { from: 'bronze', to: 'bronze', count: 5 },
          { from: 'gold', to: 'platinum', count: 1 },
        ],
        growth_delta: 0,
        increased: 0,
        decreased: 0,
        sample: [],
      },
      ['bronze', 'silver', 'gold', 'platinum'],
    );
    expect(first.tiers).toEqual([
      { code: 'bronze', before: 5, after: 7 },
      { code: 'silver', before: 2, after: 0 },
      { code: 'gold', before: 1, after: 0 },
      { code: 'platinum', before: 0, after: 1 },
    ]);
    expect(first.tierChanges).toEqual([
      { from: 'silver', to: 'bronze', count: 2 },
      { from: 'gold', to: 'platinum', count: 1 },
    ]);
    const second = mergeDiff(
      { tiers: first.tiers, tier_changes: first.tierChanges, sample: [] },
      { pairs: [{ from: 'silver', to: 'bronze', count: 3 }], growth_delta: 0, increased: 0, decreased: 0, sample: [] },
      ['bronze', 'silver', 'gold', 'platinum'],
    );
    expect(second.tierChanges[0]).toEqual({ from: 'silver', to: 'bronze', count: 5 });
    expect(second.tiers.find((t) => t.code === 'bronze')).toEqual({ code: 'bronze', before: 5, after: 10 });
  });

  it('keeps the 10 first members by unionId across batches, growth as numbers', () => {
    const a = ['u05', 'u01', 'u09', 'u03', 'u07', 'u11'].map((u) => sample(u));
    const b = ['u02', 'u04', 'u06', 'u08', 'u10', 'u12'].map((u) => ({ ...sample(u), growthAfter: '12' as unknown as number }));
    const merged = mergeDiff({ tiers: [], tier_changes: [], sample: a }, { pairs: [], growth_delta: 0, increased: 0, decreased: 0, sample: b }, []);
    expect(merged.sample.map((s) => s.unionId)).toEqual(['u01', 'u02', 'u03', 'u04', 'u05', 'u06', 'u07', 'u08', 'u09', 'u10']);
    expect(merged.sample.find((s) => s.unionId === 'u02')!.growthAfter).toBe(12);
  });
});
