// The demo tenant of a local `npm start`: "Demo Mall" with four stores, the 铜牌/银牌/金牌/钻石
// ladder, a Wednesday member day and ~50 members with six months of history. Everything goes
// through core use cases; the only direct write is the one no use case covers (a key with a
// known value). It seeds only what does not exist yet: the demo settings (ladder, program,
// catalogue, demo key) once, with the tenant; each demo member with their whole history, in
// event time, when that member does not exist. A later run never changes what the merchant set.
import type { Db, Tx } from '@unionpoint/db';
import { withTenant } from '@unionpoint/db';
import type { TenantContext } from '@unionpoint/core';
import { ensureNamedApiKey, hashApiKey, revokeApiKey, unsafeEnsureLogin } from '@unionpoint/core/auth';
import { recordActivity } from '@unionpoint/core/activities';
import { benefitBody, createBenefit, listBenefits } from '@unionpoint/core/benefits';
import { couponTemplateBody, createCouponTemplate } from '@unionpoint/core/coupons';
import { registerCoreExtensions } from '@unionpoint/core/extensions';
import { bindIdentity } from '@unionpoint/core/identities';
import { enrolMember } from '@unionpoint/core/members';
import { createOrder, refundOrder } from '@unionpoint/core/orders';
import { redeemPoints } from '@unionpoint/core/points';
import { changeMemberPlan, createPlan, planBody } from '@unionpoint/core/plans';
import { getProgram, updateProgram } from '@unionpoint/core/program';
import { createReward, rewardBody } from '@unionpoint/core/rewards';
import { createTenantBody, unsafeCreateTenant } from '@unionpoint/core/tenants';
import { DEFAULT_LADDER, replaceLadder, type TierInput } from '@unionpoint/core/tiers';

export const DEMO_SLUG = 'demo-mall';

export interface SeedOptions {
  demoApiKey: string;
  /** The clock the demo history counts back from (default: now). */
  now?: Date;
  owner: { email: string; password: string };
  /** More demo logins: a store staff user limited to the flagship store, and a read-only viewer. */
  staff?: { email: string; password: string } | undefined;
  viewer?: { email: string; password: string } | undefined;
  platformAdmin?: { email: string; password: string } | undefined;
  memberCount?: number;
  log?: (line: string) => void;
}

export interface SeedResult {
  tenantId: string;
  tenantCreated: boolean;
  membersCreated: number;
  ordersCreated: number;
}

export const DEMO_STORES = [
  { code: 'online-mall', name: '线上商城', channel: 'online' },
  { code: 'flagship', name: '南京西路旗舰店', channel: 'store' },
  { code: 'delivery', name: '到家外卖', channel: 'delivery' },
  { code: 'mini-program', name: '微信小程序', channel: 'miniprogram' },
] as const;

const TIER_NAMES: Record<string, string> = { bronze: '铜牌', silver: '银牌', gold: '金牌', diamond: '钻石' };

/** PRODUCT's example ladder: 98折 / 95折 / 9折, free shipping over 39 yuan for silver, always from gold. */
export const DEMO_LADDER: TierInput[] = DEFAULT_LADDER.map((t) => ({ ...t, name: TIER_NAMES[t.code] ?? t.name }));

/** 1 point per yuan, 100 points = 1 yuan up to 50% of an order, Wednesdays 88折 with double points. */
export const DEMO_PROGRAM = {
  earn: { pointsPerUnit: 1, memberDay: { weekdays: [3], discountBps: 8800, pointsMultiplierBps: 20_000 } },
  redeem: { pointsPerUnit: 100, maxShareBps: 5000 },
  // The first-order bonus needs an order of at least ¥10.
  tasks: { firstOrderMinAmountCents: 1000 },
};

