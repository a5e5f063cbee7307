import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';

/**
 * A member merge: a paid plan (at most one per member) follows the person; the survivor keeps
 * the one that runs longer. One statement. The caller holds both row locks.
 */
export async function mergeMemberPlan(tx: Tx, ctx: TenantContext, fromId: string, toId: string): Promise<void> {
  const t = ctx.tenantId;
  await tx.$executeRaw`
    WITH src AS (DELETE FROM member_plans WHERE tenant_id = ${t} AND member_id = ${fromId} RETURNING plan_id, status, until, started_at)
    INSERT INTO member_plans (tenant_id, member_id, plan_id, status, until, started_at, updated_at)
    SELECT ${t}, ${toId}, plan_id, status, until, started_at, now() FROM src
    ON CONFLICT (tenant_id, member_id) DO UPDATE
      SET plan_id = EXCLUDED.plan_id, status = EXCLUDED.status, until = EXCLUDED.until, started_at = EXCLUDED.started_at, updated_at = now()
      WHERE member_plans.until < EXCLUDED.until`;
}
