import { describe, expect, it } from 'vitest';
import { ndjsonLines, parseImportLine } from './imports.ts';

async function lines(chunks: string[], limits = { maxBytes: 1 << 20, maxLineBytes: 16 }) {
  const out: { line: number; text: string | null }[] = [];
  for await (const l of ndjsonLines(
    (async function* () {
      for (const c of chunks) yield Buffer.from(c);
    })(),
    limits,
  ))
    out.push(l);
  return out;
}

describe('ndjsonLines', () => {
  it('splits LF and CRLF lines across chunk boundaries, numbering every line', async () => {
    expect(await lines(['{"a":1}\r', '\n{"b"', ':2}\n\n{"c":3}'])).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b":2}' },
      { line: 3, text: '' },
      { line: 4, text: '{"c":3}' },
    ]);
  });
  it('reports a line longer than the limit without holding it', async () => {
    expect(await lines(['{"x":"', 'a'.repeat(40), '"}\n{}\n'])).toEqual([
      { line: 1, text: null },
      { line: 2, text: '{}' },
    ]);
  });
  it('refuses an upload past the byte limit', async () => {
    await expect(lines(['{}\n'.repeat(10)], { maxBytes: 12, maxLineBytes: 16 })).rejects.toMatchObject({ code: 'payload_too_large' });
  });
});

describe('parseImportLine', () => {
  const pc = (kind: 'members' | 'orders' | 'points_balances') => ({
    kind,
    stores: new Map([['mall', 'sto_1']]),
    now: new Date('2026-03-01T00:00:00Z'),
  });
  it('normalises a valid order: store code to id, times to UTC, key by member', () => {
    const r = parseImportLine(
      pc('orders'),
      7,
      JSON.stringify({
        externalId: 'E',
        member: 'openid:o1',
        storeCode: 'mall',
        amountCents: 100,
        completedAt: '2026-02-01T08:00:00+08:00',
      }),
    );
    expect(r).toEqual({
      line: 7,
      key: 'openid:o1@sto_1',
      record: {
        externalId: 'E',
        member: 'openid:o1',
        storeId: 'sto_1',
        amountCents: 100,
        completedAt: '2026-02-01T00:00:00.000Z',
        refunds: [],
      },
      error: null,
    });
  });
  it.each([
    ['orders', '[1]', /JSON object/],
    ['orders', '{"externalId":"E","member":"u","storeCode":"mall","amountCents":-1,"completedAt":"2026-01-01T00:00:00Z"}', /amountCents/],
    [
      'orders',
      '{"externalId":"E","member":"u","storeCode":"mall","amountCents":1,"completedAt":"2026-01-01T00:00:00Z","refunds":[{"refundId":"r","amountCents":1,"at":"2025-12-31T00:00:00Z"}]}',
      /before the order/,
    ],
    [
      'orders',
      '{"externalId":"E","member":"u","storeCode":"mall","amountCents":1,"completedAt":"2026-01-01T00:00:00Z","refunds":[{"refundId":"r","amountCents":1,"at":"2026-01-02T00:00:00Z"},{"refundId":"r","amountCents":1,"at":"2026-01-02T00:00:00Z"}]}',
      /twice/,
    ],
    ['members', '{"unionId":"u","joinedAt":"2027-01-01T00:00:00Z"}', /future/],
    ['members', '{"unionId":"u","joinedAt":"2025-01-01T00:00:00Z","openIds":[{"storeCode":"x","openId":"o"}]}', /no store with code 'x'/],
    ['members', '{"unionId":"u","joinedAt":"2025-01-01T00:00:00Z","extra":1}', /extra|Unrecognized/i],
    ['points_balances', '{"member":"openid:o","points":5,"reference":"r"}', /unionId/],
    ['points_balances', '{"member":"u","points":0,"reference":"r"}', /points/],
  ] as const)('refuses a bad %s line: %s', (kind, text, message) => {
    const r = parseImportLine(pc(kind), 1, text);
    expect(r.key).toBeNull();
    expect(r.error).toMatch(message);
  });
});

describe('LocalClock', () => {
  it('gives what localParts and lotExpiresAt give, across a DST change and month ends', async () => {
    const { LocalClock } = await import('./replay.ts');
    const { localParts } = await import('../shared/time.ts');
    const { lotExpiresAt } = await import('../points/index.ts');
    for (const zone of ['Asia/Shanghai', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe']) {
      const clock = new LocalClock(zone, 12);
      for (let t = Date.parse('2024-02-27T00:00:00Z'); t < Date.parse('2024-04-03T00:00:00Z'); t += 47 * 60_000 + 13_000) {
        const at = new Date(t);
        const p = localParts(at, zone);
        expect(clock.parts(at), `${zone} ${at.toISOString()}`).toEqual({ year: p.year, month: p.month, weekday: p.weekday });
        expect(clock.expiresAt(at)).toEqual(lotExpiresAt(at, 12, zone));
      }
    }
  });
});
