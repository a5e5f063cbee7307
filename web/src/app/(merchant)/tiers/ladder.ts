// The ladder in words and the tier edit form's values: pure functions (no React), shared by the
// cards, the edit form and the preview.
import type { Locale, MessageKey, Translate } from '@/i18n';
import type { Schemas } from '@/lib/api';
import {
  discountInput,
  formatDiscount,
  formatMoney,
  formatMultiplier,
  moneyInput,
  multiplierInput,
  parseCount,
  parseDiscount,
  parseMoney,
  parseMultiplier,
  type Parsed,
} from '@/lib/units';

export type Tier = Schemas['Tier'];
export type Model = Schemas['Program']['qualificationModel'];
export type Coupon = Pick<Schemas['CouponTemplate'], 'id' | 'code' | 'name'>;

export const THRESHOLD = { growth: 'minGrowth', spend: 'minSpendCents', rfm: 'minRfmScore' } as const;

const NAMED: Record<string, string> = {
  bronze: '#b45309',
  silver: '#64748b',
  gold: '#ca8a04',
  platinum: '#0f766e',
  diamond: '#0284c7',
  black: '#1e293b',
  vip: '#7c3aed',
};
const PALETTE = ['#b45309', '#64748b', '#ca8a04', '#0284c7', '#7c3aed', '#be185d', '#0f766e', '#1e293b'];

/** The tier's colour: by its code when it names a metal, else by its place on the ladder. */
export function tierColour(code: string, position: number): string {
  return NAMED[code.toLowerCase()] ?? PALETTE[position % PALETTE.length]!;
}

interface Words {
  t: Translate;
  locale: Locale;
  currency: string;
  num(n: number): string;
}

/** How the tier is reached, in the model's unit: "¥2,000.00 in 365 days", "1,000 growth". */
export function reachText(tier: Tier, model: Model, lowest: boolean, w: Words): string {
  if (lowest) return w.t('ladder.reach.everyone');
  if (model === 'spend') return w.t('ladder.reach.spend', { amount: formatMoney(tier.minSpendCents, w.currency, w.locale) });
  if (model === 'rfm') return w.t('ladder.reach.rfm', { n: w.num(tier.minRfmScore) });
  return w.t('ladder.reach.growth', { n: w.num(tier.minGrowth) });
}

/** What keeps the tier each retention period. */
export function keepText(tier: Tier, period: string, lowest: boolean, w: Words): string {
  if (lowest) return w.t('ladder.keep.lowest');
  const per = w.t(`ladder.per.${period}` as MessageKey);
  const parts: string[] = [];
  const r = tier.retention;
  if (r.minSpendCents) parts.push(w.t('ladder.keep.spend', { amount: formatMoney(r.minSpendCents, w.currency, w.locale) }));
  if (r.minGrowth) parts.push(w.t('ladder.keep.growth', { n: w.num(r.minGrowth) }));
  if (parts.length === 0) return w.t('ladder.keep.none');
  return w.t('ladder.keep.per', { what: parts.join(w.t('ladder.and')), per });
}