export const DEMO_COUPON_TEMPLATES = [
  { code: 'WELCOME10', name: '新人满99减10', kind: 'amount', amountCents: 1000, minSpendCents: 9900, validDays: 30 },
  { code: 'FREESHIP', name: '免运费券', kind: 'free_shipping', validDays: 30 },
  { code: 'VIP5OFF', name: '会员95折券', kind: 'percent', percentBps: 500, minSpendCents: 19900, validDays: 60, stock: 500 },
] as const;

export const DEMO_REWARDS = [
  { code: 'coupon-10', name: '1000积分换10元券', pointsCost: 1000, couponTemplateCode: 'WELCOME10' },
  { code: 'tote-bag', name: '帆布袋', pointsCost: 2500, stock: 100 },
] as const;

export const DEMO_PLANS = [
  {
    code: 'plus-year',
    name: 'PLUS 年卡',
    priceCents: 25_800,
    period: 'year',
    trialDays: 7,
    benefits: { discountBps: 9500, freeShippingThresholdCents: 0 },
  },
  { code: 'plus-month', name: 'PLUS 月卡', priceCents: 1090, period: 'month', benefits: { freeShippingThresholdCents: 0 } },
] as const;

/** The benefit catalogue of the demo (美团买菜 / 叮咚 / 盒马-style PLUS benefits, 金牌 and 钻石 services). */
export const DEMO_BENEFITS = [
  {
    code: 'plus-free-delivery',
    name: '免运费券 6 张/月',
    description: '每月 1 日发放 6 张免运费券，当月有效。',
    category: 'shopping',
    kind: 'coupon_pack',
    couponTemplateCode: 'FREESHIP',
    icon: 'truck',
    grants: [
      { plan: 'plus-month', count: 6, per: 'month' },
      { plan: 'plus-year', count: 6, per: 'month' },
    ],
  },
  {
    code: 'plus-weekly-item',
    name: '每周免费领一件',
    description: '每周可到店或下单时免费领取一件指定商品。',
    category: 'shopping',
    kind: 'gift',
    icon: 'gift',
    grants: [{ plan: 'plus-year', count: 1, per: 'week' }],
  },
  {
    code: 'plus-daily-veg',
    name: '每日一份免费蔬菜',
    description: '年卡会员每天可领取一份时令蔬菜。',
    category: 'shopping',
    kind: 'gift',
    icon: 'leaf',
    grants: [{ plan: 'plus-year', count: 1, per: 'day' }],
  },
  {
    code: 'vip-support',
    name: '专属客服',
    description: '金牌及以上会员专线客服，优先接入。',
    category: 'service',
    kind: 'service',
    icon: 'headset',
    grants: [{ tier: 'gold', per: 'month' }],
  },
  {
    code: 'fast-refund',
    name: '极速退款',
    description: '金牌及以上会员退货即退款。',
    category: 'service',
    kind: 'service',
    icon: 'refund',
    grants: [{ tier: 'gold', per: 'month' }],
  },
  {
    code: 'priority-delivery',
    name: '优先配送',
    description: '钻石会员每周 2 次优先配送。',
    category: 'exclusive',
    kind: 'service',
    icon: 'rocket',
    grants: [{ tier: 'diamond', count: 2, per: 'week' }],
  },
] as const;

/**
 * The demo benefits, each once: a benefit whose code exists (edited or archived by the merchant
 * since) is left as it is; one whose tier, plan or template the merchant removed is skipped.
 */
async function seedDemoBenefits(tx: Tx, ctx: TenantContext, log: (line: string) => void): Promise<number> {
  const existing = new Set((await listBenefits(tx, ctx, { includeArchived: true })).map((b) => b.code));
  let created = 0;
  for (const b of DEMO_BENEFITS) {
    if (existing.has(b.code)) continue;
    try {
      await createBenefit(tx, ctx, benefitBody.parse(b));
      created++;
    } catch (e) {
      if ((e as { code?: string }).code !== 'validation_failed') throw e;
      log(`skipped the demo benefit ${b.code}: ${(e as Error).message}`);
    }
  }
  return created;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '马', '朱', '胡'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '婷', '强', '军', '杰', '丽', '涛', '明', '欣', '雪', '浩'];

