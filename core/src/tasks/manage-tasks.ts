import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, conflict, forbidden, notFound } from '../shared/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { getProgram, updateProgram } from '../program/index.ts';
import { getLadder } from '../tiers/index.ts';
import { BUILTIN_TASK_CODES, builtinTaskDtos, FIRST_ORDER_TASK } from './builtin-tasks.ts';
import type { TaskDto, TaskInput, TaskPatch } from './tasks.contract.ts';

interface TaskRow {
  code: string;
  name: string;
  description: string | null;
  type: string;
  triggerEvent: string;
  activityType: string | null;
  minAmountCents: number | null;
  target: number;
  repeat: string;
  rewardPoints: number;
  rewardGrowth: number;
  rewardCouponTemplateCode: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  tiers: string[];
  archivedAt: Date | null;
}

export function toTaskDto(r: TaskRow): TaskDto {
  return {
    code: r.code,
    name: r.name,
    description: r.description,
    type: r.type as TaskDto['type'],
    trigger: { event: r.triggerEvent as TaskDto['trigger']['event'], activityType: r.activityType, minAmountCents: r.minAmountCents },
    target: r.target,
    repeat: r.repeat as TaskDto['repeat'],
    reward: { points: r.rewardPoints, growth: r.rewardGrowth, couponTemplateCode: r.rewardCouponTemplateCode },
    startsAt: r.startsAt?.toISOString() ?? null,
    endsAt: r.endsAt?.toISOString() ?? null,
    tiers: r.tiers.length > 0 ? r.tiers : null,
    builtin: false,
    archivedAt: r.archivedAt?.toISOString() ?? null,
  };
}

const invalid = (path: string, message: string) => new AppError('validation_failed', message, { errors: [{ path, message }] });

/** The checks every task passes: a trigger's own fields only, known tiers and coupon template, a reward, dates in order. */
async function validate(tx: Tx, ctx: TenantContext, t: { trigger: TaskInput['trigger']; reward: TaskInput['reward']; tiers?: string[] | null | undefined; startsAt?: string | null | undefined; endsAt?: string | null | undefined }) {
  if (t.trigger.activityType !== undefined && t.trigger.event !== 'activity') throw invalid('trigger.activityType', 'Only an activity trigger takes an activityType');
  if (t.trigger.minAmountCents !== undefined && t.trigger.event !== 'order_completed') throw invalid('trigger.minAmountCents', 'Only an order_completed trigger takes a minAmountCents');
  if (!t.reward.points && !t.reward.growth && !t.reward.couponTemplateCode) throw invalid('reward', 'Give points, growth or a coupon template');
  if (t.startsAt && t.endsAt && new Date(t.endsAt) <= new Date(t.startsAt)) throw invalid('endsAt', 'Must be after startsAt');
  if (t.tiers?.length) {
    const ladder = await getLadder(tx, ctx);
    const unknown = t.tiers.find((c) => !ladder.some((x) => x.code === c));
    if (unknown) throw invalid('tiers', `Unknown tier ${unknown}`);
  }
  if (t.reward.couponTemplateCode) {
    const template = await tx.couponTemplate.findUnique({ where: { tenantId_code: { tenantId: ctx.tenantId, code: t.reward.couponTemplateCode } }, select: { archivedAt: true } });
    if (!template || template.archivedAt) throw invalid('reward.couponTemplateCode', 'No such coupon template (or it is archived)');
  }
}

