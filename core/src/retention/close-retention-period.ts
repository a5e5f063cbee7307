import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { getProgram } from '../program/index.ts';
import { periodAt, previousPeriod } from './period.ts';
import { queueRetentionRun } from './retention-runs.ts';

/**
 * Daily, in the tenant's zone: makes sure the period that ended has its run (idempotent, so a
 * day missed while the worker was down is caught up the next day). Periods that ended before
 * the tenant existed are skipped.
 */
export async function closeRetentionPeriod(tx: Tx, ctx: TenantContext, now = new Date()): Promise<{ runId: string | null; created: boolean }> {
  const program = await getProgram(tx, ctx);
  const ended = previousPeriod(periodAt(now, program.retention.period, program.timezone), program.retention.period, program.timezone);
  const tenant = await tx.tenant.findUnique({ where: { id: ctx.tenantId }, select: { createdAt: true } });
  if (!tenant || tenant.createdAt >= ended.end) return { runId: null, created: false };
  return queueRetentionRun(tx, ctx, { periodEnd: ended.lastDay }, now);
}
