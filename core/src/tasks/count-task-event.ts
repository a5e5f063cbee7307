import { Prisma, queryBatch, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError } from '../shared/errors.ts';
import { issueCoupon } from '../coupons/index.ts';
import { changeGrowthSql, GrowthKind } from '../growth/index.ts';
import { creditPointsSql, PointsKind } from '../points/index.ts';
import { programZone, type Program } from '../program/index.ts';
import type { ZoneHistory } from '../shared/time.ts';
import { emitEvents, type OutboxEventInput } from '../webhooks/index.ts';
import { builtinTaskDefinitions, FIRST_ORDER_TASK, PROFILE_TASK } from './builtin-tasks.ts';
import { taskWindows, ONCE_WINDOW } from './task-windows.ts';
import type { TaskTrigger } from './tasks.contract.ts';

/** An event that tasks count, seen in the event's own transaction (the member lock is held). */
export interface TaskEvent {
  memberId: string;
  event: TaskTrigger;
  /** The counted event's id (order or activity id): counted once, and taken out again by a full refund. */
  source: string;
  at: Date;
  activityType?: string | null | undefined;
  amountCents?: number | null | undefined;
}

/** A task window the event just completed (progress reached the target, not rewarded yet). */
export interface TaskCompletion {
  code: string;
  /** The tenant task's name; null for a built-in. */
  name: string | null;
  windowStart: string;
  windowEnd: string | null;
  target: number;
  progress: number;
  rewardPoints: number;
  rewardGrowth: number;
  couponTemplateCode: string | null;
  builtin: boolean;
  flagged: boolean;
}

/**
 * The window start of a definition (`d.repeat`) for an event at `at`, in the tenant's zone:
 * the local day, the week from Monday, the month, or 1970-01-01 for `once`.
 */
function windowSql(at: Date, zone: ZoneHistory, end: boolean): Prisma.Sql {
  const w = taskWindows(at, zone);
  const pick = (k: 'daily' | 'weekly' | 'monthly') => (end ? w[k].end : w[k].start);
  return Prisma.sql`CASE d.repeat WHEN 'daily' THEN ${pick('daily')}::date WHEN 'weekly' THEN ${pick('weekly')}::date WHEN 'monthly' THEN ${pick('monthly')}::date
    ELSE ${end ? null : ONCE_WINDOW}::date END`;
}

/**
 * The task definitions in force at `at` for a member (tenant rows not archived, inside their
 * dates, for the member's tier, plus the built-ins), optionally only those an event counts for.
 * One SELECT: no query per task.
 */
export function taskDefinitionsSql(
  ctx: TenantContext,
  program: Program,
  memberId: string,
  at: Date,
  match?: { event: TaskTrigger; activityType?: string | null | undefined; amountCents?: number | null | undefined },
): Prisma.Sql {
  const builtins = builtinTaskDefinitions(program).filter((b) => !match || b.trigger_event === match.event);
  const eventFilter = match
    ? Prisma.sql`AND t.trigger_event = ${match.event}
        AND (t.activity_type IS NULL OR t.activity_type = ${match.activityType ?? null}::text)
        AND (t.min_amount_cents IS NULL OR ${match.amountCents ?? null}::int >= t.min_amount_cents)`
    : Prisma.empty;
  const builtinFilter = match ? Prisma.sql`WHERE b.min_amount_cents IS NULL OR ${match.amountCents ?? null}::int >= b.min_amount_cents` : Prisma.empty;
  return Prisma.sql`
    SELECT t.code, t.name, t.description, t.type, t.target, t.repeat, t.reward_points, t.reward_growth, t.reward_coupon_template_code, false AS builtin
    FROM tasks t
    WHERE t.tenant_id = ${ctx.tenantId} AND t.archived_at IS NULL ${eventFilter}
      AND (t.starts_at IS NULL OR t.starts_at <= ${at}::timestamptz) AND (t.ends_at IS NULL OR t.ends_at > ${at}::timestamptz)
      AND (t.tiers IS NULL OR cardinality(t.tiers) = 0
           OR (SELECT m.tier_code FROM members m WHERE m.tenant_id = ${ctx.tenantId} AND m.id = ${memberId}) = ANY (t.tiers))
    UNION ALL
    SELECT b.code, NULL, NULL, 'special', b.target, b.repeat, b.reward_points, b.reward_growth, NULL, true
    FROM jsonb_to_recordset(${JSON.stringify(builtins)}::jsonb) AS b(code text, target int, repeat text, reward_points int, reward_growth int, min_amount_cents int)
    ${builtinFilter}`;
}

