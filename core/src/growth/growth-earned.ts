import { Prisma } from '@unionpoint/db';
import { GrowthKind } from './growth-kinds.ts';

/**
 * Growth a member earned in [from, atOrBefore] as a SQL scalar: the growth entries dated in it
 * (event time `at`), net of clawbacks; retention resets are not earning and do not count (the
 * rule retention judges a period by).
 */
export function growthEarnedSql(tenantId: Prisma.Sql, memberId: Prisma.Sql, from: Date, atOrBefore: Date): Prisma.Sql {
  return Prisma.sql`(SELECT COALESCE(sum(g.delta), 0)::bigint FROM growth_ledger g
      WHERE g.tenant_id = ${tenantId} AND g.member_id = ${memberId}
        AND g.at >= ${from}::timestamptz AND g.at <= ${atOrBefore}::timestamptz AND g.kind <> ${GrowthKind.RetentionReset})`;
}
