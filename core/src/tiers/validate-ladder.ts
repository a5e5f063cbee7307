import type { FieldError } from '../shared/errors.ts';
import type { TierInput } from './tiers.contract.ts';

export type QualificationModel = 'growth' | 'spend' | 'rfm';

export const THRESHOLD_FIELD = {
  growth: 'minGrowth',
  spend: 'minSpendCents',
  rfm: 'minRfmScore',
} as const satisfies Record<QualificationModel, keyof TierInput>;

const THRESHOLDS = ['minGrowth', 'minSpendCents', 'minRfmScore'] as const;

/**
 * Checks a whole ladder (PUT /v1/tiers): codes and ranks unique; for every threshold field in
 * use (given on any tier, or the one the tenant's model reads) the lowest tier is open to all
 * (0) and every higher tier states a value strictly above the one below it. Paths point at
 * the offending field as it was sent (`tiers.2.minGrowth`). Pure.
 */
export function validateLadder(tiers: TierInput[], model: QualificationModel): FieldError[] {
  const errors: FieldError[] = [];
  if (tiers.length === 0) return [{ path: 'tiers', message: 'A ladder needs at least one tier' }];
  const codes = new Map<string, number>();
  const ranks = new Map<number, number>();
  tiers.forEach((t, i) => {
    if (codes.has(t.code)) errors.push({ path: `tiers.${i}.code`, message: `Duplicate code ${t.code} (also tiers.${codes.get(t.code)})` });
    else codes.set(t.code, i);
    if (ranks.has(t.rank)) errors.push({ path: `tiers.${i}.rank`, message: `Duplicate rank ${t.rank} (also tiers.${ranks.get(t.rank)})` });
    else ranks.set(t.rank, i);
  });
  const order = tiers.map((t, i) => ({ t, i })).sort((a, b) => a.t.rank - b.t.rank);
  for (const field of THRESHOLDS) {
    const inUse = field === THRESHOLD_FIELD[model] || tiers.some((t) => t[field] !== undefined);
    if (!inUse) continue;
    order.forEach(({ t, i }, pos) => {
      const value = t[field];
      if (pos === 0) {
        if (value !== undefined && value !== 0) errors.push({ path: `tiers.${i}.${field}`, message: 'The lowest tier is open to all: must be 0' });
        return;
      }
      if (value === undefined) {
        errors.push({ path: `tiers.${i}.${field}`, message: `Required on every tier above the lowest (${field} is in use)` });
        return;
      }
      const below = order[pos - 1]!.t[field] ?? 0;
      if (value <= below) errors.push({ path: `tiers.${i}.${field}`, message: `Must be greater than ${below}, the value of the tier ranked below` });
    });
  }
  const seen = new Set<string>();
  tiers.forEach((t, i) => {
    const md = t.benefits?.memberDay;
    if (md) {
      md.weekdays.forEach((d, j) => {
        if (seen.has(`${i}:${d}`)) errors.push({ path: `tiers.${i}.benefits.memberDay.weekdays.${j}`, message: 'Duplicate weekday' });
        seen.add(`${i}:${d}`);
      });
    }
  });
  return errors;
}
