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
