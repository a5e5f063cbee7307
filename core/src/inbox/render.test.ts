import { describe, expect, it } from 'vitest';
import { formatMoney, renderInboxMessage, type InboxRenderContext } from './index.ts';

const ranks: Record<string, [string, number]> = { bronze: ['铜牌', 0], silver: ['银牌', 1], gold: ['金牌', 2] };
const ctx = (language: 'zh-CN' | 'en'): InboxRenderContext => ({
  language,
  currency: 'CNY',
  timeZone: 'Asia/Shanghai',
  tierName: (c) => ranks[c]?.[0] ?? c,
  tierRank: (c) => ranks[c]?.[1] ?? -1,
});

describe('inbox messages in words', () => {
  it('an upgrade and a downgrade by rank, with tier names, never codes', () => {
    expect(renderInboxMessage('member.tier_changed', { from: 'silver', to: 'gold', reason: 'upgrade' }, ctx('zh-CN'))).toEqual({
      title: '恭喜升级金牌',
      body: '您已从银牌升级为金牌，新权益已生效。',
    });
    const down = renderInboxMessage('member.tier_changed', { from: 'gold', to: 'silver', reason: 'retention' }, ctx('en'));
    expect(down.title).toBe('Your tier is now 银牌');
    expect(JSON.stringify(down)).not.toMatch(/gold|silver|retention/);
  });

  it('the at-risk warning says exactly what keeps the tier, money as ¥, the local day', () => {
    const data = { tier: 'gold', wouldDropTo: 'silver', periodEnd: '2026-12-31', shortfall: { spendCents: 12_000, growth: 80 } };
    expect(renderInboxMessage('member.tier_at_risk', data, ctx('zh-CN')).body).toBe('2026-12-31 前再消费 ¥120并再获得 80 成长值即可保持金牌。');
    expect(renderInboxMessage('member.tier_at_risk', data, ctx('en')).body).toBe('Spend ¥120 more and earn 80 more growth by 2026-12-31 to keep 金牌.');
  });

  it('expiring points and a new coupon, dates in the tenant zone', () => {
    // 2026-12-31T20:00Z is already 2027-01-01 in Shanghai.
    expect(renderInboxMessage('points.expiring', { points: 1200, earliestExpiresAt: '2026-12-31T20:00:00.000Z' }, ctx('zh-CN')).body).toBe(
      '您有 1,200 积分将于 2027-01-01 过期，记得使用。',
    );
    expect(renderInboxMessage('coupon.issued', { templateName: '满100减10', expiresAt: '2026-12-10T00:00:00.000Z' }, ctx('en')).body).toBe(
      '"满100减10" is in your wallet, valid until 2026-12-10.',
    );
  });

  it('a benefit pack and a task reward, by name, valid to the last local day of the period', () => {
    // The March period ends at local midnight of 1 April: the coupons are good through 31 March.
    const pack = { benefitCode: 'ship', name: '免运费券', kind: 'coupon_pack', count: 6, periodStart: '2026-02-28T16:00:00.000Z', periodEnd: '2026-03-31T16:00:00.000Z' };
    expect(renderInboxMessage('entitlement.granted', pack, ctx('zh-CN'))).toEqual({ title: '本期权益已到账：免运费券', body: '6 张券已放入您的券包，最晚 2026-03-31 前有效。' });
    expect(renderInboxMessage('entitlement.granted', { ...pack, count: 1 }, ctx('en')).body).toBe('1 coupon is in your wallet, valid until 2026-03-31 at the latest.');
    const task = { task: 'weekly_orders', name: '每周下单 3 次', points: 200, growth: 50, couponId: 'cpn_1' };
    expect(renderInboxMessage('task.completed', task, ctx('zh-CN'))).toEqual({ title: '任务完成：每周下单 3 次', body: '恭喜！您获得了 200 积分、50 成长值、一张优惠券。' });
    // A built-in task has no name of its own: never its code.
    const first = renderInboxMessage('task.completed', { task: 'first_order', name: null, points: 100, growth: 0, couponId: null }, ctx('en'));
    expect(first).toEqual({ title: 'Task done: First order', body: 'Well done! You earned 100 points.' });
    expect(JSON.stringify(renderInboxMessage('task.completed', { task: 'profile_completed', points: 50 }, ctx('zh-CN')))).not.toMatch(/profile_completed/);
  });

  it('formats integer minor units without a float', () => {
    expect(formatMoney(12_345, 'CNY')).toBe('¥123.45');
    expect(formatMoney(100_000_00, 'CNY')).toBe('¥100,000');
    expect(formatMoney(5, 'USD')).toBe('USD 0.05');
  });
});