/** Adds a task (audited): 409 for a taken code, the built-in codes included. */
export async function createTask(tx: Tx, ctx: TenantContext, input: TaskInput): Promise<TaskDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change tasks');
  if (BUILTIN_TASK_CODES.includes(input.code)) throw conflict(`${input.code} is a built-in task`);
  await validate(tx, ctx, input);
  const rows = await tx.$queryRaw<{ code: string }[]>`
    INSERT INTO tasks (tenant_id, code, name, description, type, trigger_event, activity_type, min_amount_cents, target, repeat,
                       reward_points, reward_growth, reward_coupon_template_code, starts_at, ends_at, tiers)
    VALUES (${ctx.tenantId}, ${input.code}, ${input.name}, ${input.description ?? null}, ${input.type}, ${input.trigger.event}, ${input.trigger.activityType ?? null},
            ${input.trigger.minAmountCents ?? null}::int, ${input.target}::int, ${input.repeat}, ${input.reward.points ?? 0}::int, ${input.reward.growth ?? 0}::int,
            ${input.reward.couponTemplateCode ?? null}, ${input.startsAt ?? null}::timestamptz, ${input.endsAt ?? null}::timestamptz, ${input.tiers ?? []}::text[])
    ON CONFLICT DO NOTHING RETURNING code`;
  if (rows.length === 0) throw conflict(`Task ${input.code} exists`);
  const dto = await getTask(tx, ctx, input.code);
  await recordAudit(tx, ctx, { action: 'task.created', targetType: 'task', targetId: input.code, after: dto });
  return dto;
}

async function taskRow(tx: Tx, ctx: TenantContext, code: string, lock = false): Promise<TaskRow | null> {
  if (lock) await tx.$queryRaw`SELECT code FROM tasks WHERE tenant_id = ${ctx.tenantId} AND code = ${code} FOR UPDATE`;
  return tx.task.findUnique({ where: { tenantId_code: { tenantId: ctx.tenantId, code } } });
}

export async function getTask(tx: Tx, ctx: TenantContext, code: string): Promise<TaskDto> {
  if (BUILTIN_TASK_CODES.includes(code)) return builtinTaskDtos(await getProgram(tx, ctx)).find((t) => t.code === code)!;
  const row = await taskRow(tx, ctx, code);
  if (!row) throw notFound(`Task ${code}`);
  return toTaskDto(row);
}

/** The built-ins first, then the tenant's tasks by code; archived ones only when asked. */
export async function listTasks(tx: Tx, ctx: TenantContext, query: { includeArchived?: boolean } = {}): Promise<{ data: TaskDto[] }> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot read the task definitions');
  const [program, rows] = await Promise.all([
    getProgram(tx, ctx),
    tx.task.findMany({ where: { tenantId: ctx.tenantId, ...(query.includeArchived ? {} : { archivedAt: null }) }, orderBy: { code: 'asc' } }),
  ]);
  return { data: [...builtinTaskDtos(program), ...rows.map(toTaskDto)] };
}

/**
 * Partial update (audited). A built-in task is its program settings: `reward.points` writes
 * tasks.firstOrder / tasks.profileCompleted and `trigger.minAmountCents` (first order)
 * tasks.firstOrderMinAmountCents; anything else on a built-in is 422 business_rule. A change
 * counts from now on: windows already rewarded keep their reward.
 */
