import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './pagination.ts';
import { cents, dateOnly, isCleanText, rfc3339, str } from './zod.ts';

const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('isCleanText', () => {
  it.each([
    ['plain', 'hello', true],
    ['a surrogate pair (emoji)', 'ok 😀', true],
    ['NUL', 'a\u0000b', false],
    ['a lone high surrogate', 'a\ud800', false],
    ['a lone low surrogate', '\udc00a', false],
    ['pairs in the wrong order', '\ude00\ud83d', false],
  ])('%s', (_name, s, clean) => {
    expect(isCleanText(s)).toBe(clean);
    expect(str().safeParse(s).success).toBe(clean);
  });
});

describe('decodeCursor', () => {
  it('reads back what encodeCursor wrote', () => {
    const c = { at: new Date('2026-03-04T05:06:07.089Z'), id: 'abc123' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });
  it.each([
    ['a NUL id', cursor(['2026-01-01T00:00:00.000Z', '\u0000'])],
    ['a lone surrogate id', cursor(['2026-01-01T00:00:00.000Z', '\ud800'])],
    ['an empty id', cursor(['2026-01-01T00:00:00.000Z', ''])],
    ['an over-long id', cursor(['2026-01-01T00:00:00.000Z', 'x'.repeat(129)])],
    ['year −100000', cursor(['-100000-01-01T00:00:00.000Z', 'x'])],
    ['year +275760', cursor(['+275760-09-13T00:00:00.000Z', 'x'])],
    ['year 0000', cursor(['0000-01-01T00:00:00.000Z', 'x'])],
    ['year 1969', cursor(['1969-12-31T23:59:59.999Z', 'x'])],
    ['a time that is not ISO', cursor(['Tue Mar 03 2026', 'x'])],
    ['a number id', cursor(['2026-01-01T00:00:00.000Z', 1])],
    ['an object', cursor({ at: '2026-01-01T00:00:00.000Z', id: 'x' })],
    ['three elements', cursor(['2026-01-01T00:00:00.000Z', 'x', 'y'])],
    ['not JSON', Buffer.from('nope').toString('base64url')],
  ])('refuses %s with validation_failed', (_name, c) => {
    expect(() => decodeCursor(c)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});

describe('bounds', () => {
  it('cents stop at 2³¹−1', () => {
    expect(cents().safeParse(2_147_483_647).success).toBe(true);
    expect(cents().safeParse(2_147_483_648).success).toBe(false);
  });
  it.each([
    ['1970-01-01T00:00:00Z', true],
    ['9999-12-31T23:59:59Z', true],
    ['2026-03-04T05:06:07+08:00', true],
    ['0000-01-01T00:00:00Z', false],
    ['1969-12-31T23:59:59Z', false],
  ])('rfc3339 %s → %s', (s, ok) => {
    expect(rfc3339().safeParse(s).success).toBe(ok);
  });
  it.each([
    ['2026-02-28', true],
    ['1950-06-01', true],
    ['0000-01-01', false],
    ['1899-12-31', false],
    ['2026-02-30', false],
  ])('dateOnly %s → %s', (s, ok) => {
    expect(dateOnly().safeParse(s).success).toBe(ok);
  });
});