/**
 * Counts an event for every task it matches, as one statement (no query per task): the event's
 * `task_events` row (member, source) records the windows it counts, and only when that row is
 * new (an event already counted is not counted again) does each matching task's window row
 * (tenant zone; `once`, day, week from Monday, month) gain 1, a fixed-size update. The rows
 * whose progress reached the target and were neither rewarded nor revoked come back as
 * completions. Concurrent events of one member serialise on the member lock (and on the
 * event row's ON CONFLICT). `onlyIf`: a condition the count depends on (order intake: its order
 * row exists).
 */
export function countTaskEventSql(
  ctx: TenantContext,
  program: Program,
  e: TaskEvent,
  onlyIf: Prisma.Sql = Prisma.sql`TRUE`,
): { sql: Prisma.Sql; result(rows: Record<string, unknown>[]): TaskCompletion[] } {
  // The row's time as a value, not now(): a sharded database takes only immutable expressions
  // in an upsert's DO UPDATE SET.
  const written = new Date();
  const sql = Prisma.sql`
    WITH d AS (${taskDefinitionsSql(ctx, program, e.memberId, e.at, e)}),
    w AS (
      SELECT d.*, ${windowSql(e.at, programZone(program), false)} AS window_start, ${windowSql(e.at, programZone(program), true)} AS window_end
      FROM d WHERE ${onlyIf}
        -- A built-in counts only the member's first qualifying event (the first order, the
        -- completed profile): once its window exists, later events do not count for it.
        AND NOT (d.builtin AND EXISTS (SELECT 1 FROM task_progress p WHERE p.tenant_id = ${ctx.tenantId} AND p.member_id = ${e.memberId}
                                       AND p.task_code = d.code AND p.window_start = ${ONCE_WINDOW}::date))
    ), ev AS (
      INSERT INTO task_events (tenant_id, member_id, source, task_codes, window_starts, at)
      SELECT ${ctx.tenantId}, ${e.memberId}, ${e.source}, array_agg(w.code ORDER BY w.code), array_agg(w.window_start ORDER BY w.code), ${e.at}::timestamptz
      FROM w HAVING count(*) > 0
      ON CONFLICT (tenant_id, member_id, source) DO NOTHING
      RETURNING 1
    ), counted AS (
      -- The windows that exist gain 1 by a plain UPDATE (the member lock is held: no row lock
      -- step, as an upsert's conflict path takes), the others are inserted at 1.
      UPDATE task_progress p SET progress = p.progress + 1, updated_at = ${written}::timestamptz
      FROM w
      WHERE EXISTS (SELECT 1 FROM ev)
        AND p.tenant_id = ${ctx.tenantId} AND p.member_id = ${e.memberId} AND p.task_code = w.code AND p.window_start = w.window_start
      RETURNING p.task_code, p.window_start, p.window_end, p.progress, p.rewarded_at, p.revoked_at
    ), opened AS (
      INSERT INTO task_progress (tenant_id, member_id, task_code, window_start, window_end, progress, updated_at)
      SELECT ${ctx.tenantId}, ${e.memberId}, w.code, w.window_start, w.window_end, 1, ${written}::timestamptz FROM w
      WHERE EXISTS (SELECT 1 FROM ev) AND NOT EXISTS (SELECT 1 FROM counted c WHERE c.task_code = w.code)
      ON CONFLICT (tenant_id, member_id, task_code, window_start) DO UPDATE
        SET progress = task_progress.progress + 1, updated_at = ${written}::timestamptz
      RETURNING task_code, window_start, window_end, progress, rewarded_at, revoked_at
    ), up AS (
      SELECT * FROM counted UNION ALL SELECT * FROM opened
    )
    SELECT up.task_code AS code, w.name, to_char(up.window_start, 'YYYY-MM-DD') AS window_start, to_char(up.window_end, 'YYYY-MM-DD') AS window_end,
           up.progress, w.target, w.reward_points, w.reward_growth, w.reward_coupon_template_code, w.builtin,
           (SELECT m.flagged FROM members m WHERE m.tenant_id = ${ctx.tenantId} AND m.id = ${e.memberId}) AS flagged
    FROM up JOIN w ON w.code = up.task_code
    WHERE up.progress >= w.target AND up.rewarded_at IS NULL AND up.revoked_at IS NULL`;
  return {
    sql,
    result(rows) {
      type Row = { code: string; name: string | null; window_start: string; window_end: string | null; target: number; progress: number; reward_points: number; reward_growth: number; reward_coupon_template_code: string | null; builtin: boolean; flagged: boolean };
      return (rows as unknown as Row[]).map((r) => ({
        code: r.code,
        name: r.name,
        windowStart: r.window_start,
        windowEnd: r.window_end,
        target: r.target,
        progress: r.progress,
        rewardPoints: r.reward_points,
        rewardGrowth: r.reward_growth,
        couponTemplateCode: r.reward_coupon_template_code,
        builtin: r.builtin,
        flagged: r.flagged,
      }));
    },
  };
}

