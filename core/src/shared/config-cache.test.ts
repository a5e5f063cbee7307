import { describe, expect, it } from 'vitest';
import type { Tx } from '@unionpoint/db';
import { cachedConfig, invalidateTenantConfig, setConfigListenerActive } from './config-cache.ts';
import { markReplicaRead } from './replica-read.ts';

/** A transaction stand-in that answers the version read with `version`. */
const fakeTx = (version: number) => ({ $queryRaw: async () => [{ version }] }) as unknown as Tx;

describe('config cache and replica reads', () => {
  it('never caches what a replica read loaded, but serves it what the primary cached', async () => {
    setConfigListenerActive(true);
    try {
      invalidateTenantConfig('t1');
      // The replica is behind: it still has version 1 of the program.
      const onReplica = fakeTx(1);
      markReplicaRead(onReplica);
      expect(await cachedConfig(onReplica, 't1', 'program', async () => 'v1 from the replica')).toBe('v1 from the replica');
      // A primary read afterwards is not served the replica's value: it loads (and caches) its own.
      expect(await cachedConfig(fakeTx(2), 't1', 'program', async () => 'v2 from the primary')).toBe('v2 from the primary');
      // The replica read now gets the primary's cached entry, vouched for by the listener.
      const again = fakeTx(1);
      markReplicaRead(again);
      expect(await cachedConfig(again, 't1', 'program', async () => 'v1 from the replica')).toBe('v2 from the primary');
    } finally {
      setConfigListenerActive(false);
    }
  });

  it('without the listener, a replica read loads every time and leaves the entry alone', async () => {
    setConfigListenerActive(false);
    expect(await cachedConfig(fakeTx(3), 't2', 'program', async () => 'v3')).toBe('v3');
    const onReplica = fakeTx(2);
    markReplicaRead(onReplica);
    expect(await cachedConfig(onReplica, 't2', 'program', async () => 'v2 from the replica')).toBe('v2 from the replica');
    let loads = 0;
    expect(await cachedConfig(fakeTx(3), 't2', 'program', async () => (loads++, 'reloaded'))).toBe('v3');
    expect(loads).toBe(0);
  });
});
