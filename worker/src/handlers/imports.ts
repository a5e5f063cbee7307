import { processImport, unsafeFindRunnableImports } from '@unionpoint/core/imports';
import { jobKey } from '../jobs/catalogue.ts';
import type { HandlerMap } from '../handler-types.ts';

export const importHandlers: HandlerMap = {
  /** Received imports, and those whose worker died (stale heartbeat), into the imports queue. */
  'imports.dispatch': async (_payload, ctx) => {
    const found = await unsafeFindRunnableImports(ctx.db.pool, ctx.config.importStaleAfterMs);
    await ctx.enqueue.bulk(
      'imports.run',
      found.map((r) => ({
        payload: { tenantId: r.tenantId, importId: r.importId },
        jobId: jobKey('import', r.importId, r.cursor ?? 'start'),
      })),
    );
    return { imports: found.length };
  },
  'imports.run': async (payload, ctx, job) =>
    processImport(ctx.db, payload.tenantId, payload.importId, {
      batchSize: ctx.config.importBatchSize,
      now: ctx.now,
      afterBatch: (p) => job.updateProgress(p),
    }),
};
