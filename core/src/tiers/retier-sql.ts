import { Prisma } from '@unionpoint/db';
import type { Tier, TierInput } from './tiers.contract.ts';
import type { Program } from '../program/index.ts';
import { qualificationScoreSql } from './member-score.ts';
import { THRESHOLD_FIELD } from './validate-ladder.ts';

/**
 * Set-based re-tiering of every member of the tenant against `next` (a ladder not yet saved,
 * or just saved): members on a tier that `next` keeps move only up (upgrade rules only);
 * members on a tier it drops get the tier the model gives them. Yields one row per member:
 * (id, old_code, new_code, direction: -1 | 0 | 1). Direction for a dropped tier compares
 * positions in the old and the new ladder.
 */
export function retierMovesSql(tenantId: string, program: Pick<Program, 'qualificationModel' | 'rfm'>, current: Tier[], next: TierInput[], at: Date): Prisma.Sql {
  const field = THRESHOLD_FIELD[program.qualificationModel];
  const sorted = [...next].sort((a, b) => a.rank - b.rank);
  const nl = JSON.stringify(sorted.map((t, pos) => ({ code: t.code, rank: t.rank, pos, threshold: t[field] ?? 0 })));
  const ol = JSON.stringify(current.map((t, pos) => ({ code: t.code, pos })));
  return Prisma.sql`
    nl AS (SELECT * FROM jsonb_to_recordset(${nl}::jsonb) AS t(code text, rank int, pos int, threshold bigint)),
    ol AS (SELECT * FROM jsonb_to_recordset(${ol}::jsonb) AS t(code text, pos int)),
    lowest AS (SELECT code, pos FROM nl ORDER BY rank LIMIT 1),
    sc AS (SELECT m.id, m.tier_code, ${qualificationScoreSql(program, at)} AS score FROM members m WHERE m.tenant_id = ${tenantId}),
    scored AS (
      SELECT sc.id, sc.tier_code AS old_code, ol.pos AS old_pos, keep.code AS keep_code, keep.pos AS keep_pos,
             COALESCE(mt.code, (SELECT code FROM lowest)) AS model_code, COALESCE(mt.pos, (SELECT pos FROM lowest)) AS model_pos
      FROM sc
      LEFT JOIN ol ON ol.code = sc.tier_code
      LEFT JOIN nl keep ON keep.code = sc.tier_code
      LEFT JOIN LATERAL (SELECT code, pos FROM nl WHERE nl.threshold <= sc.score ORDER BY nl.rank DESC LIMIT 1) mt ON true
    ),
    mv AS (
      SELECT id, old_code,
             CASE WHEN keep_code IS NULL OR model_pos > keep_pos THEN model_code ELSE keep_code END AS new_code,
             CASE
               WHEN keep_code IS NOT NULL THEN CASE WHEN model_pos > keep_pos THEN 1 ELSE 0 END
               ELSE sign(model_pos - COALESCE(old_pos, 0))::int
             END AS direction
      FROM scored
    )`;
}
