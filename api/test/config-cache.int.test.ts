import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@unionpoint/db';
import { setConfigListenerActive } from '@unionpoint/core/quotes';
import { getProgram, updateProgram } from '@unionpoint/core/program';
import { systemContext } from '@unionpoint/core';
import { startTestApi, type TestApi, type TestTenant } from './harness.ts';

let api: TestApi;
let t: TestTenant;
beforeAll(async () => {
  api = await startTestApi();
  t = await api.createTenant();
});
afterEach(() => setConfigListenerActive(false));
afterAll(() => api.close());

const ctx = () => systemContext(t.id, 'test');
const read = () => withTenant(api.db.prisma, t.id, (tx) => getProgram(tx, ctx()));

describe('tenant config cache', () => {
  it('a rolled-back change is never cached, even when entries are trusted without a read', async () => {
    setConfigListenerActive(true);
    const before = await read();
    await expect(
      withTenant(api.db.prisma, t.id, async (tx) => {
        const changed = await updateProgram(tx, ctx(), { redeem: { maxShareBps: 1234 } });
        expect(changed.redeem.maxShareBps).toBe(1234);
        // The writing transaction sees its own change.
        expect((await getProgram(tx, ctx())).redeem.maxShareBps).toBe(1234);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const after = await read();
    expect(after.redeem.maxShareBps).toBe(before.redeem.maxShareBps);
    expect(after.version).toBe(before.version);
  });

  it('a committed change drops what other transactions cached meanwhile, right after commit, wherever the use case ran', async () => {
    // Entries trusted without a read, and no real listener: only this process's own drop after
    // commit can refresh the entry. The change is made outside any route (as a job would).
    setConfigListenerActive(true);
    const before = await read();
    await withTenant(api.db.prisma, t.id, async (tx) => {
      await updateProgram(tx, ctx(), { redeem: { maxShareBps: before.redeem.maxShareBps + 7 } });
      // Another request reads the committed (old) program while this one is still open: cached.
      expect((await read()).redeem.maxShareBps).toBe(before.redeem.maxShareBps);
    });
    expect((await read()).redeem.maxShareBps).toBe(before.redeem.maxShareBps + 7);
  });

  it('without a listener, a committed change is seen at the next read (version check)', async () => {
    const before = await read();
    const res = await api.http.patch('/v1/program').set(t.auth).send({ redeem: { maxShareBps: 4321 } });
    expect(res.status).toBe(200);
    const after = await read();
    expect(after.redeem.maxShareBps).toBe(4321);
    expect(after.version).toBe(before.version + 1);
  });
});