/** The perks in words: 95折 member price, ×1.2 points, free shipping over ¥39, 专属客服… */
export function perkList(b: Tier['benefits'], coupons: Coupon[], w: Words): string[] {
  const out: string[] = [];
  const couponName = (id: string) => coupons.find((c) => c.id === id)?.name ?? w.t('ladder.perk.aCoupon');
  const d = b.discountBps !== undefined ? formatDiscount(b.discountBps, w.locale) : null;
  if (d) out.push(w.t('ladder.perk.discount', { d }));
  if (b.pointsMultiplierBps !== undefined && b.pointsMultiplierBps !== 10_000)
    out.push(w.t('ladder.perk.multiplier', { m: formatMultiplier(b.pointsMultiplierBps) }));
  if (b.freeShippingThresholdCents === 0) out.push(w.t('ladder.perk.freeShipping'));
  else if (typeof b.freeShippingThresholdCents === 'number')
    out.push(w.t('ladder.perk.freeShippingOver', { amount: formatMoney(b.freeShippingThresholdCents, w.currency, w.locale) }));
  if (b.memberDay) {
    const days = b.memberDay.weekdays.map((x) => w.t(`weekday.${x}` as MessageKey)).join(w.locale === 'zh-CN' ? '、' : ', ');
    const extra = [
      b.memberDay.discountBps !== undefined ? formatDiscount(b.memberDay.discountBps, w.locale) : null,
      b.memberDay.pointsMultiplierBps !== undefined && b.memberDay.pointsMultiplierBps !== 10_000
        ? w.t('ladder.perk.multiplier', { m: formatMultiplier(b.memberDay.pointsMultiplierBps) })
        : null,
    ].filter(Boolean);
    out.push(w.t('ladder.perk.memberDay', { days, what: extra.join(' · ') || '—' }));
  }
  if (b.exclusiveAccess) out.push(w.t('ladder.perk.exclusive'));
  if (b.prioritySupport) out.push(w.t('ladder.perk.prioritySupport'));
  if (b.priorityDelivery) out.push(w.t('ladder.perk.priorityDelivery'));
  if (b.fastRefund) out.push(w.t('ladder.perk.fastRefund'));
  if (b.birthdayGift && (b.birthdayGift.points || b.birthdayGift.couponTemplateId)) {
    const parts = [
      b.birthdayGift.points ? w.t('ladder.perk.points', { n: w.num(b.birthdayGift.points) }) : null,
      b.birthdayGift.couponTemplateId ? couponName(b.birthdayGift.couponTemplateId) : null,
    ].filter(Boolean);
    out.push(w.t('ladder.perk.birthday', { what: parts.join(' + ') }));
  }
  if (b.upgradeGift && b.upgradeGift.couponTemplateIds.length > 0)
    out.push(w.t('ladder.perk.upgrade', { what: b.upgradeGift.couponTemplateIds.map(couponName).join(w.locale === 'zh-CN' ? '、' : ', ') }));
  return out;
}

// ---- the edit form -----------------------------------------------------------------------

export type FieldKind = 'text' | 'count' | 'money' | 'optionalMoney' | 'optionalCount' | 'discount' | 'multiplier' | 'flag' | 'weekdays' | 'coupon' | 'coupons';

export interface TierField {
  /** The field's path in a tier (and in PATCH /v1/tiers/:code), e.g. `benefits.discountBps`. */
  id: string;
  kind: FieldKind;
  max?: number;
}

export const MEMBER_DAY = ['benefits.memberDay.on', 'benefits.memberDay.weekdays', 'benefits.memberDay.discountBps', 'benefits.memberDay.pointsMultiplierBps'];

/** The form's fields for a tier under `model` (only the threshold of the model in use). */
export function tierFields(model: Model, lowest: boolean): TierField[] {
  const threshold: TierField =
    model === 'spend'
      ? { id: 'minSpendCents', kind: 'money' }
      : model === 'rfm'
        ? { id: 'minRfmScore', kind: 'count', max: 100 }
        : { id: 'minGrowth', kind: 'count' };
  return [
    { id: 'name', kind: 'text' },
    ...(lowest
      ? []
      : [threshold, { id: 'retention.minSpendCents', kind: 'optionalMoney' as const }, { id: 'retention.minGrowth', kind: 'optionalCount' as const }]),
    { id: 'benefits.discountBps', kind: 'discount' },
    { id: 'benefits.pointsMultiplierBps', kind: 'multiplier', max: 100_000 },
    { id: 'benefits.freeShippingThresholdCents', kind: 'optionalMoney' },
    { id: 'benefits.memberDay.on', kind: 'flag' },
    { id: 'benefits.memberDay.weekdays', kind: 'weekdays' },
    { id: 'benefits.memberDay.discountBps', kind: 'discount' },
    { id: 'benefits.memberDay.pointsMultiplierBps', kind: 'multiplier', max: 100_000 },
    { id: 'benefits.exclusiveAccess', kind: 'flag' },
    { id: 'benefits.prioritySupport', kind: 'flag' },
    { id: 'benefits.priorityDelivery', kind: 'flag' },
    { id: 'benefits.fastRefund', kind: 'flag' },
    { id: 'benefits.birthdayGift.points', kind: 'optionalCount', max: 1_000_000 },
    { id: 'benefits.birthdayGift.couponTemplateId', kind: 'coupon' },
    { id: 'benefits.upgradeGift.couponTemplateIds', kind: 'coupons' },
  ];
}