/** The n-th demo member (1-based): deterministic, so every run asks for the same members. */
export function demoMember(n: number) {
  const pad = String(n).padStart(3, '0');
  const month = ((n * 7) % 12) + 1;
  const day = ((n * 11) % 28) + 1;
  return {
    unionId: `demo-${pad}`,
    profile: {
      name: `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 3) % GIVEN.length]}${n % 4 === 0 ? GIVEN[(n * 5) % GIVEN.length] : ''}`,
      phone: `+86 138 0000 ${String(1000 + n).slice(-4)}`,
      birthday: `${1970 + (n % 35)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    },
    // Where the member shops: every member online, others also in the mini-program, the
    // flagship store or through delivery; the openIds differ per store, the unionId ties them.
    openIds: [
      { store: 'online-mall', openId: `o_mall_${pad}` },
      ...(n % 2 === 0 ? [{ store: 'mini-program', openId: `o_mini_${pad}` }] : []),
      ...(n % 3 === 0 ? [{ store: 'flagship', openId: `o_pos_${pad}` }] : []),
      ...(n % 5 === 0 ? [{ store: 'delivery', openId: `o_dlv_${pad}` }] : []),
    ],
  };
}

const HOUR = 3_600_000;

/**
 * When the n-th member joined: 5 to 180 days before `anchor`, spread evenly over the members
 * (37 is prime to 175, so no two of the first 175 members share a day).
 */
export function demoJoinedAt(n: number, anchor: Date): Date {
  const daysAgo = 5 + ((n * 37) % 175);
  return new Date(anchor.getTime() - daysAgo * 24 * HOUR - ((n * 7) % 10) * HOUR);
}

/**
 * The n-th member's order history, oldest first and numbered in that order: a few big spenders
 * reach 钻石, some 金牌 and 银牌, most stay 铜牌 or have not ordered yet. The orders fall
 * between the member's join and `anchor`, never from the clock.
 */
export function demoOrders(n: number, anchor: Date) {
  const pad = String(n).padStart(3, '0');
  const totalYuan =
    n <= 2 ? 21_000 + n * 700 : n <= 7 ? 5_300 + n * 90 : n <= 20 ? 1_050 + n * 40 : n % 4 === 0 ? 0 : 60 + ((n * 37) % 800);
  const count = totalYuan === 0 ? 0 : n <= 20 ? 3 + (n % 4) : 1 + (n % 3);
  const stores = demoMember(n).openIds.map((o) => o.store);
  const sinceJoin = anchor.getTime() - demoJoinedAt(n, anchor).getTime();
  const orders = [];
  let left = totalYuan * 100;
  for (let i = 1; i <= count; i++) {
    // Uneven but deterministic splits, in whole yuan with a 90-fen tail on some orders.
    const share = i === count ? left : Math.floor((left * (2 + ((n + i) % 3))) / (count - i + 4) / 100) * 100 + (i % 2 ? 90 : 0);
    left -= share;
    // The i-th of count orders at i/(count+1) of the way from the join to the anchor (at least
    // 17 hours after the join and before the anchor), a little off the hour.
    const at = anchor.getTime() - Math.floor((sinceJoin * (count + 1 - i)) / (count + 1) / HOUR) * HOUR - ((n + i) % 4) * 900_000;
    orders.push({
      externalId: `DM-${pad}-${i}`,
      unionId: `demo-${pad}`,
      store: stores[i % stores.length]!,
      amountCents: share,
      completedAt: new Date(at).toISOString(),
    });
  }
  return orders;
}

const seedActor = { type: 'system', id: 'seed' } as const;

/** programs.version of a tenant fresh from onboarding. */
const ONBOARDING_VERSION = 1;

/**
 * The demo settings, once, in one transaction: while the program is still at its onboarding
 * version nobody (neither a first seed nor the merchant) has changed program or ladder.
 */
async function seedDemoSettings(tx: Tx, ctx: TenantContext, demoApiKey: string): Promise<boolean> {
  if ((await getProgram(tx, ctx)).version !== ONBOARDING_VERSION) return false;
  // The onboarding key is shown only once, to nobody here: revoke it and use the demo key.
  const keys = await tx.apiKey.findMany({ where: { tenantId: ctx.tenantId, revokedAt: null }, select: { id: true } });
  for (const k of keys) await revokeApiKey(tx, ctx, k.id);
  await ensureNamedApiKey(tx, ctx, { id: 'key_demo', name: 'Demo key', key: demoApiKey });
  await replaceLadder(tx, ctx, DEMO_LADDER);
  await updateProgram(tx, ctx, DEMO_PROGRAM);
  for (const t of DEMO_COUPON_TEMPLATES) await createCouponTemplate(tx, ctx, couponTemplateBody.parse(t));
  for (const r of DEMO_REWARDS) await createReward(tx, ctx, rewardBody.parse(r));
  for (const p of DEMO_PLANS) await createPlan(tx, ctx, planBody.parse(p));
  return true;
}

/**
 * One demo member and their history, in event time and in date order: the join, the orders
 * (each lifting the member as it comes), then what happened since — a partial refund of the
 * first order, logins, a review, a PLUS card, a redemption. Skipped when the member exists.
 */
async function seedDemoMember(tx: Tx, ctx: TenantContext, n: number, stores: Map<string, string>, now: Date): Promise<number | null> {
  const m = demoMember(n);
  if (await tx.member.findUnique({ where: { tenantId_unionId: { tenantId: ctx.tenantId, unionId: m.unionId } }, select: { id: true } }))
    return null;
  const orders = demoOrders(n, now);
  const [first, ...more] = m.openIds;
  if (m.openIds.some((o) => !stores.has(o.store))) return null; // a demo store the merchant no longer has
  const { member } = await enrolMember(
    tx,
    ctx,
    { unionId: m.unionId, profile: m.profile, ...(first ? { openId: first.openId, storeId: stores.get(first.store) } : {}) },
    demoJoinedAt(n, now),
  );
  for (const o of more) await bindIdentity(tx, ctx, member.id, { storeId: stores.get(o.store), openId: o.openId });
  let created = 0;
  for (const o of orders) {
    const r = await createOrder(tx, ctx, {
      externalId: o.externalId,
      member: o.unionId,
      storeId: stores.get(o.store),
      amountCents: o.amountCents,
      completedAt: o.completedAt,
    });
    if (r.status === 201) created++;
  }
  const pad = String(n).padStart(3, '0');
  if (n % 3 === 0) await recordActivity(tx, ctx, { memberId: member.id }, { type: 'login', reference: `demo-login-${pad}` }, { now });
  if (orders.length && n % 4 === 1)
    await recordActivity(tx, ctx, { memberId: member.id }, { type: 'review', reference: `demo-review-${pad}`, itemPriceCents: 5900 }, { now });
  // A few paid members (PLUS yearly card).
  if (n % 12 === 4)
    await changeMemberPlan(tx, ctx, { memberId: member.id }, { planCode: 'plus-year', action: 'subscribe', reference: `demo-plan-${pad}` }, now);
  // Refunds and redemptions take the time of the run (they take no event time).
  if (n <= 20 && n % 5 === 3) {
    await redeemPoints(tx, ctx, { memberId: member.id }, { points: 300, reference: `demo-redeem-${pad}`, storeId: stores.get('online-mall') });
  }
  const firstOrder = orders[0];
  if (firstOrder && n % 9 === 1) {
    // A partial refund: points and growth are clawed back in proportion.
    await refundOrder(tx, ctx, firstOrder.externalId, {
      refundId: `RF-${pad}-1`,
      amountCents: Math.floor(firstOrder.amountCents / 4),
      storeId: stores.get(firstOrder.store),
    });
  }
  return created;
}

export async function seedDemo(db: Db, options: SeedOptions): Promise<SeedResult> {
  registerCoreExtensions();
  const log = options.log ?? (() => {});
  const memberCount = options.memberCount ?? 50;
  const now = options.now ?? new Date();
  let tenant = await db.prisma.tenant.findUnique({ where: { slug: DEMO_SLUG } });
  let tenantCreated = false;
  if (!tenant) {
    const created = await unsafeCreateTenant(
      db.prisma,
      { type: 'platform', id: 'seed' },
      createTenantBody.parse({
        name: 'Demo Mall',
        slug: DEMO_SLUG,
        currency: 'CNY',
        timezone: 'Asia/Shanghai',
        owner: { email: options.owner.email, password: options.owner.password, name: 'Demo owner' },
        stores: DEMO_STORES,
      }),
    );
    tenant = await db.prisma.tenant.findUniqueOrThrow({ where: { id: created.tenant.id } });
    tenantCreated = true;
    log(`created tenant ${tenant.name} (${tenant.id})`);
  }
  const tenantId = tenant.id;
  const ctx: TenantContext = { tenantId, actor: seedActor };

  // An existing owner login is the merchant's, whatever its password now is; the platform admin
  // of the local stack follows the configured password (it is not a tenant's setting).
  const owner = await unsafeEnsureLogin(db.prisma, { ...options.owner, role: 'owner', tenantId, name: 'Demo owner' }, { resetPassword: false });
  if (owner === 'password_differs') log(`the password of ${options.owner.email} was changed since the first start: the printed one no longer applies`);
  if (options.platformAdmin) {
    await unsafeEnsureLogin(db.prisma, { ...options.platformAdmin, role: 'platform_admin', tenantId: null, name: 'Platform admin' }, { resetPassword: true });
  }

  const storeIds = await withTenant(db.prisma, tenantId, async (tx) => {
    if (await seedDemoSettings(tx, ctx, options.demoApiKey)) log('applied the demo ladder, program and catalogue');
    const benefits = await seedDemoBenefits(tx, ctx, log);
    if (benefits) log(`added ${benefits} demo benefits`);
    const key = await tx.apiKey.findFirst({ where: { tenantId, name: 'Demo key' } });
    if (!key || key.hash !== hashApiKey(options.demoApiKey) || key.revokedAt) {
      log('the demo API key was revoked or replaced in the dashboard: the printed one no longer applies');
    }
    const stores = await tx.store.findMany({ where: { tenantId }, select: { id: true, code: true } });
    return new Map(stores.map((st) => [st.code, st.id]));
  });

  // The other demo logins, created when missing and never changed afterwards (like the owner's).
  for (const [login, role, name, limit] of [
    [options.staff, 'staff', 'Demo store staff', [storeIds.get('flagship')!]],
    [options.viewer, 'viewer', 'Demo viewer', []],
  ] as const) {
    if (!login) continue;
    const r = await unsafeEnsureLogin(db.prisma, { ...login, role, tenantId, name, storeIds: [...limit] }, { resetPassword: false });
    if (r === 'password_differs') log(`the password of ${login.email} was changed since the first start: the printed one no longer applies`);
  }

  // One transaction per member (each takes that member's lock): a member exists with their
  // whole demo history or not at all.
  let membersCreated = 0;
  let ordersCreated = 0;
  for (let n = 1; n <= memberCount; n++) {
    const created = await withTenant(db.prisma, tenantId, (tx) => seedDemoMember(tx, ctx, n, storeIds, now), { timeoutMs: 60_000 });
    if (created === null) continue;
    membersCreated++;
    ordersCreated += created;
  }
  if (membersCreated) log(`enrolled ${membersCreated} members with ${ordersCreated} orders`);
  return { tenantId, tenantCreated, membersCreated, ordersCreated };
}
