// Shared helpers of the ledger integration tests.
import { afterAll, beforeAll, expect } from 'vitest';
import { withTenant } from '@unionpoint/db';
import { systemContext } from '@unionpoint/core';
import { verifyLedger } from '@unionpoint/core/points';
import { startTestApi, type TestApi, type TestTenant } from '../harness.ts';

export async function enrol(api: TestApi, t: TestTenant, unionId: string) {
  const r = await api.http.post('/v1/members').set(t.auth).send({ unionId });
  expect(r.status).toBe(201);
  return r.body as { id: string; unionId: string };
}

export async function patchProgram(api: TestApi, t: TestTenant, patch: Record<string, unknown>) {
  const r = await api.http.patch('/v1/program').set(t.auth).send(patch);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

export async function order(api: TestApi, t: TestTenant, body: Record<string, unknown>) {
  return api.http
    .post('/v1/orders')
    .set(t.auth)
    .send({ storeId: t.stores[0]!.id, ...body });
}

export async function refund(api: TestApi, t: TestTenant, externalId: string, body: Record<string, unknown>) {
  return api.http
    .post(`/v1/orders/${encodeURIComponent(externalId)}/refunds`)
    .set(t.auth)
    .send({ storeId: t.stores[0]!.id, ...body });
}

export async function balanceOf(
  api: TestApi,
  t: TestTenant,
  unionId: string,
): Promise<{ points: number; growth: number; flagged: boolean }> {
  const r = await api.http.get(`/v1/members/${unionId}`).set(t.auth);
  expect(r.status).toBe(200);
  return { points: r.body.points.balance, growth: r.body.growth.value, flagged: r.body.flagged };
}

/** The ledger proof for a tenant: no mismatches. Called at the end of every integration test file. */
export async function expectLedgerConsistent(api: TestApi, tenantId: string) {
  const report = await withTenant(api.db.prisma, tenantId, (tx) => verifyLedger(tx, systemContext(tenantId, 'test')));
  expect(report.mismatches).toEqual([]);
  return report;
}

export function inTenant<T>(api: TestApi, tenantId: string, fn: Parameters<typeof withTenant<T>>[2]) {
  return withTenant(api.db.prisma, tenantId, fn);
}

/**
 * One API per test file (its own database) and a tenant factory; after the file's tests, every
 * tenant it made must pass the ledger proof. Call at the top level of the file.
 */
export function ledgerSuite(): { readonly api: TestApi; tenant(overrides?: Record<string, unknown>): Promise<TestTenant> } {
  let api: TestApi | undefined;
  const tenants: TestTenant[] = [];
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    if (!api) return;
    for (const t of tenants) await expectLedgerConsistent(api, t.id);
    await api.close();
  });
  const started = () => {
    if (!api) throw new Error('ledgerSuite: the API starts in beforeAll');
    return api;
  };
  return {
    get api() {
      return started();
    },
    async tenant(overrides = {}) {
      const t = await started().createTenant(overrides);
      tenants.push(t);
      return t;
    },
  };
}
