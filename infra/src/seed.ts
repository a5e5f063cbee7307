// The demo tenant of a local `npm start`: "Demo Mall" with four stores, the 铜牌/银牌/金牌/钻石
// ladder, a Wednesday member day and ~50 members. Everything goes through core use cases; the
// only direct writes are the ones no use case covers (a key with a known value, a password
// reset). Idempotent: a second run over the same database changes nothing.
import argon2 from 'argon2';
import type { Db, DbClient, Tx } from '@unionpoint/db';
import { withTenant } from '@unionpoint/db';
import type { TenantContext } from '@unionpoint/core';
import { createUser, hashApiKey, hashPassword, revokeApiKey } from '@unionpoint/core/auth';
import { recordActivity } from '@unionpoint/core/activities';
import { couponTemplateBody, createCouponTemplate } from '@unionpoint/core/coupons';
import { bindIdentity } from '@unionpoint/core/identities';
import { enrolMember } from '@unionpoint/core/members';
import { createOrder, refundOrder } from '@unionpoint/core/orders';
import { redeemPoints } from '@unionpoint/core/points';
import { changeMemberPlan, createPlan, planBody } from '@unionpoint/core/plans';
import { getProgram, updateProgram } from '@unionpoint/core/program';
import { createReward, rewardBody } from '@unionpoint/core/rewards';
import { createStore } from '@unionpoint/core/stores';
import { createTenantBody, unsafeCreateTenant } from '@unionpoint/core/tenants';
import { DEFAULT_LADDER, getLadder, replaceLadder, tierRowData, type TierInput } from '@unionpoint/core/tiers';

export const DEMO_SLUG = 'demo-mall';

export interface SeedOptions {
  demoApiKey: string;
  owner: { email: string; password: string };
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

/**
 * The n-th member's order history: a few big spenders reach 钻石, some 金牌 and 银牌, most stay
 * 铜牌 or have not ordered yet. Dates count back from `anchor` (the tenant's creation), never
 * from the clock, so a later run asks for exactly the same orders and each one replays.
 */
export function demoOrders(n: number, anchor: Date) {
  const pad = String(n).padStart(3, '0');
  const totalYuan =
    n <= 2 ? 21_000 + n * 700 : n <= 7 ? 5_300 + n * 90 : n <= 20 ? 1_050 + n * 40 : n % 4 === 0 ? 0 : 60 + ((n * 37) % 800);
  const count = totalYuan === 0 ? 0 : n <= 20 ? 3 + (n % 4) : 1 + (n % 3);
  const stores = demoMember(n).openIds.map((o) => o.store);
  const orders = [];
  let left = totalYuan * 100;
  for (let i = 1; i <= count; i++) {
    // Uneven but deterministic splits, in whole yuan with a 90-fen tail on some orders.
    const share = i === count ? left : Math.floor((left * (2 + ((n + i) % 3))) / (count - i + 4) / 100) * 100 + (i % 2 ? 90 : 0);
    left -= share;
    const daysAgo = 3 + ((n * 13 + i * 29) % 170);
    orders.push({
      externalId: `DM-${pad}-${i}`,
      unionId: `demo-${pad}`,
      store: stores[i % stores.length]!,
      amountCents: share,
      completedAt: new Date(anchor.getTime() - daysAgo * 86_400_000 - ((n * 7 + i) % 10) * 3_600_000).toISOString(),
    });
  }
  return orders;
}

const seedActor = { type: 'system', id: 'seed' } as const;

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function isSubset(want: unknown, have: unknown): boolean {
  if (want && typeof want === 'object' && !Array.isArray(want)) {
    if (!have || typeof have !== 'object') return false;
    return Object.entries(want).every(([k, v]) => isSubset(v, (have as Record<string, unknown>)[k]));
  }
  return sameJson(want, have);
}

/** Creates the login, or resets its password when it no longer matches the one we print. */
async function ensureLogin(
  prisma: DbClient,
  input: { email: string; password: string; role: 'owner' | 'platform_admin'; tenantId: string | null; name: string },
) {
  const user = await prisma.user.findUnique({ where: { email: input.email.toLowerCase() } });
  if (!user) {
    await createUser(prisma, input);
    return;
  }
  if (!(await argon2.verify(user.passwordHash, input.password).catch(() => false))) {
    await prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(input.password) } });
  }
}

async function ensureDemoKey(tx: Tx, ctx: TenantContext, key: string) {
  const hash = hashApiKey(key);
  const start = key.slice(0, 10);
  const existing = await tx.apiKey.findFirst({ where: { tenantId: ctx.tenantId, name: 'Demo key' } });
  if (!existing) {
    await tx.apiKey.create({ data: { tenantId: ctx.tenantId, id: 'key_demo', name: 'Demo key', start, hash, storeId: null } });
  } else if (existing.hash !== hash || existing.revokedAt) {
    // The key printed by `npm start` must work on every start, even after a reset of .data.
    await tx.apiKey.update({ where: { tenantId_id: { tenantId: ctx.tenantId, id: existing.id } }, data: { hash, start, revokedAt: null } });
  }
}

async function ensureLadder(tx: Tx, ctx: TenantContext) {
  const current = await getLadder(tx, ctx);
  const same =
    current.length === DEMO_LADDER.length &&
    DEMO_LADDER.every((want) => {
      const have = current.find((t) => t.code === want.code);
      return have && have.name === want.name && sameJson(have.benefits, tierRowData(ctx.tenantId, want).benefits);
    });
  if (!same) await replaceLadder(tx, ctx, DEMO_LADDER);
}

