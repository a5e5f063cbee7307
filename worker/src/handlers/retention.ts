import { withTenant } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { processRetentionRun, unsafeFindRunnableRetentionRuns } from '@unionpoint/core/retention';
import { jobKey } from '../jobs/catalogue.ts';
import type { HandlerMap } from '../handler-types.ts';
import { closeRetentionPeriod, warnMembersAtRisk } from '@unionpoint/core/retention';
import { processRecomputeRun, unsafeFindRunnableRecomputeRuns } from '@unionpoint/core/recompute';

export const retentionHandlers: HandlerMap = {
  /** Queued runs (from the API or the daily close) and crashed ones, into the retention queue. */
  'retention.dispatch': async (_payload, ctx) => {
    const runs = await unsafeFindRunnableRetentionRuns(ctx.db.pool, ctx.config.retentionStaleAfterMs);
    await ctx.enqueue.bulk(
      'retention.run',
      runs.map((r) => ({ payload: { tenantId: r.tenantId, runId: r.runId }, jobId: jobKey('retention', r.runId, r.cursor ?? 'start') })),
    );
    return { runs: runs.length };
  },
  'retention.run': async (payload, ctx, job) =>
    processRetentionRun(ctx.db, payload.tenantId, payload.runId, {
      batchSize: ctx.config.retentionBatchSize,
      afterBatch: (p) => job.updateProgress(p),
      now: ctx.now(),
    }),
  /** Recompute previews to compute and applies to carry out (and crashed ones), into the retention queue. */
  'recompute.dispatch': async (_payload, ctx) => {
    const runs = await unsafeFindRunnableRecomputeRuns(ctx.db.pool, ctx.config.retentionStaleAfterMs);
    await ctx.enqueue.bulk(
      'recompute.run',
      runs.map((r) => ({ payload: { tenantId: r.tenantId, runId: r.runId }, jobId: jobKey('recompute', r.runId, r.status, r.cursor ?? 'start') })),
    );
    return { runs: runs.length };
  },
  'recompute.run': async (payload, ctx, job) =>
    processRecomputeRun(ctx.db, payload.tenantId, payload.runId, {
      batchSize: ctx.config.recomputeBatchSize,
      now: ctx.now,
      afterBatch: (p) => job.updateProgress(p),
    }),
  'retention.close-period': async (payload, ctx) =>
    withTenant(ctx.db.prisma, payload.tenantId, (tx) => closeRetentionPeriod(tx, systemContext(payload.tenantId, 'retention.close-period'), ctx.now())),
  'retention.warn-at-risk': async (payload, ctx) =>
    withTenant(ctx.db.prisma, payload.tenantId, (tx) => warnMembersAtRisk(tx, systemContext(payload.tenantId, 'retention.warn-at-risk'), ctx.now()), { timeoutMs: 120_000 }),
};
