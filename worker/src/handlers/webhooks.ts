import { unsafeDeliverLane, unsafeDeliverLanes, unsafeFindDueLanes, unsafeRelayOutbox, type DeliverOptions, type LaneOutcome } from '@unionpoint/core/webhooks';
import { jobKey } from '../jobs/catalogue.ts';
import type { HandlerMap, WorkerContext } from '../handler-types.ts';
import { traceWebhookAttempt } from '../tracing.ts';

function deliverOptions(ctx: WorkerContext): DeliverOptions {
  return {
    allowPrivateNetworks: ctx.config.webhookAllowPrivateNetworks,
    timeoutMs: ctx.config.webhookTimeoutMs,
    aroundAttempt: traceWebhookAttempt,
    ...(ctx.config.webhookRetrySchedule ? { retrySchedule: ctx.config.webhookRetrySchedule } : {}),
  };
}

type LanePayload = { tenantId: string; endpointId: string; lane: string };

/**
 * A lane whose head failed gets a delayed wake-up at its next attempt time. The retry's business
 * key is the delivery and its attempt number: the sweeper, should it find the same head due,
 * uses the same key.
 */
async function scheduleRetries(ctx: WorkerContext, lanes: { lane: LanePayload; outcome: LaneOutcome | null }[]) {
  await ctx.enqueue.bulk(
    'webhooks.deliver-lane',
    lanes.flatMap(({ lane, outcome }) =>
      outcome?.retry
        ? [{ payload: lane, jobId: jobKey('attempt', outcome.retry.deliveryId, outcome.retry.attempt), delay: Math.max(1, outcome.retry.at.getTime() - Date.now()) }]
        : [],
    ),
  );
}

export const webhookHandlers: HandlerMap = {
  /**
   * Relays until the outbox is drained (bounded per run), then wakes every lane it filled, in
   * jobs of WEBHOOK_LANES_PER_JOB lanes. A wake-up's job id is its first lane and that lane's
   * newest seq, so a second relay of the same rows adds nothing and a newer event is never
   * swallowed by an older, still-active job.
   */
  'outbox.relay': async (_payload, ctx) => {
    let events = 0;
    const per = ctx.config.webhookLanesPerJob;
    for (let i = 0; i < 20; i++) {
      const r = await unsafeRelayOutbox(ctx.db.pool, { batchSize: ctx.config.relayBatchSize });
      events += r.events;
      const lanes = [...r.lanes].sort((a, b) => {
        const d = BigInt(a.seq) - BigInt(b.seq);
        return d < 0n ? -1 : d > 0n ? 1 : 0;
      });
      const jobs = [];
      for (let at = 0; at < lanes.length; at += per) {
        const chunk = lanes.slice(at, at + per);
        const first = chunk[0]!;
        jobs.push({
          payload: { lanes: chunk.map((l) => ({ tenantId: l.tenantId, endpointId: l.endpointId, lane: l.lane })) },
          jobId: jobKey('lanes', first.endpointId, first.lane, first.seq),
        });
      }
      await ctx.enqueue.bulk('webhooks.deliver-lanes', jobs);
      if (r.events < ctx.config.relayBatchSize) break;
    }
    return { events };
  },
  'webhooks.sweep': async (_payload, ctx) => {
    const due = await unsafeFindDueLanes(ctx.db.pool);
    await ctx.enqueue.bulk(
      'webhooks.deliver-lane',
      due.map((d) => ({ payload: { tenantId: d.tenantId, endpointId: d.endpointId, lane: d.lane }, jobId: jobKey('attempt', d.deliveryId, d.attempts) })),
    );
    return { lanes: due.length };
  },
  'webhooks.deliver-lane': async (payload, ctx) => {
    const outcome = await unsafeDeliverLane(ctx.db.pool, payload, deliverOptions(ctx));
    await scheduleRetries(ctx, [{ lane: payload, outcome }]);
    return outcome;
  },
  /**
   * The lanes are sent together (their database steps share statements) but each in its own
   * order: a failing lane schedules its retry and stops, the others go on. A lane the database
   * failed fails the job once the others are done; its lease expires and the sweeper wakes it.
   */
  'webhooks.deliver-lanes': async (payload, ctx) => {
    const results = await unsafeDeliverLanes(ctx.db.pool, payload.lanes, deliverOptions(ctx));
    await scheduleRetries(ctx, results);
    const failed = results.filter((r) => r.error);
    if (failed.length) throw new Error(`${failed.length} of ${results.length} lanes failed: ${String((failed[0]!.error as Error)?.message ?? failed[0]!.error)}`);
    return {
      lanes: results.length,
      delivered: results.reduce((s, r) => s + (r.outcome?.delivered ?? 0), 0),
      failed: results.reduce((s, r) => s + (r.outcome?.failed ?? 0), 0),
      retries: results.filter((r) => r.outcome?.retry).length,
    };
  },
};
