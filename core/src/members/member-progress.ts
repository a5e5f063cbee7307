import { Prisma } from '@unionpoint/db';
import { growthEarnedSql } from '../growth/index.ts';
import type { Program } from '../program/index.ts';
import { periodAt } from '../retention/index.ts';
import { completedSpendSql, qualificationScoreSql, tierThreshold, type Tier } from '../tiers/index.ts';
import type { MemberDto } from './members.contract.ts';

export interface MemberViewConfig {
  program: Program;
  ladder: Tier[];
}

const UNIT = { growth: 'growth', spend: 'spendCents', rfm: 'rfmScore' } as const;

/** The tiers (above the lowest) whose retention requirement has a spend / a growth part. */
function requirementCodes(ladder: Tier[]) {
  const lowest = ladder[0]?.rank;
  const upper = ladder.filter((t) => t.rank !== lowest);
  return {
    spend: upper.filter((t) => t.retention.minSpendCents !== undefined).map((t) => t.code),
    growth: upper.filter((t) => t.retention.minGrowth !== undefined).map((t) => t.code),
  };
}

/**
 * The progress columns of the member view over the member row `m`, measured at `at`: the
 * model's score (tiers' one definition: growth value, rolling spend or RFM score) and, for a
 * member whose tier has a retention requirement, the spend and growth of the current period so
 * far. The period parts are computed only for members on such a tier (CASE), so a member on
 * the lowest tier costs nothing more than the row.
 */
export function progressColumns(config: MemberViewConfig, at: Date): Prisma.Sql {
  const { program, ladder } = config;
  const period = periodAt(at, program.retention.period, program.timezone);
  const codes = requirementCodes(ladder);
  const t = Prisma.sql`m.tenant_id`;
  const id = Prisma.sql`m.id`;
  const periodStart = Prisma.sql`(${period.start}::timestamptz - interval '1 microsecond')`;
  const spend = codes.spend.length
    ? Prisma.sql`CASE WHEN m.tier_code = ANY(${codes.spend}::text[]) THEN ${completedSpendSql(t, id, periodStart, Prisma.sql`${at}::timestamptz`)} END`
    : Prisma.sql`NULL::bigint`;
  const growth = codes.growth.length
    ? Prisma.sql`CASE WHEN m.tier_code = ANY(${codes.growth}::text[]) THEN ${growthEarnedSql(t, id, period.start, at)} END`
    : Prisma.sql`NULL::bigint`;
  return Prisma.sql`, ${qualificationScoreSql(program, at)} AS "progressScore", ${spend} AS "progressPeriodSpend", ${growth} AS "progressPeriodGrowth"`;
}

type Units = { spendCents?: number; growth?: number };

/** member.progress from the member's row, its progress columns and the config they were read with. */
export function progressOf(
  r: { tierCode: string; tierSince: Date; trialUntil: Date | null },
  values: Record<string, unknown>,
  config: MemberViewConfig,
  at: Date,
): MemberDto['progress'] {
  const { program, ladder } = config;
  const model = program.qualificationModel;
  const current = Number(values.progressScore ?? 0);
  const tier = ladder.find((x) => x.code === r.tierCode);
  const next = ladder.find((x) => x.rank > (tier?.rank ?? -1) && tierThreshold(x, model) > current);
  let retention: MemberDto['progress']['retention'] = null;
  const lowest = ladder[0]?.rank;
  const req = tier && tier.rank !== lowest ? tier.retention : {};
  if (req.minSpendCents !== undefined || req.minGrowth !== undefined) {
    const period = periodAt(at, program.retention.period, program.timezone);
    const requirement: Units = {};
    const achieved: Units = {};
    const missing: Units = {};
    if (req.minSpendCents !== undefined) {
      requirement.spendCents = req.minSpendCents;
      achieved.spendCents = Number(values.progressPeriodSpend ?? 0);
      missing.spendCents = Math.max(0, req.minSpendCents - achieved.spendCents);
    }
    if (req.minGrowth !== undefined) {
      requirement.growth = req.minGrowth;
      achieved.growth = Number(values.progressPeriodGrowth ?? 0);
      missing.growth = Math.max(0, req.minGrowth - achieved.growth);
    }
    // As the retention run judges: a member who moved up into the tier during the period is
    // protected, one whose trial outlasts the period end is the trial's to revert.
    const protectedNow = r.tierSince > period.start || (r.trialUntil !== null && r.trialUntil > period.end);
    retention = {
      unit:
        requirement.spendCents !== undefined && requirement.growth !== undefined
          ? 'both'
          : requirement.spendCents !== undefined
            ? 'spendCents'
            : 'growth',
      periodEnd: period.lastDay,
      requirement,
      achieved,
      missing,
      atRisk: !protectedNow && ((missing.spendCents ?? 0) > 0 || (missing.growth ?? 0) > 0),
    };
  }
  return {
    unit: UNIT[model],
    current,
    nextTier: next
      ? { code: next.code, name: next.name, threshold: tierThreshold(next, model), missing: tierThreshold(next, model) - current }
      : null,
    retention,
  };
}
