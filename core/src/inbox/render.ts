import type { InboxKind, MemberLanguage } from './inbox.contract.ts';

/** What rendering needs besides the message: the tenant's language, currency and tier names. */
export interface InboxRenderContext {
  language: MemberLanguage;
  currency: string;
  timeZone: string;
  tierName(code: string): string;
  /** The tier's rank on the ladder (−1 when unknown). */
  tierRank(code: string): number;
}

/** Integer minor units as money: ¥12.30 for CNY, "USD 12.30" otherwise. Never through a float. */
export function formatMoney(cents: number, currency: string): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(cents));
  const major = Math.floor(abs / 100).toLocaleString('en-US');
  const minor = String(abs % 100).padStart(2, '0');
  const amount = minor === '00' ? major : `${major}.${minor}`;
  return currency === 'CNY' ? `${sign}¥${amount}` : `${sign}${currency} ${amount}`;
}

function localDay(iso: unknown, timeZone: string): string {
  if (typeof iso !== 'string') return '';
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return '';
  if (iso.length === 10) return iso;
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** The last local day before an exclusive end (a period ending at local midnight ends the day before). */
function lastLocalDay(iso: unknown, timeZone: string): string {
  if (typeof iso !== 'string') return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return localDay(new Date(d.getTime() - 1).toISOString(), timeZone);
}

/** The built-in tasks have no name of their own: theirs in the member's language. */
const BUILTIN_TASK_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  first_order: { 'zh-CN': '首单任务', en: 'First order' },
  profile_completed: { 'zh-CN': '完善资料', en: 'Complete your profile' },
};

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Title and body of one inbox message in the tenant's language, from the event's data. Plain
 * words only: tier names, money as ¥, dates as local days; never a code.
 */
export function renderInboxMessage(kind: InboxKind, data: Record<string, unknown>, r: InboxRenderContext): { title: string; body: string } {
  const zh = r.language === 'zh-CN';
  switch (kind) {
    case 'member.tier_changed': {
      const to = r.tierName(str(data.to));
      const from = data.from ? r.tierName(str(data.from)) : null;
      const up = r.tierRank(str(data.to)) > r.tierRank(str(data.from));
      if (!from) return zh ? { title: `欢迎成为${to}`, body: `您现在是${to}会员。` } : { title: `Welcome to ${to}`, body: `You are now a ${to} member.` };
      return up
        ? zh
          ? { title: `恭喜升级${to}`, body: `您已从${from}升级为${to}，新权益已生效。` }
          : { title: `You reached ${to}`, body: `You moved up from ${from} to ${to}; your new benefits apply now.` }
        : zh
          ? { title: `会员等级调整为${to}`, body: `您的等级已从${from}调整为${to}。` }
          : { title: `Your tier is now ${to}`, body: `Your tier changed from ${from} to ${to}.` };
    }
    case 'member.tier_at_risk': {
      const tier = r.tierName(str(data.tier));
      const end = localDay(data.periodEnd, r.timeZone);
      const shortfall = (data.shortfall ?? {}) as Record<string, unknown>;
      const parts: string[] = [];
      if (num(shortfall.spendCents) > 0) parts.push(zh ? `再消费 ${formatMoney(num(shortfall.spendCents), r.currency)}` : `spend ${formatMoney(num(shortfall.spendCents), r.currency)} more`);
      if (num(shortfall.growth) > 0) parts.push(zh ? `再获得 ${num(shortfall.growth).toLocaleString('en-US')} 成长值` : `earn ${num(shortfall.growth).toLocaleString('en-US')} more growth`);
      const need = parts.join(zh ? '并' : ' and ');
      return zh
        ? { title: `${tier}保级提醒`, body: `${end} 前${need || '完成保级要求'}即可保持${tier}。` }
        : { title: `Keep your ${tier} tier`, body: `${need ? need[0]!.toUpperCase() + need.slice(1) : 'Meet the requirement'} by ${end} to keep ${tier}.` };
    }
    case 'points.expiring': {
      const points = num(data.points).toLocaleString('en-US');
      const at = localDay(data.earliestExpiresAt, r.timeZone);
      return zh
        ? { title: '积分即将过期', body: `您有 ${points} 积分将于 ${at} 过期，记得使用。` }
        : { title: 'Points expiring soon', body: `${points} of your points expire on ${at}. Use them before then.` };
    }
    case 'coupon.issued': {
      const name = str(data.templateName) || (zh ? '优惠券' : 'coupon');
      const at = localDay(data.expiresAt, r.timeZone);
      return zh
        ? { title: '您收到一张优惠券', body: `「${name}」已放入您的券包，${at} 前有效。` }
        : { title: 'You have a new coupon', body: `"${name}" is in your wallet, valid until ${at}.` };
    }
    case 'entitlement.granted': {
      const name = str(data.name) || (zh ? '会员权益' : 'member benefit');
      const count = num(data.count).toLocaleString('en-US');
      const until = lastLocalDay(data.periodEnd, r.timeZone);
      return zh
        ? { title: `本期权益已到账：${name}`, body: `${count} 张券已放入您的券包，最晚 ${until} 前有效。` }
        : { title: `Your ${name} for this period`, body: `${count} ${num(data.count) === 1 ? 'coupon is' : 'coupons are'} in your wallet, valid until ${until} at the latest.` };
    }
    case 'task.completed': {
      const builtin = BUILTIN_TASK_NAMES[str(data.task)];
      const name = str(data.name) || (builtin ? builtin[r.language] : zh ? '任务' : 'a task');
      const parts: string[] = [];
      if (num(data.points) > 0) parts.push(zh ? `${num(data.points).toLocaleString('en-US')} 积分` : `${num(data.points).toLocaleString('en-US')} points`);
      if (num(data.growth) > 0) parts.push(zh ? `${num(data.growth).toLocaleString('en-US')} 成长值` : `${num(data.growth).toLocaleString('en-US')} growth`);
      if (str(data.couponId)) parts.push(zh ? '一张优惠券' : 'a coupon');
      return zh
        ? { title: `任务完成：${name}`, body: parts.length ? `恭喜！您获得了 ${parts.join('、')}。` : '恭喜完成任务！' }
        : { title: `Task done: ${name}`, body: parts.length ? `Well done! You earned ${parts.join(', ')}.` : 'Well done!' };
    }
  }
}
