// The three qualification models as pure rules. The SQL that feeds them (rolling spend, RFM
// inputs) lives in member-score.ts; the rules here decide and are tested without a database.
import type { ProgramSettings } from '../program/index.ts';
import type { Tier } from './tiers.contract.ts';
import type { QualificationModel } from './validate-ladder.ts';

const DAY_MS = 86_400_000;
export const SPEND_WINDOW_DAYS = 365;

export interface CompletedOrder {
  /** Paid goods amount minus refunds so far, minor units. */
  amountCents: number;
  completedAt: Date;
}

/** Rolling completed spend: orders completed in (at − 365 days, at]. */
export function rollingSpendCents(orders: CompletedOrder[], at: Date, windowDays = SPEND_WINDOW_DAYS): number {
  const from = at.getTime() - windowDays * DAY_MS;
  let sum = 0;
  for (const o of orders) {
    const t = o.completedAt.getTime();
    if (t > from && t <= at.getTime()) sum += Math.max(0, o.amountCents);
  }
  return sum;
}

export interface RfmInputs {
  /** Whole days since the last completed order in the window; null = no order. */
  recencyDays: number | null;
  frequency: number;
  monetaryCents: number;
}

export type RfmConfig = ProgramSettings['rfm'];

/** 1–5: 5 when the value is within the first threshold (recency: at most; others: at least). */
function scoreAscending(value: number, thresholds: number[]): number {
  let s = 1;
  for (const t of thresholds) if (value >= t) s++;
  return s;
}
function scoreRecency(days: number | null, thresholds: number[]): number {
  if (days === null) return 1;
  for (let i = 0; i < thresholds.length; i++) if (days <= thresholds[i]!) return 5 - i;
  return 1;
}

export interface RfmScore {
  r: number;
  f: number;
  m: number;
  /** r × wR + f × wF + m × wM, compared with the tiers' minRfmScore. */
  score: number;
}

/** R, F, M scored 1–5 each by the tenant thresholds, then weighted and summed. */
export function rfmScore(inputs: RfmInputs, config: RfmConfig): RfmScore {
  const r = scoreRecency(inputs.recencyDays, config.recencyDays);
  const f = scoreAscending(inputs.frequency, config.frequency);
  const m = scoreAscending(inputs.monetaryCents, config.monetaryCents);
  return { r, f, m, score: r * config.weights.recency + f * config.weights.frequency + m * config.weights.monetary };
}

/** The threshold a tier sets for the model. */
export function tierThreshold(tier: Tier, model: QualificationModel): number {
  return model === 'growth' ? tier.minGrowth : model === 'spend' ? tier.minSpendCents : tier.minRfmScore;
}

/** Highest tier whose threshold for the model the score reaches (the lowest tier if none). */
export function tierForScore(ladder: Tier[], model: QualificationModel, score: number): Tier {
  let best = ladder[0]!;
  for (const t of ladder) if (score >= tierThreshold(t, model) && t.rank >= best.rank) best = t;
  return best;
}
