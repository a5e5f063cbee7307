// A worker runtime per test file on the test API's database, with a Redis key prefix of its own
// (or BullMQ's PostgreSQL backend in that database), and a local webhook receiver.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { expect } from 'vitest';
import type { Db } from '@unionpoint/db';
import { createQueueBackend, loadWorkerConfig, startWorker, type WorkerConfig, type WorkerRuntime } from '../src/index.ts';
import { JOBS, type JobName, type JobPayload } from '../src/jobs/catalogue.ts';

export function testWorker(
  db: Db,
  databaseUrl: string,
  overrides: Partial<WorkerConfig> = {},
  options: { process?: boolean; now?: () => Date } = {},
): WorkerRuntime {
  const config: WorkerConfig = {
    ...loadWorkerConfig({}),
    redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    webhookAllowPrivateNetworks: true,
    webhookRetrySchedule: { delaysMs: [100, 200, 300], thenMs: 300, windowMs: 60_000 },
    relayIntervalMs: 100,
    sweepIntervalMs: 300,
    logLevel: 'silent',
    ...overrides,
  };
  const backend = createQueueBackend(config, { databaseUrl, prefix: `t${randomBytes(5).toString('hex')}` });
  return startWorker({ db, config, logger: pino({ level: 'silent' }), backend, process: options.process ?? true, ...(options.now ? { now: options.now } : {}) });
}

/**
 * Queues one job under `jobId` and waits until the worker has processed it: its result, or the
 * handler's error. Each call needs its own id (BullMQ drops a second job with the same id).
 */
export async function runJob<N extends JobName>(rt: WorkerRuntime, name: N, payload: JobPayload<N>, jobId: string): Promise<unknown> {
  await rt.enqueue(name, payload, { jobId });
  const queue = rt.queues[JOBS[name].queue];
  let job: Awaited<ReturnType<typeof queue.getJob>>;
  await eventually(async () => {
    job = await queue.getJob(jobId);
    return Boolean(job?.finishedOn);
  }, `job ${jobId}`);
  if (job!.failedReason) throw new Error(`${name} failed: ${job!.failedReason}`);
  return job!.returnvalue;
}

export interface Received {
  event: string;
  delivery: string;
  signature: string;
  body: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Decide the status per request; 200 by default. */
  respond: (r: Received, n: number) => number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: '', received: [], respond: () => 200, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        event: String(req.headers['unionpoint-event']),
        delivery: String(req.headers['unionpoint-delivery']),
        signature: String(req.headers['unionpoint-signature']),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      receiver.received.push(r);
      const status = receiver.respond(r, receiver.received.length);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'x'.repeat(3000));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

/** Polls until `check` is true (state, not time, is asserted). */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for: ${what}`);
}

/**
 * Webhooks are delivered at least once: a worker killed between sending a delivery and recording
 * its answer sends it again after the restart, with the same event id (the receiver's dedupe
 * key). That is all a kill may add. Given the event ids received (in order), the ids received
 * before the restart and the outbox's ids: every event arrived, nothing else did, and an event
 * that arrived more than once had a copy before the restart (a send the kill cut); an event first
 * sent after the restart arrives once. Returns how many copies were sent again.
 */
export function expectDeliveredAcrossKill(received: readonly string[], beforeRestart: ReadonlySet<string>, outbox: readonly string[]): { resent: number } {
  const perEvent = new Map<string, number>();
  for (const id of received) perEvent.set(id, (perEvent.get(id) ?? 0) + 1);
  expect([...perEvent.keys()].sort()).toEqual([...outbox].sort());
  const twiceAfterRestart = [...perEvent].filter(([id, n]) => n > 1 && !beforeRestart.has(id));
  expect(twiceAfterRestart).toEqual([]);
  // At most one resend per cut delivery: a copy before the kill and one after.
  expect([...perEvent.values()].filter((n) => n > 2)).toEqual([]);
  return { resent: received.length - perEvent.size };
}
