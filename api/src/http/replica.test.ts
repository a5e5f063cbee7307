import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from '@unionpoint/core';
import type { Db } from '@unionpoint/db';
import { ReadReplica } from './replica.ts';
import { Routes } from './route.ts';

/** Pools answering the probe's two statements from mutable positions. */
function fakes() {
  const wal = { primary: '0/100', replayed: '0/100' as string | null, standby: true, replicaUp: true };
  const primary = { pool: { query: async () => ({ rows: [{ lsn: wal.primary }] }) } } as unknown as Db;
  const replicaDb = {
    pool: {
      query: async () => {
        if (!wal.replicaUp) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        return { rows: [{ standby: wal.standby, lsn: wal.replayed }] };
      },
    },
    close: async () => {},
  } as unknown as Db;
  const replica = new ReadReplica(replicaDb, primary, null, pino({ level: 'silent' }), { maxLagMs: 200, probeMs: 10_000 });
  return { wal, replica };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ReadReplica freshness', () => {
  it('is fresh while the replica has replayed what the primary had, idle or not, and behind once it stops following', async () => {
    const { wal, replica } = fakes();
    expect(replica.fresh()).toBe(false); // not measured yet
    await replica.probe();
    expect(replica.fresh()).toBe(true);
    // An idle primary: nothing new to replay, the replica stays fresh.
    await sleep(250);
    await replica.probe();
    expect(replica.fresh()).toBe(true);
    // The primary moves on, the replica does not: behind once the last sample it holds is older than the bound.
    wal.primary = '0/200';
    await replica.probe();
    await sleep(250);
    await replica.probe();
    expect(replica.fresh()).toBe(false);
    expect(replica.lagMs()).toBeGreaterThan(200);
    // It catches up past the newest sample: fresh again.
    wal.replayed = '1/0';
    await replica.probe();
    expect(replica.fresh()).toBe(true);
  });

  it('serves nothing when the server is not a standby or cannot be reached', async () => {
    const { wal, replica } = fakes();
    wal.standby = false;
    await replica.probe();
    expect(replica.fresh()).toBe(false);
    wal.standby = true;
    await replica.probe();
    expect(replica.fresh()).toBe(true);
    wal.replicaUp = false;
    await replica.probe();
    expect(replica.lagMs()).toBe(Number.POSITIVE_INFINITY);
  });

  it('keeps a caller that wrote on the primary for the lag bound', async () => {
    const { replica } = fakes();
    await replica.probe();
    await replica.wrote('key:a');
    expect(await replica.usable('key:a')).toBe(false);
    expect(await replica.usable('key:b')).toBe(true);
    expect(await replica.usable(undefined)).toBe(false);
    await sleep(250);
    await replica.probe();
    expect(await replica.usable('key:a')).toBe(true);
    expect(replica.stats.primary).toBe(2);
  });
});

describe('routes marked replica', () => {
  const base = {
    scope: 'tenant' as const,
    access: ['tenant_key'] as const,
    summary: 's',
    tags: ['t'],
    responses: { 200: z.object({}) },
    handler: async () => ({ status: 200 }),
  };
  it('are reads only: a GET, or a POST of role class read', () => {
    const routes = new Routes();
    expect(() => routes.add({ ...base, method: 'get', path: '/v1/a', replica: true })).not.toThrow();
    expect(() => routes.add({ ...base, method: 'post', path: '/v1/b', roles: 'read', replica: true })).not.toThrow();
    expect(() => routes.add({ ...base, method: 'post', path: '/v1/c', replica: true })).toThrow(/replica/);
    expect(() => routes.add({ ...base, method: 'delete', path: '/v1/d', replica: true })).toThrow(/replica/);
    expect(() => routes.add({ ...base, scope: 'platform', access: ['platform_key'] as const, method: 'get', path: '/v1/e', replica: true })).toThrow(/replica/);
  });
});
