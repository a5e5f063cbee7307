import type { MessageKey, Translate as T } from '@/i18n';

export interface GrantLike {
  tier?: string | null;
  plan?: string | null;
  exactTier?: boolean;
  count?: number | null;
  per: 'day' | 'week' | 'month' | 'quarter' | 'year';
}

/** A quota in words: "6 per month" / "每月6张", "Unlimited" / "不限次数". */
export function quotaInWords(t: T, count: number | null | undefined, per: GrantLike['per'], coupons: boolean): string {
  if (count === null || count === undefined) return t('catalog.unlimited');
  return t(coupons ? 'catalog.quotaCoupons' : 'catalog.quota', { count, per: t(`catalog.per.${per}` as MessageKey) });
}

/** Who a grant is for, in words, with the tier and plan names: "金牌及以上", "PLUS会员". */
export function grantInWords(t: T, g: GrantLike, names: { tiers: Map<string, string>; plans: Map<string, string> }, coupons: boolean): string {
  const who = g.tier
    ? t(g.exactTier ? 'catalog.tierOnly' : 'catalog.tierAndUp', { tier: names.tiers.get(g.tier) ?? g.tier })
    : t('catalog.planGrant', { plan: names.plans.get(g.plan ?? '') ?? g.plan ?? '' });
  return `${who}: ${quotaInWords(t, g.count, g.per, coupons)}`;
}
