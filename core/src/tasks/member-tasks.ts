import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { resolveMemberId, type MemberRef } from '../identities/index.ts';
import { getProgram, programZone, type Program } from '../program/index.ts';
import { builtinTaskDtos } from './builtin-tasks.ts';
import { taskDefinitionsSql } from './count-task-event.ts';
import { taskWindows, windowOf } from './task-windows.ts';
import type { MemberTaskDto, TaskRepeat } from './tasks.contract.ts';

type TaskRow = {
  code: string;
  name: string | null;
  description: string | null;
  type: string;
  target: number;
  repeat: TaskRepeat;
  reward_points: number;
  reward_growth: number;
  reward_coupon_template_code: string | null;
  builtin: boolean;
  progress: number | null;
  rewarded_at: Date | null;
  revoked_at: Date | null;
};

/**
 * The tasks a member can do at `now` (active, inside their dates, for the member's tier; the
 * built-ins with points), each with the progress of its current window in the tenant's zone, as
 * one read statement for a caller's batch (GET /v1/me sends it with its first screen) and the
 * reader of its rows. No query per task.
 */
export function memberTasksSql(ctx: TenantContext, program: Program, memberId: string, now: Date): { sql: Prisma.Sql; result(rows: Record<string, unknown>[]): { data: MemberTaskDto[] } } {
  const windows = taskWindows(now, programZone(program));
  const sql = Prisma.sql`
    WITH d AS (${taskDefinitionsSql(ctx, program, memberId, now)})
    SELECT d.*, p.progress, p.rewarded_at, p.revoked_at
    FROM d LEFT JOIN task_progress p ON p.tenant_id = ${ctx.tenantId} AND p.member_id = ${memberId} AND p.task_code = d.code
      AND p.window_start = CASE d.repeat WHEN 'daily' THEN ${windows.daily.start}::date WHEN 'weekly' THEN ${windows.weekly.start}::date
                                         WHEN 'monthly' THEN ${windows.monthly.start}::date ELSE DATE '1970-01-01' END
    ORDER BY d.builtin DESC, d.code`;
  return {
    sql,
    result(raw) {
      const rows = raw as unknown as TaskRow[];
      const builtins = new Map(builtinTaskDtos(program).map((t) => [t.code, t]));
      return {
        data: rows
          // A built-in with nothing to give is switched off.
          .filter((r) => !r.builtin || r.reward_points > 0)
          .map((r) => {
            const b = r.builtin ? builtins.get(r.code) : undefined;
            return {
              code: r.code,
              name: b?.name ?? r.name ?? r.code,
              description: b?.description ?? r.description,
              type: r.type as MemberTaskDto['type'],
              repeat: r.repeat,
              progress: r.progress ?? 0,
              target: r.target,
              completed: r.rewarded_at !== null && r.revoked_at === null,
              rewardedAt: r.rewarded_at?.toISOString() ?? null,
              windowEnd: windowOf(r.repeat, windows).end,
              reward: { points: r.reward_points, growth: r.reward_growth, couponTemplateCode: r.reward_coupon_template_code },
            };
          }),
      };
    },
  };
}

/**
 * The tasks a member can do at `now` (memberTasksSql): one statement after the cached program,
 * whatever the number of tasks. Read-only: the member center uses it too.
 */
export async function memberTasks(tx: Tx, ctx: TenantContext, memberId: string, now: Date = new Date()): Promise<{ data: MemberTaskDto[] }> {
  const program = await getProgram(tx, ctx);
  const s = memberTasksSql(ctx, program, memberId, now);
  return s.result(await tx.$queryRaw<Record<string, unknown>[]>(s.sql));
}

/** memberTasks for a path reference (`:member`), resolved without a lock. */
export async function memberTasksOf(tx: Tx, ctx: TenantContext, target: MemberRef, now: Date = new Date()): Promise<{ data: MemberTaskDto[] }> {
  return memberTasks(tx, ctx, await resolveMemberId(tx, ctx, target), now);
}