export async function seedDemo(db: Db, options: SeedOptions): Promise<SeedResult> {
  const log = options.log ?? (() => {});
  const memberCount = options.memberCount ?? 50;
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
    // The onboarding key is shown only once, to nobody here: revoke it and use the demo key.
    await withTenant(db.prisma, created.tenant.id, (tx) =>
      revokeApiKey(tx, { tenantId: created.tenant.id, actor: seedActor }, created.apiKey.id),
    );
    tenant = await db.prisma.tenant.findUniqueOrThrow({ where: { slug: DEMO_SLUG } });
    tenantCreated = true;
    log(`created tenant ${tenant.name} (${tenant.id})`);
  }
  const tenantId = tenant.id;
  const ctx: TenantContext = { tenantId, actor: seedActor };

  await ensureLogin(db.prisma, { ...options.owner, role: 'owner', tenantId, name: 'Demo owner' });
  if (options.platformAdmin)
    await ensureLogin(db.prisma, { ...options.platformAdmin, role: 'platform_admin', tenantId: null, name: 'Platform admin' });

  const storeIds = await withTenant(db.prisma, tenantId, async (tx) => {
    await ensureDemoKey(tx, ctx, options.demoApiKey);
    const ids = new Map<string, string>();
    for (const s of DEMO_STORES) {
      const row = await tx.store.findUnique({ where: { tenantId_code: { tenantId, code: s.code } } });
      ids.set(s.code, row ? row.id : (await createStore(tx, ctx, s)).id);
    }
    await ensureLadder(tx, ctx);
    const { currency: _c, timezone: _t, qualificationModel: _q, version: _v, ...settings } = await getProgram(tx, ctx);
    if (!isSubset(DEMO_PROGRAM, settings)) await updateProgram(tx, ctx, DEMO_PROGRAM);
    for (const t of DEMO_COUPON_TEMPLATES) {
      if (!(await tx.couponTemplate.findUnique({ where: { tenantId_code: { tenantId, code: t.code } }, select: { code: true } }))) {
        await createCouponTemplate(tx, ctx, couponTemplateBody.parse(t));
      }
    }
    for (const r of DEMO_REWARDS) {
      if (!(await tx.reward.findUnique({ where: { tenantId_code: { tenantId, code: r.code } }, select: { code: true } }))) {
        await createReward(tx, ctx, rewardBody.parse(r));
      }
    }
    for (const p of DEMO_PLANS) {
      if (!(await tx.plan.findUnique({ where: { tenantId_code: { tenantId, code: p.code } }, select: { code: true } }))) {
        await createPlan(tx, ctx, planBody.parse(p));
      }
    }
    return ids;
  });

  const membersCreated = await withTenant(
    db.prisma,
    tenantId,
    async (tx) => {
      let created = 0;
      for (let n = 1; n <= memberCount; n++) {
        const m = demoMember(n);
        const [first, ...more] = m.openIds;
        const result = await enrolMember(tx, ctx, {
          unionId: m.unionId,
          profile: m.profile,
          ...(first ? { openId: first.openId, storeId: storeIds.get(first.store) } : {}),
        });
        if (result.created) created++;
        for (const o of more) await bindIdentity(tx, ctx, result.member.id, { storeId: storeIds.get(o.store), openId: o.openId });
      }
      return created;
    },
    { timeoutMs: 120_000 },
  );
  if (membersCreated) log(`enrolled ${membersCreated} members`);

  // Orders, a couple of refunds and redemptions, some logins and reviews: one transaction per
  // member (each takes that member's lock). All of them are idempotent by their own ids.
  let ordersCreated = 0;
  for (let n = 1; n <= memberCount; n++) {
    const orders = demoOrders(n, tenant.createdAt);
    const pad = String(n).padStart(3, '0');
    ordersCreated += await withTenant(
      db.prisma,
      tenantId,
      async (tx) => {
        let created = 0;
        for (const o of orders) {
          const r = await createOrder(tx, ctx, {
            externalId: o.externalId,
            member: o.unionId,
            storeId: storeIds.get(o.store),
            amountCents: o.amountCents,
            completedAt: o.completedAt,
          });
          if (r.status === 201) created++;
        }
        const member = await tx.member.findUniqueOrThrow({
          where: { tenantId_unionId: { tenantId, unionId: `demo-${pad}` } },
          select: { id: true },
        });
        const first = orders[0];
        if (first && n % 9 === 1) {
          // A partial refund: points and growth are clawed back in proportion.
          await refundOrder(tx, ctx, first.externalId, {
            refundId: `RF-${pad}-1`,
            amountCents: Math.floor(first.amountCents / 4),
            storeId: storeIds.get(first.store),
          });
        }
        if (n <= 20 && n % 5 === 3) {
          await redeemPoints(tx, ctx, member.id, { points: 300, reference: `demo-redeem-${pad}`, storeId: storeIds.get('online-mall') });
        }
        if (n % 12 === 4) {
          // A few paid members (PLUS yearly card); idempotent by reference.
          await changeMemberPlan(tx, ctx, member.id, { planCode: 'plus-year', action: 'subscribe', reference: `demo-plan-${pad}` });
        }
        if (n % 3 === 0) await recordActivity(tx, ctx, member.id, { type: 'login', reference: `demo-login-${pad}` });
        if (orders.length && n % 4 === 1)
          await recordActivity(tx, ctx, member.id, { type: 'review', reference: `demo-review-${pad}`, itemPriceCents: 5900 });
        return created;
      },
      { timeoutMs: 60_000 },
    );
  }
  if (ordersCreated) log(`recorded ${ordersCreated} orders`);
  return { tenantId, tenantCreated, membersCreated, ordersCreated };
}
