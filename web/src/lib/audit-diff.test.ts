import { describe, expect, it } from 'vitest';
import { diffFields, formatValue, type ValueFormat } from './audit-diff';

const fmt = (locale: 'en' | 'zh-CN'): ValueFormat => ({
  locale,
  money: (c) => `¥${(c / 100).toFixed(2)}`,
  num: (n) => String(n),
  dateTime: (iso) => `at ${iso.slice(0, 10)}`,
  yes: 'Yes',
  no: 'No',
  none: '—',
});

describe('diffFields', () => {
  it('lists only the changed leaves of nested objects, by path', () => {
    const before = { id: 'p1', version: 3, earn: { pointsPerUnit: 1, memberDay: null }, expiry: { months: 12 }, updatedAt: 'x' };
    const after = { id: 'p1', version: 4, earn: { pointsPerUnit: 2, memberDay: null }, expiry: { months: 12 }, updatedAt: 'y' };
    expect(diffFields(before, after)).toEqual([{ path: ['earn', 'pointsPerUnit'], before: 1, after: 2 }]);
  });

  it('a creation lists what was set (not the empty fields); a removal what was there', () => {
    expect(diffFields(null, { code: 'W5', amountCents: 500, stock: null, skus: [] })).toEqual([
      { path: ['code'], before: undefined, after: 'W5' },
      { path: ['amountCents'], before: undefined, after: 500 },
    ]);
    expect(diffFields({ email: 'a@b.c' }, undefined)).toEqual([{ path: ['email'], before: 'a@b.c', after: undefined }]);
  });

  it('compares arrays whole and reports a field that appears', () => {
    expect(diffFields({ weekdays: [3] }, { weekdays: [3, 6] })).toEqual([{ path: ['weekdays'], before: [3], after: [3, 6] }]);
    expect(diffFields({ weekdays: [3] }, { weekdays: [3] })).toEqual([]);
    expect(diffFields({ tier: 'gold' }, { tier: 'gold', reason: 'vip' })).toEqual([{ path: ['reason'], before: undefined, after: 'vip' }]);
  });

  it('leaves out internal ids', () => {
    expect(diffFields({ pointsBalance: 0 }, { pointsBalance: 50, delta: 50, entryId: 'ple_1', storeIds: ['sto_1'] })).toEqual([
      { path: ['pointsBalance'], before: 0, after: 50 },
      { path: ['delta'], before: undefined, after: 50 },
      { path: ['storeIds'], before: undefined, after: ['sto_1'] },
    ]);
  });

  it('compares a list of coded objects (the ladder) item by item, named by name, also when one side was recorded bare', () => {
    const before = [
      { code: 'bronze', name: 'Bronze', rank: 0, minGrowth: 0 },
      { code: 'silver', name: 'Silver', rank: 1, minGrowth: 1000 },
    ];
    const after = {
      tiers: [
        { code: 'bronze', name: 'Bronze', rank: 0, minGrowth: 0 },
        { code: 'silver', name: 'Silver', rank: 1, minGrowth: 1500 },
        { code: 'gold', name: 'Gold', rank: 2, minGrowth: 5000 },
      ],
      upgraded: 0,
      downgraded: 3,
    };
    expect(diffFields(before, after)).toEqual([
      { path: ['tiers', 'Silver', 'minGrowth'], before: 1000, after: 1500 },
      { path: ['tiers', 'Gold', 'code'], before: undefined, after: 'gold' },
      { path: ['tiers', 'Gold', 'name'], before: undefined, after: 'Gold' },
      { path: ['tiers', 'Gold', 'rank'], before: undefined, after: 2 },
      { path: ['tiers', 'Gold', 'minGrowth'], before: undefined, after: 5000 },
      { path: ['upgraded'], before: undefined, after: 0 },
      { path: ['downgraded'], before: undefined, after: 3 },
    ]);
    expect(diffFields({ tiers: before }, { tiers: before.slice(0, 1) })).toEqual([
      { path: ['tiers', 'Silver', 'code'], before: 'silver', after: undefined },
      { path: ['tiers', 'Silver', 'name'], before: 'Silver', after: undefined },
      { path: ['tiers', 'Silver', 'rank'], before: 1, after: undefined },
      { path: ['tiers', 'Silver', 'minGrowth'], before: 1000, after: undefined },
    ]);
  });

  it('a scalar entry is one change with an empty path', () => {
    expect(diffFields(1, 2)).toEqual([{ path: [], before: 1, after: 2 }]);
  });
});

describe('formatValue', () => {
  it('shows each number in the unit its field names', () => {
    expect(formatValue('minSpendCents', 200000, fmt('en'))).toBe('¥2000.00');
    expect(formatValue('discountBps', 9500, fmt('zh-CN'))).toBe('95折');
    expect(formatValue('discountBps', 9500, fmt('en'))).toBe('5% off');
    expect(formatValue('percentBps', 1000, fmt('en'))).toBe('10% off');
    expect(formatValue('pointsMultiplierBps', 12000, fmt('en'))).toBe('×1.2');
    expect(formatValue('maxRedeemBps', 5000, fmt('en'))).toBe('50%');
    expect(formatValue('pointsBalance', 120, fmt('en'))).toBe('120');
  });

  it('shows ISO weekdays by name', () => {
    expect(formatValue('weekdays', [3, 7], fmt('en'))).toBe('Wednesday, Sunday');
    expect(formatValue('weekdays', [1], fmt('zh-CN'))).toBe('周一');
  });

  it('names the keys of a small object in words', () => {
    const f = { ...fmt('zh-CN'), fieldWord: (k: string) => ({ per: '周期', count: '次数' })[k] ?? k };
    expect(formatValue('grants', [{ per: 'week', count: 2 }], f)).toBe('周期：week，次数：2');
    expect(formatValue('grants', [{ per: 'week', count: 2 }], fmt('en'))).toBe('per: week, count: 2');
  });

  it('shows times, flags, lists and nothing in words', () => {
    expect(formatValue('trialUntil', '2026-12-02T10:00:00.000Z', fmt('en'))).toBe('at 2026-12-02');
    expect(formatValue('fastRefund', true, fmt('en'))).toBe('Yes');
    expect(formatValue('sizes', [3, 6], fmt('en'))).toBe('3, 6');
    expect(formatValue('x', null, fmt('en'))).toBe('—');
    const words = { ...fmt('zh-CN'), enumText: (field: string, v: string) => (field === 'clawback' && v === 'cap_at_balance' ? '最多扣至零' : undefined) };
    expect(formatValue('clawback', 'cap_at_balance', words)).toBe('最多扣至零');
    expect(formatValue('name', 'Gold', words)).toBe('Gold');
    expect(formatValue('grants', [{ tier: 'gold', count: 6, per: 'month' }], fmt('en'))).toBe('tier: gold, count: 6, per: month');
  });
});