/** The points ledger kind and key of a task window's reward. */
export function taskRewardEntry(code: string, builtin: boolean, windowStart: string): { kind: PointsKind; key: string } {
  if (builtin && code === FIRST_ORDER_TASK) return { kind: PointsKind.FirstOrder, key: FIRST_ORDER_TASK };
  if (builtin && code === PROFILE_TASK) return { kind: PointsKind.ProfileTask, key: `task:${code}:${windowStart}` };
  return { kind: PointsKind.Task, key: `task:${code}:${windowStart}` };
}

export interface TaskRewards {
  points: number;
  growth: number;
  /** The balances after the last credit / growth change, when there was one. */
  balance: number | null;
  growthValue: number | null;
  completed: { code: string; windowStart: string; points: number; growth: number; couponId: string | null }[];
}

/**
 * Rewards the completed windows, once each, in the event's transaction: points (none for a
 * flagged member) and growth through the points and growth builders, all in one round trip
 * with the rows marked rewarded; a coupon through the coupons module (skipped when the
 * template is out of stock or archived: the window stays rewarded). Emits task.completed.
 * The caller holds the member lock and runs the upgrade rule after a growth rise.
 */
export async function rewardTaskCompletions(
  tx: Tx,
  ctx: TenantContext,
  completions: TaskCompletion[],
  base: { memberId: string; storeId?: string | null | undefined; at: Date; program: Program; reference?: string | null | undefined },
): Promise<TaskRewards> {
  const out: TaskRewards = { points: 0, growth: 0, balance: null, growthValue: null, completed: [] };
  if (completions.length === 0) return out;
  const statements: Prisma.Sql[] = [];
  const readers: ((rows: Record<string, unknown>[]) => void)[] = [];
  const values: Prisma.Sql[] = [];
  for (const c of completions) {
    const points = c.flagged ? 0 : c.rewardPoints;
    const growth = c.rewardGrowth;
    if (points > 0) {
      const { kind, key } = taskRewardEntry(c.code, c.builtin, c.windowStart);
      const s = creditPointsSql(ctx, {
        memberId: base.memberId,
        storeId: base.storeId,
        points,
        kind,
        reason: c.code === FIRST_ORDER_TASK && c.builtin ? 'first order task' : `task ${c.code}`,
        reference: base.reference ?? c.code,
        idempotencyKey: key,
        at: base.at,
        program: base.program,
      });
      statements.push(...s.statements);
      readers.push(...s.statements.slice(1).map(() => () => {}), (rows) => (out.balance = s.result(rows).balanceAfter));
    }
    if (growth > 0) {
      const s = changeGrowthSql(ctx, {
        memberId: base.memberId,
        storeId: base.storeId,
        delta: growth,
        kind: GrowthKind.Task,
        reason: `task ${c.code}`,
        reference: base.reference ?? c.code,
        idempotencyKey: `task:${c.code}:${c.windowStart}`,
        at: base.at,
      });
      statements.push(...s.statements);
      readers.push(...s.statements.slice(1).map(() => () => {}), (rows) => (out.growthValue = s.result(rows).value));
    }
    out.points += points;
    out.growth += growth;
    values.push(Prisma.sql`(${c.code}, ${c.windowStart}::date, ${points}::int, ${growth}::int)`);
  }
  statements.push(Prisma.sql`
    UPDATE task_progress p SET rewarded_at = ${base.at}::timestamptz, completed_at = ${base.at}::timestamptz, reward_points = v.points, reward_growth = v.growth, updated_at = now()
    FROM (VALUES ${Prisma.join(values)}) AS v(code, window_start, points, growth)
    WHERE p.tenant_id = ${ctx.tenantId} AND p.member_id = ${base.memberId} AND p.task_code = v.code AND p.window_start = v.window_start`);
  const results = await queryBatch(tx, statements);
  readers.forEach((read, i) => read(results[i]!));

  const events: OutboxEventInput[] = [];
  for (const c of completions) {
    let couponId: string | null = null;
    if (c.couponTemplateCode) {
      couponId = await issueTaskCoupon(tx, ctx, base.memberId, c.couponTemplateCode, `task:${c.code}:${c.windowStart}`, base.at);
      if (couponId) {
        await tx.$executeRaw`UPDATE task_progress SET coupon_id = ${couponId} WHERE tenant_id = ${ctx.tenantId} AND member_id = ${base.memberId} AND task_code = ${c.code} AND window_start = ${c.windowStart}::date`;
      }
    }
    const points = c.flagged ? 0 : c.rewardPoints;
    out.completed.push({ code: c.code, windowStart: c.windowStart, points, growth: c.rewardGrowth, couponId });
    // A built-in with nothing to give completes silently (its task is switched off by 0 points).
    if (c.builtin && points + c.rewardGrowth === 0) continue;
    events.push({
      type: 'task.completed',
      memberId: base.memberId,
      at: base.at,
      data: { memberId: base.memberId, task: c.code, name: c.name, windowStart: c.windowStart, windowEnd: c.windowEnd, progress: c.progress, target: c.target, points, growth: c.rewardGrowth, couponId },
    });
  }
  await emitEvents(tx, ctx, events);
  return out;
}