export async function updateTask(tx: Tx, ctx: TenantContext, code: string, patch: TaskPatch): Promise<TaskDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change tasks');
  if (BUILTIN_TASK_CODES.includes(code)) return updateBuiltin(tx, ctx, code, patch);
  const row = await taskRow(tx, ctx, code, true);
  if (!row) throw notFound(`Task ${code}`);
  const before = toTaskDto(row);
  // trigger and reward merge key by key into what the task has (a new event drops the old
  // event's own fields unless given again).
  const sameEvent = !patch.trigger?.event || patch.trigger.event === before.trigger.event;
  const trigger = {
    event: patch.trigger?.event ?? before.trigger.event,
    ...(sameEvent && before.trigger.activityType ? { activityType: before.trigger.activityType as 'login' } : {}),
    ...(sameEvent && before.trigger.minAmountCents !== null ? { minAmountCents: before.trigger.minAmountCents } : {}),
    ...Object.fromEntries(Object.entries(patch.trigger ?? {}).filter(([k, v]) => k !== 'event' && v !== undefined)),
  } as TaskInput['trigger'];
  const reward = {
    points: patch.reward?.points ?? before.reward.points,
    growth: patch.reward?.growth ?? before.reward.growth,
    ...((patch.reward?.couponTemplateCode ?? before.reward.couponTemplateCode) ? { couponTemplateCode: (patch.reward?.couponTemplateCode ?? before.reward.couponTemplateCode)! } : {}),
  };
  const startsAt = patch.startsAt !== undefined ? patch.startsAt : before.startsAt;
  const endsAt = patch.endsAt !== undefined ? patch.endsAt : before.endsAt;
  const tiers = patch.tiers !== undefined ? patch.tiers : before.tiers;
  await validate(tx, ctx, { trigger, reward, tiers, startsAt, endsAt });
  await tx.$executeRaw(Prisma.sql`
    UPDATE tasks SET name = ${patch.name ?? before.name}, description = ${patch.description !== undefined ? patch.description : before.description},
      type = ${patch.type ?? before.type}, trigger_event = ${trigger.event}, activity_type = ${trigger.activityType ?? null}, min_amount_cents = ${trigger.minAmountCents ?? null}::int,
      target = ${patch.target ?? before.target}::int, repeat = ${patch.repeat ?? before.repeat}, reward_points = ${reward.points ?? 0}::int, reward_growth = ${reward.growth ?? 0}::int,
      reward_coupon_template_code = ${reward.couponTemplateCode ?? null}, starts_at = ${startsAt}::timestamptz, ends_at = ${endsAt}::timestamptz, tiers = ${tiers ?? []}::text[], updated_at = now()
    WHERE tenant_id = ${ctx.tenantId} AND code = ${code}`);
  const after = await getTask(tx, ctx, code);
  await recordAudit(tx, ctx, { action: 'task.updated', targetType: 'task', targetId: code, before, after });
  return after;
}

async function updateBuiltin(tx: Tx, ctx: TenantContext, code: string, patch: TaskPatch): Promise<TaskDto> {
  const { reward, trigger, ...rest } = patch;
  const other = Object.keys(rest).find((k) => rest[k as keyof typeof rest] !== undefined);
  if (other || (reward && (reward.growth || reward.couponTemplateCode)) || (trigger && ((trigger.event !== undefined && trigger.event !== (code === FIRST_ORDER_TASK ? 'order_completed' : 'profile_completed')) || trigger.activityType !== undefined))) {
    throw new AppError('business_rule', `The built-in task ${code} takes only reward.points${code === FIRST_ORDER_TASK ? ' and trigger.minAmountCents' : ''}`);
  }
  if (trigger?.minAmountCents !== undefined && code !== FIRST_ORDER_TASK) throw new AppError('business_rule', 'The profile task has no minimum amount');
  const tasks: Record<string, number> = {};
  if (reward?.points !== undefined) tasks[code === FIRST_ORDER_TASK ? 'firstOrder' : 'profileCompleted'] = reward.points;
  if (trigger?.minAmountCents !== undefined) tasks['firstOrderMinAmountCents'] = trigger.minAmountCents;
  if (Object.keys(tasks).length > 0) await updateProgram(tx, ctx, { tasks });
  return getTask(tx, ctx, code);
}

/**
 * Archives a task (audited): it is no longer counted or listed to members; windows already
 * rewarded keep their reward. A built-in is switched off by giving it 0 points instead (422).
 */
export async function archiveTask(tx: Tx, ctx: TenantContext, code: string, at = new Date()): Promise<TaskDto> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change tasks');
  if (BUILTIN_TASK_CODES.includes(code)) throw new AppError('business_rule', `The built-in task ${code} cannot be archived; set its reward.points to 0 to switch it off`);
  const row = await taskRow(tx, ctx, code, true);
  if (!row) throw notFound(`Task ${code}`);
  const before = toTaskDto(row);
  if (!row.archivedAt) await tx.$executeRaw`UPDATE tasks SET archived_at = ${at}::timestamptz, updated_at = now() WHERE tenant_id = ${ctx.tenantId} AND code = ${code}`;
  const after = await getTask(tx, ctx, code);
  await recordAudit(tx, ctx, { action: 'task.archived', targetType: 'task', targetId: code, before, after });
  return after;
}
