import { describe, expect, it } from 'vitest';
import { nextMonth, settlementCsv } from './get-settlement.ts';
import type { Settlement } from './analytics.contract.ts';

describe('settlement helpers', () => {
  it('nextMonth rolls December into January of the next year', () => {
    expect(nextMonth('2028-02')).toBe('2028-03');
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(nextMonth('1999-09')).toBe('1999-10');
  });

  it('settlementCsv writes a header row, CRLF lines, empty fields for no store and quotes what needs it', () => {
    const s: Settlement = {
      month: '2028-02',
      timezone: 'Asia/Shanghai',
      currency: 'CNY',
      pointsPerUnit: 100,
      stores: [
        { storeId: 'sto_a', code: 'a,1', name: 'A', issuedPoints: 10, redeemedPoints: 0, payableCents: 0, receivableCents: 0, netCents: 0 },
        { storeId: 'sto_b', code: 'say "b"', name: 'B', issuedPoints: 0, redeemedPoints: 10, payableCents: 0, receivableCents: 0, netCents: 0 },
      ],
      matrix: [
        { issuedBy: 'sto_a', redeemedAt: 'sto_b', points: 7, valueCents: 7 },
        { issuedBy: null, redeemedAt: 'sto_b', points: 3, valueCents: 3 },
      ],
      unattributedPoints: 0,
    };
    expect(settlementCsv(s)).toBe(
      'month,issued_by,issued_by_code,redeemed_at,redeemed_at_code,points,value_cents,currency\r\n' +
        '2028-02,sto_a,"a,1",sto_b,"say ""b""",7,7,CNY\r\n' +
        '2028-02,,,sto_b,"say ""b""",3,3,CNY\r\n',
    );
  });
});