/** A tier as the form's text values, in merchant units. */
export function toDraft(tier: Tier, fields: TierField[], locale: Locale): Record<string, string> {
  const b = tier.benefits;
  const md = b.memberDay ?? null;
  const v: Record<string, string> = {
    name: tier.name,
    minGrowth: String(tier.minGrowth),
    minSpendCents: moneyInput(tier.minSpendCents),
    minRfmScore: String(tier.minRfmScore),
    'retention.minSpendCents': moneyInput(tier.retention.minSpendCents),
    'retention.minGrowth': tier.retention.minGrowth === undefined ? '' : String(tier.retention.minGrowth),
    'benefits.discountBps': b.discountBps === undefined || b.discountBps >= 10_000 ? '' : discountInput(b.discountBps, locale),
    'benefits.pointsMultiplierBps': b.pointsMultiplierBps === undefined ? '' : multiplierInput(b.pointsMultiplierBps),
    'benefits.freeShippingThresholdCents': moneyInput(b.freeShippingThresholdCents),
    'benefits.memberDay.on': md ? 'true' : 'false',
    'benefits.memberDay.weekdays': (md?.weekdays ?? [3]).join(','),
    'benefits.memberDay.discountBps': md && md.discountBps < 10_000 ? discountInput(md.discountBps, locale) : '',
    'benefits.memberDay.pointsMultiplierBps': md ? multiplierInput(md.pointsMultiplierBps) : '',
    'benefits.exclusiveAccess': b.exclusiveAccess ? 'true' : 'false',
    'benefits.prioritySupport': b.prioritySupport ? 'true' : 'false',
    'benefits.priorityDelivery': b.priorityDelivery ? 'true' : 'false',
    'benefits.fastRefund': b.fastRefund ? 'true' : 'false',
    'benefits.birthdayGift.points': b.birthdayGift?.points ? String(b.birthdayGift.points) : '',
    'benefits.birthdayGift.couponTemplateId': b.birthdayGift?.couponTemplateId ?? '',
    'benefits.upgradeGift.couponTemplateIds': (b.upgradeGift?.couponTemplateIds ?? []).join(','),
  };
  return Object.fromEntries(fields.map((f) => [f.id, v[f.id] ?? '']));
}

export type FieldValue = { ok: true; value: unknown } | { ok: false; error: string };

/** One field's text → the API's value (empty discounts and multipliers are "none": 10000). */
export function parseTierField(f: TierField, text: string, locale: Locale): FieldValue | Parsed {
  switch (f.kind) {
    case 'text':
      return text.trim() === '' ? { ok: false, error: 'required' } : { ok: true, value: text.trim() };
    case 'count':
      return parseCount(text, { max: f.max });
    case 'optionalCount':
      return text.trim() === '' ? { ok: true, value: null } : parseCount(text, { max: f.max });
    case 'money':
      return parseMoney(text);
    case 'optionalMoney':
      return text.trim() === '' ? { ok: true, value: null } : parseMoney(text);
    case 'discount':
      return text.trim() === '' ? { ok: true, value: 10_000 } : parseDiscount(text, locale);
    case 'multiplier':
      return text.trim() === '' ? { ok: true, value: 10_000 } : parseMultiplier(text, { min: 0, max: f.max ?? 100_000 });
    case 'flag':
      return { ok: true, value: text === 'true' };
    case 'weekdays':
      return text === '' ? { ok: false, error: 'weekdays' } : { ok: true, value: text.split(',').map(Number) };
    case 'coupon':
      return { ok: true, value: text || null };
    case 'coupons':
      return { ok: true, value: text.split(',').filter(Boolean) };
  }
}

