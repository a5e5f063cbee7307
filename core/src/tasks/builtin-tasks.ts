import type { Program } from '../program/index.ts';
import type { TaskDto, TaskTrigger } from './tasks.contract.ts';

/** The built-in first-order task's code (and its points ledger key, once per member). */
export const FIRST_ORDER_TASK = 'first_order';
/** The built-in profile task's code. */
export const PROFILE_TASK = 'profile_completed';
export const BUILTIN_TASK_CODES: readonly string[] = [FIRST_ORDER_TASK, PROFILE_TASK];

/** One task definition as the counting statement sees it (a row of `tasks` or a built-in). */
export interface TaskDefinition {
  code: string;
  trigger_event: TaskTrigger;
  min_amount_cents: number | null;
  target: number;
  repeat: 'once';
  reward_points: number;
  reward_growth: number;
}

/**
 * The built-in tasks, defined by the program settings (docs/rules.md §15): the first-order task
 * (`tasks.firstOrder` points for the member's first order of at least
 * max(1, `tasks.firstOrderMinAmountCents`)) and the profile task (`tasks.profileCompleted` points
 * once the profile holds `tasks.profileRequiredFields`). Both are `once` with target 1, counted
 * and rewarded like any other task; with 0 points they still complete (once per member) and
 * reward nothing.
 */
export function builtinTaskDefinitions(program: Program): TaskDefinition[] {
  return [
    {
      code: FIRST_ORDER_TASK,
      trigger_event: 'order_completed',
      min_amount_cents: Math.max(1, program.tasks.firstOrderMinAmountCents),
      target: 1,
      repeat: 'once',
      reward_points: program.tasks.firstOrder,
      reward_growth: 0,
    },
    { code: PROFILE_TASK, trigger_event: 'profile_completed', min_amount_cents: null, target: 1, repeat: 'once', reward_points: program.tasks.profileCompleted, reward_growth: 0 },
  ];
}

/** The built-ins as tasks of the task list. */
export function builtinTaskDtos(program: Program): TaskDto[] {
  const [first, profile] = builtinTaskDefinitions(program) as [TaskDefinition, TaskDefinition];
  // Built-in names are in the tenant's language (what members read), like the inbox.
  const dto = (d: TaskDefinition, name: string, description: string): TaskDto => ({
    code: d.code,
    name,
    description,
    type: 'special',
    trigger: { event: d.trigger_event, activityType: null, minAmountCents: d.min_amount_cents },
    target: 1,
    repeat: 'once',
    reward: { points: d.reward_points, growth: 0, couponTemplateCode: null },
    startsAt: null,
    endsAt: null,
    tiers: null,
    builtin: true,
    archivedAt: null,
  });
  return [
    ...(program.language === 'en'
      ? [dto(first, 'First order', 'Place your first order'), dto(profile, 'Complete your profile', `Fill in ${program.tasks.profileRequiredFields.join(', ')}`)]
      : [
          dto(first, '完成首单', '下第一笔订单'),
          dto(profile, '完善个人资料', `填写${program.tasks.profileRequiredFields.map((f) => PROFILE_FIELD_ZH[f]).join('、')}`),
        ]),
  ];
}

const PROFILE_FIELD_ZH: Record<string, string> = { name: '姓名', phone: '手机号', email: '邮箱', birthday: '生日' };
