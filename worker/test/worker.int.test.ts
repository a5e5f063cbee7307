import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../api/test/harness.ts';
import { eventually, testWorker } from './helpers.ts';
import type { HandlerMap } from '../src/index.ts';
import { startWorker, type WorkerRuntime } from '../src/index.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

async function schedulersOf(rt: WorkerRuntime) {
  const all = await Promise.all(Object.values(rt.queues).map((q) => q.getJobSchedulers()));
  return all.flat();
}

describe.each([
  ['redis', {}],
  ['postgres', { redisUrl: null }],
] as const)('worker on %s', (kind, overrides) => {
  it('schedules the daily jobs per tenant in its time zone, and drops a suspended tenant', async () => {
    const shanghai = await api.createTenant();
    const berlin = await api.createTenant({ timezone: 'Europe/Berlin' });
    const rt = testWorker(api.db, api.databaseUrl, overrides);
    try {
      expect(rt.backend.kind).toBe(kind);
      await rt.enqueue('schedules.sync', {}, { jobId: 'sync-1' });
      await eventually(async () => (await schedulersOf(rt)).some((s) => s.key === `retention.close-period.${berlin.id}`), 'schedulers');
      const schedulers = await schedulersOf(rt);
      const closeBerlin = schedulers.find((s) => s.key === `retention.close-period.${berlin.id}`)!;
      expect(closeBerlin.tz).toBe('Europe/Berlin');
      expect(closeBerlin.pattern).toBe('10 0 * * *');
      expect(schedulers.find((s) => s.key === `retention.close-period.${shanghai.id}`)!.tz).toBe('Asia/Shanghai');

      expect((await api.http.post(`/v1/platform/tenants/${berlin.id}/suspend`).set(api.platform)).status).toBe(200);
      await rt.enqueue('schedules.sync', {}, { jobId: 'sync-2' });
      await eventually(async () => !(await schedulersOf(rt)).some((s) => s.key?.endsWith(berlin.id)), 'suspended tenant unscheduled');
    } finally {
      await rt.close();
    }
  });

  it('runs a job once per business key (jobId) and validates payloads', async () => {
    const seen: string[] = [];
    const handlers: HandlerMap = {
      'gifts.keep-tier': async (p) => {
        seen.push(p.tenantId);
      },
    };
    const base = testWorker(api.db, api.databaseUrl, overrides, { process: false });
    await base.close();
    const rt = startWorker({ ...base.context, backend: base.backend, handlers });
    try {
      await rt.enqueue('gifts.keep-tier', { tenantId: 'ten_a' }, { jobId: 'keep.ten_a.2026-01-01' });
      await rt.enqueue('gifts.keep-tier', { tenantId: 'ten_a' }, { jobId: 'keep.ten_a.2026-01-01' });
      await rt.enqueue('gifts.keep-tier', { tenantId: 'ten_b' }, { jobId: 'keep.ten_b.2026-01-01' });
      await expect(rt.enqueue('gifts.keep-tier', { tenantId: '' }, { jobId: 'bad' })).rejects.toThrow();
      await eventually(() => seen.length >= 2, 'jobs processed');
      await eventually(async () => (await rt.queues.gifts.getJobCounts('active', 'waiting', 'delayed')).waiting === 0, 'queue drained');
      expect(seen.sort()).toEqual(['ten_a', 'ten_b']);
    } finally {
      await rt.close();
    }
  });
});
