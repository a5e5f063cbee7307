import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { cachedConfig } from '../shared/config-cache.ts';
import { benefitsSchema, retentionRequirementSchema, type Tier, type TierInput } from './tiers.contract.ts';

type TierRow = {
  code: string;
  name: string;
  rank: number;
  minGrowth: number;
  minSpendCents: number;
  minRfmScore: number;
  retention: unknown;
  benefits: unknown;
};

export function toTier(row: TierRow): Tier {
  return {
    code: row.code,
    name: row.name,
    rank: row.rank,
    minGrowth: row.minGrowth,
    minSpendCents: row.minSpendCents,
    minRfmScore: row.minRfmScore,
    retention: retentionRequirementSchema.parse(row.retention ?? {}),
    benefits: benefitsSchema.parse(row.benefits ?? {}),
  };
}

/** The tenant's ladder, lowest rank first, through the per-tenant config cache. */
export async function getLadder(tx: Tx, ctx: TenantContext): Promise<Tier[]> {
  return cachedConfig(tx, ctx.tenantId, 'ladder', () => loadLadder(tx, ctx));
}

async function loadLadder(tx: Tx, ctx: TenantContext): Promise<Tier[]> {
  const rows = await tx.tier.findMany({ where: { tenantId: ctx.tenantId }, orderBy: { rank: 'asc' } });
  return rows.map(toTier);
}

export function tierRowData(tenantId: string, t: TierInput) {
  return {
    tenantId,
    code: t.code,
    name: t.name,
    rank: t.rank,
    minGrowth: t.minGrowth ?? 0,
    minSpendCents: t.minSpendCents ?? 0,
    minRfmScore: t.minRfmScore ?? 0,
    retention: (t.retention ?? {}) as object,
    benefits: (t.benefits ?? {}) as object,
  };
}

/** Highest tier whose minGrowth the growth value reaches (the `growth` model's upgrade rule). */
export function tierForGrowth(ladder: Tier[], growth: number): Tier {
  let best = ladder[0]!;
  for (const t of ladder) if (growth >= t.minGrowth && t.rank >= best.rank) best = t;
  return best;
}
