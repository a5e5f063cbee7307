import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('smoke', () => {
  it('onboards a tenant whose key lists members', async () => {
    const t = await api.createTenant();
    const enrol = await api.http.post('/v1/members').set(t.auth).send({ unionId: 'u1', openId: 'o1', storeId: t.stores[0]!.id });
    expect(enrol.status).toBe(201);
    expect(enrol.body.tier.code).toBe('bronze');
    const list = await api.http.get('/v1/members').set(t.auth);
    expect(list.status).toBe(200);
    expect(list.body.data.map((m: { unionId: string }) => m.unionId)).toEqual(['u1']);
  });
});
