import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, isUniqueViolation, notFound, forbidden } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { localDate, addDays, startOfLocalDay } from '../shared/time.ts';
import { afterCursor, decodeCursor, toPage, type Page, type PageQuery } from '../shared/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { getProgram } from '../program/index.ts';
import { periodContaining } from './period.ts';
import type { RetentionRunDto } from './retention.contract.ts';

type RunRow = {
  id: string;
  periodStart: Date;
  periodEnd: Date;
  status: string;
  evaluated: number;
  downgraded: number;
  protectedCount: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
};

export function toRunDto(r: RunRow, timeZone: string): RetentionRunDto {
  return {
    id: r.id,
    periodStart: localDate(r.periodStart, timeZone),
    periodEnd: addDays(localDate(r.periodEnd, timeZone), -1),
    status: r.status as RetentionRunDto['status'],
    evaluated: r.evaluated,
    downgraded: r.downgraded,
    protected: r.protectedCount,
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * Queues the run for the period containing `periodEnd` (idempotent per tenant and period: the
 * same run comes back). The period must have reached its last local day. The worker's
 * dispatcher picks queued runs up, so nothing is enqueued inside this transaction.
 */
export async function queueRetentionRun(tx: Tx, ctx: TenantContext, input: { periodEnd: string }, now = new Date()): Promise<{ runId: string; created: boolean }> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot queue retention runs');
  const program = await getProgram(tx, ctx);
  const period = periodContaining(input.periodEnd, program.retention.period, program.timezone);
  if (now < startOfLocalDay(period.lastDay, program.timezone)) {
    throw new AppError('business_rule', `The period ending ${period.lastDay} has not reached its last day`, {
      errors: [{ path: 'periodEnd', message: 'period not over' }],
    });
  }
  const existing = await tx.retentionRun.findUnique({ where: { tenantId_periodEnd: { tenantId: ctx.tenantId, periodEnd: period.end } }, select: { id: true } });
  if (existing) return { runId: existing.id, created: false };
  const id = newId('rrn');
  try {
    // A savepoint-free insert: a concurrent request for the same period loses on the unique key.
    await tx.retentionRun.create({
      data: { tenantId: ctx.tenantId, id, periodStart: period.start, periodEnd: period.end, requestedBy: `${ctx.actor.type}:${ctx.actor.id}` },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', 'A run for this period is being queued; retry');
    throw error;
  }
  await recordAudit(tx, ctx, { action: 'retention.run_queued', targetType: 'retention_run', targetId: id, after: { periodStart: period.firstDay, periodEnd: period.lastDay } });
  return { runId: id, created: true };
}

export async function listRetentionRuns(tx: Tx, ctx: TenantContext, page: PageQuery): Promise<Page<RetentionRunDto>> {
  const program = await getProgram(tx, ctx);
  const cursor = decodeCursor(page.cursor);
  const rows = await tx.retentionRun.findMany({
    where: { tenantId: ctx.tenantId, ...afterCursor(cursor) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  return toPage(rows, page.limit, (r) => toRunDto(r, program.timezone), (r) => r.createdAt);
}

export async function getRetentionRun(tx: Tx, ctx: TenantContext, id: string): Promise<RetentionRunDto> {
  const program = await getProgram(tx, ctx);
  const row = await tx.retentionRun.findFirst({ where: { tenantId: ctx.tenantId, id } });
  if (!row) throw notFound('Retention run');
  return toRunDto(row, program.timezone);
}
