import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, startTestApi, type TestApi } from './harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ queueRedisUrl: redisUrl() });
});
afterAll(() => api?.close());

describe('queue board (/admin/queues)', () => {
  it('is for platform staff: the platform key sees every queue', async () => {
    const page = await api.http.get('/admin/queues').set(api.platform);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const queues = await api.http.get('/admin/queues/api/queues').set(api.platform);
    expect(queues.status).toBe(200);
    const names = queues.body.queues.map((q: { name: string }) => q.name).sort();
    expect(names).toEqual(['gifts', 'imports', 'ledger-maintenance', 'outbox-relay', 'retention', 'schedules', 'webhook-delivery']);
  });

  it('refuses anonymous callers, tenant keys and tenant sessions', async () => {
    expect((await api.http.get('/admin/queues')).status).toBe(401);
    expect((await api.http.get('/admin/queues/api/queues').set({ Authorization: 'Bearer up_nope' })).status).toBe(401);
    const t = await api.createTenant();
    expect((await api.http.get('/admin/queues').set(t.auth)).status).toBe(403);
    const agent = (await import('supertest')).default.agent(api.app);
    const login = await agent.post('/v1/auth/login').send(t.owner);
    expect([200, 201]).toContain(login.status);
    expect((await agent.get('/admin/queues/api/queues')).status).toBe(403);
  });
});
