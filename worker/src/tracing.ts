// The worker's spans (off unless tracing is started: worker/src/process.ts): one per job, and
// one per webhook attempt linked to the trace of the transaction that wrote the event (the
// traceparent kept on the outbox event and its delivery), so a trace viewer leads from an order
// request to the webhooks it caused.
import { SpanKind, inSpan, linkTo, tracingEnabled } from '@unionpoint/db';
import type { AroundAttempt } from '@unionpoint/core/webhooks';

/** Runs a job's handler in a `job <name>` span. */
export function traceJob<T>(name: string, queue: string, run: () => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return run();
  return inSpan(`job ${name}`, { 'messaging.system': 'bullmq', 'messaging.destination.name': queue, 'unionpoint.job': name }, run, {
    kind: SpanKind.CONSUMER,
  });
}

/** A `webhook delivery` span around each attempt, linked to the event's trace. */
export const traceWebhookAttempt: AroundAttempt = (info, send) => {
  if (!tracingEnabled()) return send();
  const link = linkTo(info.traceParent, { 'unionpoint.link': 'event' });
  return inSpan(
    'webhook delivery',
    { 'unionpoint.delivery_id': info.deliveryId, 'unionpoint.event_type': info.eventType, 'unionpoint.attempt': info.attempt },
    () => send(),
    { kind: SpanKind.CLIENT, links: link ? [link] : [] },
  );
};
