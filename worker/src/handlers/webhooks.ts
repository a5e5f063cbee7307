import { unsafeDeliverLane, unsafeFindDueLanes, unsafeRelayOutbox } from '@unionpoint/core/webhooks';
import { jobKey } from '../jobs/catalogue.ts';
import type { HandlerMap } from '../runtime.ts';

export const webhookHandlers: HandlerMap = {
  /**
   * Relays until the outbox is drained (bounded per run), then wakes every lane it filled. The
   * wake-up's job id is the lane and its newest seq, so a second relay of the same rows adds
   * nothing and a newer event is never swallowed by an older, still-active job.
   */
  'outbox.relay': async (_payload, ctx) => {
    let events = 0;
    for (let i = 0; i < 20; i++) {
      const r = await unsafeRelayOutbox(ctx.db.pool, { batchSize: ctx.config.relayBatchSize });
      events += r.events;
      await ctx.enqueue.bulk(
        'webhooks.deliver-lane',
        r.lanes.map((l) => ({ payload: { tenantId: l.tenantId, endpointId: l.endpointId, lane: l.lane }, jobId: jobKey('lane', l.endpointId, l.lane, l.seq) })),
      );
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
    const outcome = await unsafeDeliverLane(ctx.db.pool, payload, {
      allowPrivateNetworks: ctx.config.webhookAllowPrivateNetworks,
      timeoutMs: ctx.config.webhookTimeoutMs,
      ...(ctx.config.webhookRetrySchedule ? { retrySchedule: ctx.config.webhookRetrySchedule } : {}),
    });
    if (outcome.retry) {
      // The retry's business key is the delivery and its attempt number: the sweeper, should it
      // find the same head due, uses the same key.
      await ctx.enqueue('webhooks.deliver-lane', payload, {
        jobId: jobKey('attempt', outcome.retry.deliveryId, outcome.retry.attempt),
        delay: Math.max(0, outcome.retry.at.getTime() - Date.now()),
      });
    }
    return outcome;
  },
};
