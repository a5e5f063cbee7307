// Tracing, with an in-memory exporter: one order request is one trace — the HTTP server span
// (named by its route template), the route's use case, the tenant transaction and its SQL —
// and the worker's webhook delivery of the event that order wrote links back to that trace
// (the traceparent travels in the outbox row and the delivery row, not in a job payload).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing, stopTracing, SpanKind } from '@unionpoint/db';
import { InMemorySpanExporter, type ReadableSpan } from '@unionpoint/db/testing';
import { EVENT_TYPES } from '@unionpoint/core/webhooks';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';
import { eventually, startReceiver, testWorker, type Receiver } from '../../worker/test/helpers.ts';
import type { WorkerRuntime } from '../../worker/src/index.ts';

const exporter = new InMemorySpanExporter();
let api: TestApi;
let t: TestTenant;
let receiver: Receiver;
let worker: WorkerRuntime | null = null;

beforeAll(async () => {
  expect(await startTracing({ serviceName: 'unionpoint-test', exporter })).toBe(true);
  api = await startTestApi({ webhookAllowPrivateNetworks: true });
  t = await api.createTenant();
  receiver = await startReceiver();
});
afterAll(async () => {
  await worker?.close();
  await receiver?.close();
  await api?.close();
  await stopTracing();
});

const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan) => spans.filter((s) => parentOf(s) === parent.spanContext().spanId);

describe('tracing', () => {
  it('an order request is one span tree, and the webhook delivery links to it', async () => {
    expect(
      (
        await api.http
          .post('/v1/webhooks')
          .set(t.auth)
          .send({ url: receiver.url, events: [...EVENT_TYPES] })
      ).status,
    ).toBe(201);
    expect((await api.http.post('/v1/members').set(t.auth).send({ unionId: 'TR-1' })).status).toBe(201);
    exporter.reset();

    const order = await api.http
      .post('/v1/orders')
      .set(t.auth)
      .send({ externalId: 'trace-1', member: 'TR-1', storeId: t.stores[0]!.id, amountCents: 12_300 });
    expect(order.status, JSON.stringify(order.body)).toBe(201);

    const spans = exporter.getFinishedSpans();
    const server = spans.filter((s) => s.kind === SpanKind.SERVER);
    expect(server.map((s) => s.name)).toEqual(['POST /v1/orders']);
    const http = server[0]!;
    expect(http.attributes['http.route']).toBe('/v1/orders');
    expect(http.attributes['http.response.status_code']).toBe(201);
    expect(parentOf(http)).toBeUndefined();
    const traceId = http.spanContext().traceId;
    expect(spans.every((s) => s.spanContext().traceId === traceId)).toBe(true);

    // HTTP → use case → tenant transaction → SQL.
    const useCases = childrenOf(spans, http);
    expect(useCases).toHaveLength(1);
    expect(useCases[0]!.attributes['unionpoint.operation']).toBe(useCases[0]!.name);
    const transactions = childrenOf(spans, useCases[0]!).filter((s) => s.name === 'tenant transaction');
    expect(transactions.length).toBeGreaterThanOrEqual(1);
    expect(transactions[0]!.attributes['unionpoint.tenant_id']).toBe(t.id);
    const sql = transactions.flatMap((tx) => childrenOf(spans, tx));
    expect(sql.length).toBeGreaterThanOrEqual(1);
    expect(sql.every((s) => s.kind === SpanKind.CLIENT && s.attributes['db.system'] === 'postgresql')).toBe(true);
    const statements = sql.map((s) => String(s.attributes['db.statement'])).join('\n');
    expect(statements).toMatch(/BEGIN/);
    expect(statements).toMatch(/INSERT INTO/i);
    expect(statements).toMatch(/COMMIT/);

    // The worker relays the order's events and delivers them; each delivery's span links to
    // the order's trace.
    worker = testWorker(api.db, api.databaseUrl);
    await worker.scheduleRecurring();
    const mine = () => receiver.received.filter((r) => r.body.includes('trace-1'));
    await eventually(() => mine().length >= 1, 'a delivery of the order’s events');
    await eventually(
      () =>
        exporter
          .getFinishedSpans()
          .some((s) => s.name === 'webhook delivery' && s.attributes['unionpoint.delivery_id'] === mine()[0]!.delivery),
      'the delivery span',
    );
    const all = exporter.getFinishedSpans();
    const delivery = all.find((s) => s.name === 'webhook delivery' && s.attributes['unionpoint.delivery_id'] === mine()[0]!.delivery)!;
    expect(delivery.spanContext().traceId).not.toBe(traceId);
    expect(delivery.links).toHaveLength(1);
    expect(delivery.links[0]!.context.traceId).toBe(traceId);
    expect(transactions.map((s) => s.spanContext().spanId)).toContain(delivery.links[0]!.context.spanId);
    // Inside the job that sent it (its span ends when the job does).
    await eventually(() => exporter.getFinishedSpans().some((s) => s.spanContext().spanId === parentOf(delivery)), 'the job span');
    const job = exporter.getFinishedSpans().find((s) => s.spanContext().spanId === parentOf(delivery));
    expect(job?.name).toMatch(/^job webhooks\.deliver-lanes?$/);
    expect(job?.kind).toBe(SpanKind.CONSUMER);
  }, 120_000);
});
