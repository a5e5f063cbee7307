import { Prisma, queryBatch, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';

/**
 * A member merge: a paid plan (at most one per member) follows the person; the survivor keeps
 * the one that runs longer. One round trip: the absorbed member's plan copied onto the survivor
 * (an INSERT … SELECT taking the row's own tenant_id, which a database sharded by tenant runs on
 * the tenant's shard with RLS kept; the upsert sets only immutable values), then removed. The
 * caller holds both row locks.
 */
export async function mergeMemberPlan(tx: Tx, ctx: TenantContext, fromId: string, toId: string): Promise<void> {
  const t = ctx.tenantId;
  await queryBatch(tx, [
    Prisma.sql`
      INSERT INTO member_plans (tenant_id, member_id, plan_id, status, until, started_at, updated_at)
      SELECT src.tenant_id, ${toId}, src.plan_id, src.status, src.until, src.started_at, ${new Date()}::timestamptz
      FROM member_plans src WHERE src.tenant_id = ${t} AND src.member_id = ${fromId}
      ON CONFLICT (tenant_id, member_id) DO UPDATE
        SET plan_id = EXCLUDED.plan_id, status = EXCLUDED.status, until = EXCLUDED.until, started_at = EXCLUDED.started_at, updated_at = EXCLUDED.updated_at
        WHERE member_plans.until < EXCLUDED.until`,
    Prisma.sql`DELETE FROM member_plans WHERE tenant_id = ${t} AND member_id = ${fromId}`,
  ]);
}