/** Issues a reward coupon; a template out of stock or archived gives none (the refusal writes nothing). */
export async function issueTaskCoupon(tx: Tx, ctx: TenantContext, memberId: string, templateCode: string, sourceRef: string, at: Date, source: 'task' | 'referral' | 'welcome' = 'task'): Promise<string | null> {
  try {
    return (await issueCoupon(tx, ctx, memberId, { templateRef: templateCode, source, sourceRef, at })).id;
  } catch (error) {
    if (error instanceof AppError && (error.code === 'out_of_stock' || error.code === 'archived' || error.code === 'not_found')) return null;
    throw error;
  }
}

/**
 * Counts an event and rewards what it completed, for the paths that are not order intake
 * (activities, check-ins, the profile, referrals): two round trips, the second only on a
 * completion. The caller holds the member lock.
 */
export async function countTaskEvent(
  tx: Tx,
  ctx: TenantContext,
  program: Program,
  e: TaskEvent & { storeId?: string | null | undefined; reference?: string | null | undefined },
): Promise<TaskRewards> {
  const s = countTaskEventSql(ctx, program, e);
  const completions = s.result(await tx.$queryRaw<Record<string, unknown>[]>(s.sql));
  return rewardTaskCompletions(tx, ctx, completions, { memberId: e.memberId, storeId: e.storeId, at: e.at, program, reference: e.reference });
}
