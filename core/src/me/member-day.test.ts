import { describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAM_SETTINGS, type Program } from '../program/index.ts';
import { nextMemberDay } from './index.ts';

const config = (weekdays: number[] | null) => ({
  program: {
    ...DEFAULT_PROGRAM_SETTINGS,
    earn: { ...DEFAULT_PROGRAM_SETTINGS.earn, memberDay: weekdays ? { weekdays, discountBps: 8800, pointsMultiplierBps: 20_000 } : null },
    currency: 'CNY',
    timezone: 'Asia/Shanghai',
    qualificationModel: 'growth',
    version: 1,
  } as Program,
  ladder: [],
});

describe('the next member day', () => {
  it('is today on a member day, else the next weekday of it', () => {
    // 2026-12-02 is a Wednesday (ISO 3).
    expect(nextMemberDay(config([3]), '2026-12-02')).toMatchObject({ next: '2026-12-02', today: true, daysUntil: 0, discountBps: 8800 });
    expect(nextMemberDay(config([3]), '2026-12-03')).toMatchObject({ next: '2026-12-09', today: false, daysUntil: 6 });
    expect(nextMemberDay(config([7, 1]), '2026-12-05')).toMatchObject({ next: '2026-12-06', daysUntil: 1, weekdays: [1, 7] });
  });
  it('is null without a member day', () => {
    expect(nextMemberDay(config(null), '2026-12-02')).toBeNull();
    expect(nextMemberDay(config([]), '2026-12-02')).toBeNull();
  });
});
