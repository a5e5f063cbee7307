import { describe, expect, it } from 'vitest';
import { base58, newId } from './ids.ts';

describe('ids', () => {
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
});
