import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { addDays, localDate } from '../shared/time.ts';
import { checkInReward } from '../activities/index.ts';
import type { MemberViewConfig } from '../members/index.ts';
import { memberTasks, type MemberTaskDto } from '../tasks/index.ts';
import type { MeTaskDto } from './me.contract.ts';
import { centerConfig } from './center-config.ts';

/**
 * What the daily check-in needs of one member, as one SELECT: the check-in streaks of today and
 * yesterday (local dates). The other tasks (the built-in first-order and profile tasks and the
 * tenant's own) come from the task center (`memberTasks`).
 */
export function builtInTasksSql(ctx: TenantContext, memberId: string, today: string): Prisma.Sql {
  return Prisma.sql`
    SELECT (SELECT c.streak FROM check_ins c WHERE c.tenant_id = ${ctx.tenantId} AND c.member_id = ${memberId} AND c.local_date = ${today}) AS "todayStreak",
           (SELECT c.streak FROM check_ins c WHERE c.tenant_id = ${ctx.tenantId} AND c.member_id = ${memberId} AND c.local_date = ${addDays(today, -1)}) AS "yesterdayStreak"`;
}

const NAMES = {
  'zh-CN': { check_in: '每日签到', first_order: '完成首单', profile: '完善个人资料' },
  en: { check_in: 'Daily check-in', first_order: 'Place your first order', profile: 'Complete your profile' },
} as const;

/** The daily check-in from builtInTasksSql's row. */
export function builtInTasks(row: Record<string, unknown> | undefined, config: MemberViewConfig, today: string): MeTaskDto[] {
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
  return tasks;
}

/** A task of the task center as the member center shows it. */
export function toMeTask(task: MemberTaskDto): MeTaskDto {
  return {
    code: task.code,
    name: task.name,
    type: task.type,
    progress: task.progress,
    target: task.target,
    completed: task.completed,
    reward: task.reward,
    windowEnd: task.windowEnd,
  };
}

/**
 * The check-in, then the task center's tasks for the member (done ones only with `includeDone`):
 * what GET /v1/me and GET /v1/me/tasks list.
 */
export async function centerTasks(
  tx: Tx,
  ctx: TenantContext,
  memberId: string,
  at: Date,
  checkIn: MeTaskDto[],
  options: { includeDone: boolean },
): Promise<MeTaskDto[]> {
  const { data } = await memberTasks(tx, ctx, memberId, at);
  return [...checkIn, ...data.filter((t) => options.includeDone || !t.completed).map(toMeTask)];
}

/** The member's tasks (GET /v1/me/tasks): the check-in and every task, done ones included. */
export async function listMemberTasks(tx: Tx, ctx: TenantContext, memberId: string, at = new Date()): Promise<MeTaskDto[]> {
  const config = await centerConfig(tx, ctx);
  const today = localDate(at, config.program.timezone);
  const [row] = await tx.$queryRaw<Record<string, unknown>[]>(builtInTasksSql(ctx, memberId, today));
  return centerTasks(tx, ctx, memberId, at, builtInTasks(row, config, today), { includeDone: true });
}
