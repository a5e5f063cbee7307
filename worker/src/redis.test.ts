import { describe, expect, it } from 'vitest';
import { parseClusterNodes, queuePrefix, redisTargetFromEnv } from './redis.ts';

describe('Redis target from the environment', () => {
  it('is a cluster when REDIS_CLUSTER_NODES is set, whatever REDIS_URL says', () => {
    expect(redisTargetFromEnv({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001', REDIS_URL: 'redis://x:6379' })).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      nodeOptions: {},
    });
    expect(redisTargetFromEnv({ REDIS_URL: 'redis://x:6379' })).toEqual({ kind: 'single', url: 'redis://x:6379' });
    expect(redisTargetFromEnv({})).toBeNull();
    expect(redisTargetFromEnv({ REDIS_CLUSTER_NODES: ' , ' })).toBeNull();
  });
  it('takes credentials and TLS from the first node for every node', () => {
    const t = parseClusterNodes('rediss://app:s%40cret@a.example:6380,b.example');
    expect(t).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'a.example', port: 6380 },
        { host: 'b.example', port: 6379 },
      ],
      nodeOptions: { username: 'app', password: 's@cret', tls: {} },
    });
  });
});

describe('queue prefix', () => {
  it('hash-tags each queue on a cluster and keeps the plain prefix on one server', () => {
    expect(queuePrefix('up', 'outbox-relay', true)).toBe('{up:outbox-relay}');
    expect(queuePrefix('up', 'outbox-relay', false)).toBe('up');
  });
});