/**
 * PATCH /v1/tiers/:code with only what changed: top-level fields, retention and benefit keys one
 * by one (the API merges them key by key); a member day, birthday or upgrade gift goes whole.
 */
export function tierPatch(draft: Record<string, string>, initial: Record<string, string>, fields: TierField[], locale: Locale) {
  const body: Record<string, unknown> = {};
  const benefits: Record<string, unknown> = {};
  const retention: Record<string, unknown> = {};
  const val = (id: string) => {
    const f = fields.find((x) => x.id === id)!;
    const p = parseTierField(f, draft[id] ?? '', locale);
    return p.ok ? p.value : undefined;
  };
  const changed = (ids: string[]) => ids.some((id) => draft[id] !== initial[id]);
  for (const f of fields) {
    if (draft[f.id] === initial[f.id]) continue;
    if (f.id.startsWith('benefits.memberDay.') || f.id.startsWith('benefits.birthdayGift.') || f.id.startsWith('benefits.upgradeGift.')) continue;
    const v = val(f.id);
    if (f.id.startsWith('benefits.')) benefits[f.id.slice(9)] = v;
    else if (f.id.startsWith('retention.')) retention[f.id.slice(10)] = v;
    else body[f.id] = v;
  }
  if (benefits.freeShippingThresholdCents === undefined && 'freeShippingThresholdCents' in benefits) delete benefits.freeShippingThresholdCents;
  if (changed(MEMBER_DAY))
    benefits.memberDay =
      draft['benefits.memberDay.on'] === 'true'
        ? { weekdays: val('benefits.memberDay.weekdays'), discountBps: val('benefits.memberDay.discountBps'), pointsMultiplierBps: val('benefits.memberDay.pointsMultiplierBps') }
        : null;
  if (changed(['benefits.birthdayGift.points', 'benefits.birthdayGift.couponTemplateId'])) {
    const points = val('benefits.birthdayGift.points') as number | null;
    const coupon = val('benefits.birthdayGift.couponTemplateId') as string | null;
    benefits.birthdayGift = points || coupon ? { ...(points ? { points } : {}), ...(coupon ? { couponTemplateId: coupon } : {}) } : null;
  }
  if (changed(['benefits.upgradeGift.couponTemplateIds'])) {
    const ids = val('benefits.upgradeGift.couponTemplateIds') as string[];
    benefits.upgradeGift = ids.length ? { couponTemplateIds: ids } : null;
  }
  if (Object.keys(benefits).length) body.benefits = benefits;
  if (Object.keys(retention).length) body.retention = retention;
  return body as Schemas['TierPatch'];
}

/** The tier with a patch laid over it, the way the API merges it (for the preview body). */
export function applyPatch(tier: Tier, patch: Schemas['TierPatch']): Tier {
  const retention: Record<string, unknown> = { ...tier.retention };
  for (const [k, v] of Object.entries(patch.retention ?? {})) {
    if (v === null) delete retention[k];
    else retention[k] = v;
  }
  return {
    ...tier,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.minGrowth !== undefined ? { minGrowth: patch.minGrowth } : {}),
    ...(patch.minSpendCents !== undefined ? { minSpendCents: patch.minSpendCents } : {}),
    ...(patch.minRfmScore !== undefined ? { minRfmScore: patch.minRfmScore } : {}),
    retention: retention as Tier['retention'],
    benefits: { ...tier.benefits, ...(patch.benefits ?? {}) },
  };
}

/** A ladder as PUT / simulate take it: every tier as stored; a threshold 0 on every tier (not in use) left out. */
export function ladderBody(tiers: Tier[]): Schemas['Ladder'] {
  const out = tiers.map((t) => JSON.parse(JSON.stringify(t)) as Schemas['TierInput']);
  for (const f of ['minGrowth', 'minSpendCents', 'minRfmScore'] as const) if (out.every((t) => !t[f])) for (const t of out) delete t[f];
  return { tiers: out };
}
