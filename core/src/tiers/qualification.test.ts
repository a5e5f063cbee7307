import { describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAM_SETTINGS } from '../program/index.ts';
import { rfmScore, rollingSpendCents, tierForScore } from './qualification.ts';
import { toTier } from './ladder.ts';
import { DEFAULT_LADDER } from './default-ladder.ts';
import { tierRowData } from './ladder.ts';

const ladder = DEFAULT_LADDER.map((t) => toTier(tierRowData('t', t)));
const at = new Date('2026-06-30T12:00:00Z');
const daysAgo = (d: number) => new Date(at.getTime() - d * 86_400_000);

describe('spend model', () => {
  it('sums completed spend over the rolling 365 days, edges included/excluded exactly', () => {
    const orders = [
      { amountCents: 100_000, completedAt: daysAgo(365) }, // exactly 365 days ago: outside
      { amountCents: 150_000, completedAt: new Date(daysAgo(365).getTime() + 1) }, // just inside
      { amountCents: 60_000, completedAt: daysAgo(10) },
      { amountCents: 5_000, completedAt: new Date(at.getTime() + 1) }, // future: outside
    ];
    expect(rollingSpendCents(orders, at)).toBe(210_000);
  });
  it('puts spend on the classic 2000/5000/10000 ladder', () => {
    expect(tierForScore(ladder, 'spend', 199_999).code).toBe('bronze');
    expect(tierForScore(ladder, 'spend', 200_000).code).toBe('silver');
    expect(tierForScore(ladder, 'spend', 500_000).code).toBe('gold');
    expect(tierForScore(ladder, 'spend', 1_000_000).code).toBe('diamond');
  });
});

describe('rfm model', () => {
  const cfg = DEFAULT_PROGRAM_SETTINGS.rfm;
  it('scores each of R, F, M from 1 to 5 at the thresholds', () => {
    expect(rfmScore({ recencyDays: null, frequency: 0, monetaryCents: 0 }, cfg)).toEqual({ r: 1, f: 1, m: 1, score: 3 });
    expect(rfmScore({ recencyDays: 30, frequency: 2, monetaryCents: 50_000 }, cfg)).toMatchObject({ r: 5, f: 2, m: 2 });
    expect(rfmScore({ recencyDays: 31, frequency: 16, monetaryCents: 1_000_000 }, cfg)).toMatchObject({ r: 4, f: 5, m: 5 });
    expect(rfmScore({ recencyDays: 366, frequency: 1, monetaryCents: 49_999 }, cfg)).toMatchObject({ r: 1, f: 1, m: 1 });
  });
  it('weights the scores', () => {
    const weighted = { ...cfg, weights: { recency: 3, frequency: 1, monetary: 0 } };
    expect(rfmScore({ recencyDays: 0, frequency: 4, monetaryCents: 10_000_000 }, weighted).score).toBe(5 * 3 + 3);
  });
  it('maps the score to a tier by minRfmScore', () => {
    expect(tierForScore(ladder, 'rfm', 8).code).toBe('silver');
    expect(tierForScore(ladder, 'rfm', 15).code).toBe('diamond');
  });
});

describe('growth model', () => {
  it('is the highest tier whose minGrowth is reached', () => {
    expect(tierForScore(ladder, 'growth', 4999).code).toBe('silver');
    expect(tierForScore(ladder, 'growth', 5000).code).toBe('gold');
  });
});
