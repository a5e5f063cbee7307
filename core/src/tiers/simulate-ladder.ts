import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { getProgram } from '../program/index.ts';
import { getLadder } from './ladder.ts';
import { assertValidLadder } from './replace-ladder.ts';
import { retierMovesSql } from './retier-sql.ts';
import type { TierInput } from './tiers.contract.ts';

export interface LadderSimulation {
  distribution: { code: string; before: number; after: number }[];
  upgrades: number;
  downgrades: number;
  /** Up to SAMPLE_SIZE members who would change tier, by unionId. */
  sample: { unionId: string; from: string | null; to: string }[];
}

export const SAMPLE_SIZE = 10;

/**
 * POST /v1/tiers/simulate: what PUT /v1/tiers with the same body would do to the real members,
 * computed by the same set-based SQL, writing nothing; with a sample of the members who move.
 */
export async function simulateLadder(tx: Tx, ctx: TenantContext, tiers: TierInput[], at = new Date()): Promise<LadderSimulation> {
  const program = await getProgram(tx, ctx);
  await assertValidLadder(tx, ctx, tiers, program.qualificationModel);
  const current = await getLadder(tx, ctx);
  const rows = await tx.$queryRaw<{ code: string; before: number; after: number; upgrades: number; downgrades: number }[]>`
    WITH ${retierMovesSql(ctx.tenantId, program, current, tiers, at)},
    b AS (SELECT old_code AS code, count(*)::int AS n FROM mv GROUP BY old_code),
    a AS (SELECT new_code AS code, count(*)::int AS n FROM mv GROUP BY new_code),
    totals AS (SELECT (count(*) FILTER (WHERE direction > 0))::int AS upgrades, (count(*) FILTER (WHERE direction < 0))::int AS downgrades FROM mv)
    SELECT c.code, COALESCE(b.n, 0) AS before, COALESCE(a.n, 0) AS after, totals.upgrades, totals.downgrades
    FROM (SELECT code FROM ol UNION SELECT code FROM nl) c
    LEFT JOIN b ON b.code = c.code LEFT JOIN a ON a.code = c.code CROSS JOIN totals`;
  const byCode = new Map(rows.map((r) => [r.code, r]));
  // Current tiers first (by rank), then the new ones the body adds (by rank).
  const order = [...current.map((t) => t.code), ...[...tiers].sort((x, y) => x.rank - y.rank).map((t) => t.code)];
  const distribution = [...new Set(order)].map((code) => ({ code, before: byCode.get(code)?.before ?? 0, after: byCode.get(code)?.after ?? 0 }));
  // A few of the members who move, for the merchant to recognise (one more set-based query).
  const sample = await tx.$queryRaw<{ unionId: string; from: string | null; to: string }[]>`
    WITH ${retierMovesSql(ctx.tenantId, program, current, tiers, at)}
    SELECT m.union_id AS "unionId", mv.old_code AS "from", mv.new_code AS "to"
    FROM mv JOIN members m ON m.tenant_id = ${ctx.tenantId} AND m.id = mv.id
    WHERE mv.new_code IS DISTINCT FROM mv.old_code
    ORDER BY m.union_id LIMIT ${SAMPLE_SIZE}`;
  return { distribution, upgrades: rows[0]?.upgrades ?? 0, downgrades: rows[0]?.downgrades ?? 0, sample };
}
