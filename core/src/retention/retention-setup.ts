import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { getProgram, type Program } from '../program/index.ts';
import { getLadder, type Tier } from '../tiers/index.ts';
import type { MetricSources } from './retention.sql.ts';

export interface RetentionSetup {
  program: Program;
  ladder: Tier[];
  /** The ladder as the SQL reads it ($4). The lowest tier never has a requirement. */
  ladderJson: string;
  sources: MetricSources;
}

let sourcesCache: MetricSources | null = null;

/** The ledger module's tables, when installed (they are read, never written here, except growth_ledger resets). */
async function metricSources(tx: Tx): Promise<MetricSources> {
  if (sourcesCache?.orders && sourcesCache.growthLedger) return sourcesCache;
  const [row] = await tx.$queryRaw<{ orders: boolean; growth: boolean }[]>`
    SELECT to_regclass('order_refunds') IS NOT NULL AND to_regclass('orders') IS NOT NULL AS orders,
           to_regclass('growth_ledger') IS NOT NULL AS growth`;
  sourcesCache = { orders: Boolean(row?.orders), growthLedger: Boolean(row?.growth) };
  return sourcesCache;
}

/**
 * The metrics a run's decisions need: spend only when a requirement or the model uses it,
 * growth only when a requirement or the growth model's reset does. (Preview and warnings
 * report both.)
 */
export function decisionSources(setup: RetentionSetup): MetricSources {
  const lowest = setup.ladder[0]?.rank;
  const upper = setup.ladder.filter((t) => t.rank !== lowest);
  return {
    orders: setup.sources.orders && (setup.program.qualificationModel === 'spend' || upper.some((t) => t.retention.minSpendCents !== undefined)),
    growthLedger: setup.sources.growthLedger && (setup.program.qualificationModel === 'growth' || upper.some((t) => t.retention.minGrowth !== undefined)),
  };
}

export async function loadRetentionSetup(tx: Tx, ctx: TenantContext): Promise<RetentionSetup> {
  const [program, ladder, sources] = await Promise.all([getProgram(tx, ctx), getLadder(tx, ctx), metricSources(tx)]);
  const lowest = ladder[0]?.rank;
  const ladderJson = JSON.stringify(
    ladder.map((t) => ({
      code: t.code,
      rank: t.rank,
      min_growth: t.minGrowth,
      min_spend: t.minSpendCents,
      req_spend: t.rank === lowest ? null : (t.retention.minSpendCents ?? null),
      req_growth: t.rank === lowest ? null : (t.retention.minGrowth ?? null),
    })),
  );
  return { program, ladder, ladderJson, sources };
}
