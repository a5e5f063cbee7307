import { describe, expect, it } from 'vitest';
import { base58, newId } from './ids.ts';
import { canonicalJson, requestHash } from '../idempotency/index.ts';
import { generateApiKey, hashApiKey } from '../auth/index.ts';

describe('ids and keys', () => {
  it('makes prefixed, unique, time-ordered ids', async () => {
    const a = newId('mem');
    await new Promise((r) => setTimeout(r, 2));
    const b = newId('mem');
    expect(a).toMatch(/^mem_[1-9A-HJ-NP-Za-km-z]+$/);
    expect(a).not.toBe(b);
    expect(a < b || a.length < b.length).toBe(true);
  });
  it('ids made in the same millisecond still sort in the order they were made', () => {
    const ids = Array.from({ length: 2000 }, () => newId('ple'));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
  it('encodes base58 with leading zero bytes', () => {
    expect(base58(Buffer.from([0, 0, 1]))).toBe('112');
  });
  it('API keys are up_ + ≥ 24 random bytes, stored as sha256 with a short visible start', () => {
    const { key, hash, start } = generateApiKey();
    expect(key.startsWith('up_')).toBe(true);
    expect(key.length).toBeGreaterThanOrEqual(3 + 33); // 24 bytes in base58 is at least 33 characters
    expect(hash).toBe(hashApiKey(key));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(key.startsWith(start)).toBe(true);
    expect(start.length).toBeLessThan(key.length / 2);
  });
  it('hashes requests independent of key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(requestHash('POST', '/v1/x', { a: 1, b: 2 })).toBe(requestHash('POST', '/v1/x', { b: 2, a: 1 }));
    expect(requestHash('POST', '/v1/x', { a: 1 })).not.toBe(requestHash('POST', '/v1/x', { a: 2 }));
  });
});
