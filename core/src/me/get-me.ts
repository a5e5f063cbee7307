import { Prisma, queryBatch, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { addDays, isoWeekday, localDate } from '../shared/time.ts';
import { availableCouponsSql, couponsFromRows } from '../coupons/index.ts';
import { unreadCountSql } from '../inbox/index.ts';
import { entitlementsFromRows, memberEntitlementsSql, toEntitlementDto } from '../benefits/index.ts';
import { memberViewOf, memberViewSql, type MemberDto, type MemberViewConfig } from '../members/index.ts';
import { programZone } from '../program/index.ts';
import { memberTasksSql } from '../tasks/index.ts';
import type { MeDto, MeMemberDto } from './me.contract.ts';
import { centerConfig } from './center-config.ts';
import { builtInTasks, builtInTasksSql, toMeTask } from './tasks.ts';

/** The member-safe view: the member view without what is the merchant's (the refund-abuse flag). */
export function memberSafe(member: MemberDto): MeMemberDto {
  const { flagged: _flagged, ...safe } = member;
  return safe;
}

/** The next member day from the local date `today` (today itself when it is one). */
export function nextMemberDay(config: MemberViewConfig, today: string): MeDto['memberDay'] {
  const day = config.program.earn.memberDay;
  if (!day || day.weekdays.length === 0) return null;
  for (let d = 0; d < 7; d++) {
    const date = addDays(today, d);
    const weekday = isoWeekday(date);
    if (day.weekdays.includes(weekday)) {
      return {
        next: date,
        today: d === 0,
        daysUntil: d,
        weekdays: [...day.weekdays].sort(),
        discountBps: day.discountBps,
        pointsMultiplierBps: day.pointsMultiplierBps,
      };
    }
  }
  return null;
}

/**
 * The upgrade to celebrate: the newest unread tier change, when it moved the member up (by
 * rank) and they are still on that tier. Marking its message read ends it (shown once).
 */
export function celebrationOf(config: MemberViewConfig, currentTier: string, change: unknown): MeDto['celebration'] {
  if (!change || typeof change !== 'object') return null;
  const c = change as { id?: unknown; data?: { from?: unknown; to?: unknown } | null; createdAt?: unknown };
  const tierOf = (code: unknown) => (typeof code === 'string' ? config.ladder.find((t) => t.code === code) : undefined);
  const to = tierOf(c.data?.to);
  const from = tierOf(c.data?.from);
  if (typeof c.id !== 'string' || !to || to.code !== currentTier) return null;
  if (!from || from.rank >= to.rank) return null;
  return {
    messageId: c.id,
    tier: { code: to.code, name: to.name },
    from: { code: from.code, name: from.name },
    at: typeof c.createdAt === 'string' ? new Date(c.createdAt).toISOString() : new Date(0).toISOString(),
  };
}

export function centerOf(config: MemberViewConfig): MeDto['center'] {
  const { program, ladder } = config;
  return {
    displayName: program.branding.displayName,
    logoUrl: program.branding.logoUrl,
    colour: program.branding.colour,
    language: program.language,
    currency: program.currency,
    timezone: program.timezone,
    checkInRewards: program.checkIn.rewards,
    ladder: ladder.map((t) => ({ code: t.code, name: t.name, rank: t.rank, benefits: t.benefits })),
  };
}

/**
 * GET /v1/me: the member center's first screen in one round trip after the (cached) config —
 * the member view (with its progress), the available coupons, the unread count (and the upgrade
 * to celebrate), the check-in's state, the catalogue's entitlements and the task center's tasks
 * go to Postgres as one batch.
 */
export async function getMe(tx: Tx, ctx: TenantContext, memberId: string, at = new Date()): Promise<MeDto> {
  const config = await centerConfig(tx, ctx);
  const today = localDate(at, config.program.timezone);
  const tasksOfCenter = memberTasksSql(ctx, config.program, memberId, at);
  // The three one-row reads (the member view, the unread count with the upgrade to celebrate,
  // the check-in's state) go as one statement: one row with the columns of all three.
  const [view, coupons, entitlementRows, taskRows] = await queryBatch(tx, [
    Prisma.sql`SELECT * FROM (${memberViewSql(ctx, memberId, config, at)}) v CROSS JOIN (${unreadCountSql(ctx, memberId)}) u CROSS JOIN (${builtInTasksSql(ctx, memberId, today)}) c`,
    availableCouponsSql(ctx, memberId, at, 20),
    memberEntitlementsSql(ctx, memberId, at, programZone(config.program)),
    tasksOfCenter.sql,
  ]);
  const member = await memberViewOf(tx, ctx, view!, config);
  const unread = view;
  const tasks = [
    ...builtInTasks(view![0], config, today),
    ...tasksOfCenter
      .result(taskRows!)
      .data.filter((t) => !t.completed)
      .map(toMeTask),
  ];
  return {
    member: memberSafe(member),
    progress: member.progress,
    memberDay: nextMemberDay(config, today),
    benefits: member.benefits,
    entitlements: entitlementsFromRows(entitlementRows!).map(toEntitlementDto),
    tasks,
    coupons: couponsFromRows(coupons!, at),
    unreadMessages: Number(unread![0]?.unread ?? 0),
    celebration: celebrationOf(config, member.tier.code, unread![0]?.tier_change),
    center: centerOf(config),
  };
}

/**
 * What the member center's page needs before any token is read (its frame-ancestors, name,
 * logo, colour, language): public, by tenant id. Unknown tenant → 404.
 */
export async function centerBranding(tx: Tx, ctx: TenantContext): Promise<MeDto['center'] & { frameAncestors: string[] }> {
  const config = await centerConfig(tx, ctx);
  return { ...centerOf(config), frameAncestors: config.program.branding.frameAncestors };
}
