import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { addDays, localDate } from '../shared/time.ts';
import { checkInReward } from '../activities/index.ts';
import type { MemberViewConfig } from '../members/index.ts';
import { PointsKind } from '../points/index.ts';
import type { MeTaskDto } from './me.contract.ts';
import { centerConfig } from './center-config.ts';

/**
 * What the built-in tasks need of one member, as one SELECT: whether the first-order and the
 * profile tasks have paid out, and the check-in streaks of today and yesterday (local dates).
 */
export function builtInTasksSql(ctx: TenantContext, memberId: string, today: string): Prisma.Sql {
  return Prisma.sql`
    SELECT EXISTS (SELECT 1 FROM points_ledger p WHERE p.tenant_id = ${ctx.tenantId} AND p.member_id = ${memberId} AND p.kind = ${PointsKind.FirstOrder}) AS "firstOrder",
           EXISTS (SELECT 1 FROM points_ledger p WHERE p.tenant_id = ${ctx.tenantId} AND p.member_id = ${memberId} AND p.kind = ${PointsKind.ProfileTask}) AS "profile",
           (SELECT c.streak FROM check_ins c WHERE c.tenant_id = ${ctx.tenantId} AND c.member_id = ${memberId} AND c.local_date = ${today}) AS "todayStreak",
           (SELECT c.streak FROM check_ins c WHERE c.tenant_id = ${ctx.tenantId} AND c.member_id = ${memberId} AND c.local_date = ${addDays(today, -1)}) AS "yesterdayStreak"`;
}

const NAMES = {
  'zh-CN': { check_in: '每日签到', first_order: '完成首单', profile: '完善个人资料' },
  en: { check_in: 'Daily check-in', first_order: 'Place your first order', profile: 'Complete your profile' },
} as const;

/** The built-in tasks from builtInTasksSql's row: check-in first, then the once-only tasks. */
export function builtInTasks(row: Record<string, unknown> | undefined, config: MemberViewConfig, today: string, options: { includeDone: boolean }): MeTaskDto[] {
  const { program } = config;
  const names = NAMES[program.language];
  const todayStreak = (row?.todayStreak as number | null | undefined) ?? null;
  const yesterdayStreak = (row?.yesterdayStreak as number | null | undefined) ?? 0;
  const streak = todayStreak ?? yesterdayStreak + 1;
  const tasks: MeTaskDto[] = [
    {
      code: 'check_in',
      name: names.check_in,
      type: 'daily',
      progress: todayStreak !== null ? 1 : 0,
      target: 1,
      completed: todayStreak !== null,
      reward: { points: checkInReward(program.checkIn.rewards, streak) },
      streak: todayStreak ?? yesterdayStreak,
      windowEnd: today,
    },
  ];
  const once = [
    { code: 'first_order' as const, done: Boolean(row?.firstOrder), points: program.tasks.firstOrder },
    { code: 'profile' as const, done: Boolean(row?.profile), points: program.tasks.profileCompleted },
  ];
  for (const t of once) {
    if (t.points <= 0 || (t.done && !options.includeDone)) continue;
    tasks.push({ code: t.code, name: names[t.code], type: 'special', progress: t.done ? 1 : 0, target: 1, completed: t.done, reward: { points: t.points }, windowEnd: null });
  }
  return tasks;
}

/** The member's tasks (GET /v1/me/tasks): every built-in task, done ones included. */
export async function listMemberTasks(tx: Tx, ctx: TenantContext, memberId: string, at = new Date()): Promise<MeTaskDto[]> {
  const config = await centerConfig(tx, ctx);
  const today = localDate(at, config.program.timezone);
  const [row] = await tx.$queryRaw<Record<string, unknown>[]>(builtInTasksSql(ctx, memberId, today));
  return builtInTasks(row, config, today, { includeDone: true });
}
