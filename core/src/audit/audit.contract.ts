import { z, rfc3339, str } from '../shared/zod.ts';
import { pageQuery } from '../shared/pagination.ts';

/**
 * Every action the audit log records, `<kind>.<what>`. `recordAudit` takes only these, so a new
 * action is added here first (and labelled in the dashboard's enum dictionary).
 */
export const AUDIT_ACTIONS = [
  'import.created',
  'import.uploaded',
  'recompute.applied',
  'recompute.completed',
  'api_key.created',
  'api_key.revoked',
  'benefit.archived',
  'benefit.created',
  'benefit.updated',
  'campaign.application_approved',
  'campaign.created',
  'coupon.granted',
  'coupon_template.archived',
  'coupon_template.created',
  'coupon_template.updated',
  'member.flag_cleared',
  'member.flagged',
  'member.merged',
  'member.tier_changed',
  'member.trial_started',
  'plan.archived',
  'plan.cancel',
  'plan.created',
  'plan.renew',
  'plan.subscribe',
  'plan.trial',
  'plan.updated',
  'points.adjusted',
  'points.birthday_gift',
  'points.keep_tier_gift',
  'program.updated',
  'retention.run_completed',
  'retention.run_queued',
  'reward.archived',
  'reward.created',
  'reward.exchanged',
  'reward.updated',
  'store.created',
  'task.archived',
  'task.created',
  'task.updated',
  'tenant.created',
  'tenant.reactivated',
  'tenant.suspended',
  'tier.updated',
  'tiers.replaced',
  'user.created',
  'user.disabled',
  'user.enabled',
  'user.invited',
  'user.password_reset',
  'user.password_set',
  'user.removed',
  'user.updated',
  'webhook.created',
  'webhook.deleted',
  'webhook.delivery_replayed',
  'webhook.test_sent',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const auditActionSchema = z.enum(AUDIT_ACTIONS).describe('What was done, `<kind>.<what>`').openapi('AuditAction');

/** The kinds of action (the part before the dot): a filter on a kind matches each of its actions. */
export const AUDIT_KINDS = [...new Set(AUDIT_ACTIONS.map((a) => a.slice(0, a.indexOf('.'))))] as [string, ...string[]];
export const auditKindSchema = z.enum(AUDIT_KINDS).describe('A kind of action: what it was done to').openapi('AuditKind');

export const AUDIT_ACTOR_TYPES = ['user', 'api_key', 'platform', 'system', 'member'] as const;
export const auditActorTypeSchema = z
  .enum(AUDIT_ACTOR_TYPES)
  .describe('Who acted: a dashboard `user`, an `api_key`, the `platform` operator, a `system` job, or a `member` through a member session')
  .openapi('AuditActorType');

export const auditQuery = pageQuery
  .extend({
    actorType: auditActorTypeSchema.optional().describe('Only entries by this kind of actor'),
    actorId: str(128).optional().describe('Only entries by this actor (a user id `usr_…`, a key id, a job name); usually with `actorType`'),
    action: auditActionSchema.optional().describe('Only this action'),
    kind: auditKindSchema.optional().describe('Only actions of this kind (`points`: every `points.*`)'),
    member: str(200)
      .optional()
      .describe('Only entries about this member, by unionId (a merged unionId names the member it went into); 404 when unknown'),
    from: rfc3339().optional().describe('Only entries at or after this time (RFC 3339)'),
    to: rfc3339().optional().describe('Only entries before this time (RFC 3339, exclusive); not before `from`'),
  })
  .describe('Filters of the audit log; every filter given must hold')
  .openapi('AuditQuery');
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditEntrySchema = z
  .object({
    id: z.string().describe('Audit entry id'),
    actor: z.object({ type: auditActorTypeSchema, id: z.string().nullable().describe('The user or key id, or the job name') }).describe('Who did it'),
    action: auditActionSchema,
    target: z
      .object({ type: z.string().nullable().describe('Kind of thing changed (`member`, `tier`, `program`…)'), id: z.string().nullable().describe('Its id') })
      .describe('What it was done to'),
    before: z.unknown().describe('State before (JSON), if any'),
    after: z.unknown().describe('State after (JSON), if any'),
    requestId: z.string().nullable().describe('The request id of the change'),
    createdAt: z.string().describe('When (RFC 3339)'),
  })
  .describe('One audit log entry (append-only)')
  .openapi('AuditEntry');
