import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey } from './api-keys.ts';

describe('API keys', () => {
  it('API keys are up_ + ≥ 24 random bytes, stored as sha256 with a short visible start', () => {
    const { key, hash, start } = generateApiKey();
    expect(key.startsWith('up_')).toBe(true);
    expect(key.length).toBeGreaterThanOrEqual(3 + 33); // 24 bytes in base58 is at least 33 characters
    expect(hash).toBe(hashApiKey(key));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(key.startsWith(start)).toBe(true);
    expect(start.length).toBeLessThan(key.length / 2);
  });
});
