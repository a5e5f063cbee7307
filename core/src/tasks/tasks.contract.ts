import { z, code, str, rfc3339, queryFlag, INT4_MAX } from '../shared/zod.ts';

export const TASK_TYPES = ['daily', 'growth', 'special'] as const;
export const TASK_TRIGGERS = ['order_completed', 'activity', 'check_in', 'referral_completed', 'profile_completed'] as const;
export const TASK_REPEATS = ['once', 'daily', 'weekly', 'monthly'] as const;
export type TaskTrigger = (typeof TASK_TRIGGERS)[number];
export type TaskRepeat = (typeof TASK_REPEATS)[number];

const points = () => z.number().int().min(0).max(1_000_000);

export const taskTriggerSchema = z
  .object({
    event: z.enum(TASK_TRIGGERS).describe('What the task counts'),
    activityType: z.enum(['login', 'review', 'photo_review', 'share']).optional().describe('With `activity`: only this activity type counts (absent = any)'),
    minAmountCents: z.number().int().min(0).max(INT4_MAX).optional().describe('With `order_completed`: only orders of at least this amount (minor units) count'),
  })
  .strict()
  .openapi('TaskTrigger');

export const taskRewardSchema = z
  .object({
    points: points().optional().describe('Points rewarded once per window'),
    growth: points().optional().describe('Growth rewarded once per window'),
    couponTemplateCode: code().optional().describe('A coupon of this template issued once per window'),
  })
  .strict()
  .openapi('TaskReward');

export const taskBody = z
  .object({
    code: code().describe('Unique per tenant; `first_order` and `profile_completed` are the built-in tasks'),
    name: str(100).describe('Shown to members'),
    description: str(500).optional().describe('Shown to members'),
    type: z.enum(TASK_TYPES).describe('daily, growth or special (how the task center groups it)'),
    trigger: taskTriggerSchema.describe('What the task counts, and which events qualify'),
    target: z.number().int().min(1).max(100_000).describe('Events to count in one window'),
    repeat: z.enum(TASK_REPEATS).describe('The window, in the tenant time zone (weeks start on Monday)'),
    reward: taskRewardSchema.describe('What completing a window gives'),
    startsAt: rfc3339().optional().describe('Events before this time do not count'),
    endsAt: rfc3339().optional().describe('Events from this time on do not count'),
    tiers: z.array(code()).max(20).optional().describe('Only members of these tiers count (absent = every tier)'),
  })
  .strict()
  .openapi('TaskInput');
export type TaskInput = z.infer<typeof taskBody>;

export const taskPatchBody = z
  .object({
    name: str(100).optional().describe('Shown to members'),
    description: str(500).nullable().optional().describe('Shown to members'),
    type: z.enum(TASK_TYPES).optional().describe('daily, growth or special'),
    trigger: taskTriggerSchema.partial().optional().describe('Merged key by key into the current trigger'),
    target: z.number().int().min(1).max(100_000).optional().describe('Events to count in one window'),
    repeat: z.enum(TASK_REPEATS).optional().describe('The window'),
    reward: taskRewardSchema.optional().describe('Merged key by key into the current reward'),
    startsAt: rfc3339().nullable().optional().describe('Events before this time do not count'),
    endsAt: rfc3339().nullable().optional().describe('Events from this time on do not count'),
    tiers: z.array(code()).max(20).nullable().optional().describe('Only members of these tiers count (null = every tier)'),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Give at least one field to change')
  .openapi('TaskPatch');
export type TaskPatch = z.infer<typeof taskPatchBody>;

export const taskParams = z.object({ code: code().describe('The task code') });
export const listTasksQuery = z.object({ includeArchived: queryFlag().describe('Also list archived tasks') });

export const taskSchema = z
  .object({
    code: z.string().describe('Task code'),
    name: z.string().describe('Task name'),
    description: z.string().nullable().describe('Task description'),
    type: z.enum(TASK_TYPES).describe('daily, growth or special'),
    trigger: z
      .object({
        event: z.enum(TASK_TRIGGERS).describe('What the task counts'),
        activityType: z.string().nullable().describe('Activity type counted (null = any)'),
        minAmountCents: z.number().int().nullable().describe('Minimum order amount counted'),
      })
      .describe('What the task counts'),
    target: z.number().int().describe('Events per window'),
    repeat: z.enum(TASK_REPEATS).describe('Window'),
    reward: z
      .object({
        points: z.number().int().describe('Points per window'),
        growth: z.number().int().describe('Growth per window'),
        couponTemplateCode: z.string().nullable().describe('Coupon template per window'),
      })
      .describe('Reward once per window'),
    startsAt: z.string().nullable().describe('Counting starts'),
    endsAt: z.string().nullable().describe('Counting ends'),
    tiers: z.array(z.string()).nullable().describe('Tiers counted (null = every tier)'),
    builtin: z.boolean().describe('The built-in first-order or profile task: its reward and minimum are the program settings'),
    archivedAt: z.string().nullable().describe('Set once archived: no longer counted'),
  })
  .openapi('Task');
export type TaskDto = z.infer<typeof taskSchema>;

export const memberTaskSchema = z
  .object({
    code: z.string().describe('Task code'),
    name: z.string().describe('Task name'),
    description: z.string().nullable().describe('Task description'),
    type: z.enum(TASK_TYPES).describe('daily, growth or special'),
    repeat: z.enum(TASK_REPEATS).describe('Window'),
    progress: z.number().int().describe('Events counted in the current window'),
    target: z.number().int().describe('Events needed'),
    completed: z.boolean().describe('The current window reached the target and was rewarded'),
    rewardedAt: z.string().nullable().describe('When the current window was rewarded'),
    windowEnd: z.string().nullable().describe('When the current window ends (null for once)'),
    reward: z
      .object({ points: z.number().int().describe('Points'), growth: z.number().int().describe('Growth'), couponTemplateCode: z.string().nullable().describe('Coupon template') })
      .describe('What completing the window gives'),
  })
  .openapi('MemberTask');
export type MemberTaskDto = z.infer<typeof memberTaskSchema>;
export const memberTasksSchema = z.object({ data: z.array(memberTaskSchema).describe('Active tasks the member can do') }).openapi('MemberTasks');

export const referralSchema = z
  .object({
    unionId: z.string().describe("The invitee's unionId"),
    joinedAt: z.string().describe('When the invitee enrolled'),
    status: z.enum(['pending', 'completed', 'revoked']).describe('pending until a first qualifying order; revoked when that order was fully refunded'),
    rewardedAt: z.string().nullable().describe('When the referral completed'),
  })
  .openapi('Referral');
export const referralsSchema = z.object({ data: z.array(referralSchema).describe('Members this member invited, newest first') }).openapi('Referrals');
