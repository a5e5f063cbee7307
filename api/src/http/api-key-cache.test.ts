import { describe, expect, it } from 'vitest';
import { ApiKeyCache } from './api-key-cache.ts';

const key = (tenantId: string, keyId = 'key_1') => ({ keyId, tenantId, storeId: null, tenantStatus: 'active' as const });

describe('ApiKeyCache', () => {
  it('stores and serves nothing while the listener is down', () => {
    const c = new ApiKeyCache();
    c.set('h', key('t1'), c.begin());
    expect(c.get('h')).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('serves an entry until its TTL, then reads again', () => {
    const c = new ApiKeyCache(1000);
    c.setListenerActive(true);
    c.set('h', key('t1'), c.begin(), 0);
    expect(c.get('h', 999)?.tenantId).toBe('t1');
    expect(c.get('h', 1000)).toBeUndefined();
  });

  it('does not store a lookup that started before an invalidation', () => {
    const c = new ApiKeyCache();
    c.setListenerActive(true);
    const token = c.begin();
    c.invalidate('t2'); // any tenant: the lookup may have read a row changed since
    c.set('h', key('t1'), token);
    expect(c.get('h')).toBeUndefined();
    c.set('h', key('t1'), c.begin());
    expect(c.get('h')?.tenantId).toBe('t1');
  });

  it("invalidates one tenant's keys, or everything; losing the listener clears it", () => {
    const c = new ApiKeyCache();
    c.setListenerActive(true);
    c.set('a', key('t1', 'k1'), c.begin());
    c.set('b', key('t2', 'k2'), c.begin());
    c.invalidate('t1');
    expect(c.get('a')).toBeUndefined();
    expect(c.get('b')).toMatchObject({ keyId: 'k2' });
    c.setListenerActive(false);
    c.setListenerActive(true);
    expect(c.get('b')).toBeUndefined();
  });
});
