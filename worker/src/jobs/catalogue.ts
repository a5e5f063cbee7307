import { z } from 'zod';

/** One queue per concern. */
export const QUEUE_NAMES = ['outbox-relay', 'webhook-delivery', 'retention', 'ledger-maintenance', 'gifts', 'schedules', 'imports'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

const id = () => z.string().min(1).max(128);
const platformWide = z.object({}).strict();
const tenantWide = z.object({ tenantId: id() });
const laneRef = z.object({ tenantId: id(), endpointId: id(), lane: id() });

/**
 * The job catalogue: each job's queue and payload schema. Payloads carry ids and tenantId only
 * (never data that can go stale) and change only by adding optional fields, so jobs queued by
 * an older release still parse. The job name in BullMQ is the catalogue key.
 */
export const JOBS = {
  /** Cross-tenant: outbox rows → deliveries; wakes the lanes it filled. */
  'outbox.relay': { queue: 'outbox-relay', payload: platformWide },
  /** Cross-tenant: due lane heads whose wake-up was lost (Redis down, replays). */
  'webhooks.sweep': { queue: 'outbox-relay', payload: platformWide },
  /** Sends one lane (endpoint + member) in order: retries and the sweeper's wake-ups. */
  'webhooks.deliver-lane': {
    queue: 'webhook-delivery',
    payload: laneRef,
  },
  /** Sends several lanes at once, each in its own order: the relay's wake-ups. */
  'webhooks.deliver-lanes': {
    queue: 'webhook-delivery',
    payload: z.object({ lanes: z.array(laneRef).min(1).max(1000) }),
  },
  /** Cross-tenant: queued runs, and running ones whose worker died, into the retention queue. */
  'retention.dispatch': { queue: 'retention', payload: platformWide },
  'retention.run': { queue: 'retention', payload: z.object({ tenantId: id(), runId: id() }) },
  /** Cross-tenant: queued recompute previews, accepted applies and crashed ones, into the retention queue. */
  'recompute.dispatch': { queue: 'retention', payload: platformWide },
  /** A recompute preview or apply, batch by batch from its cursor. */
  'recompute.run': { queue: 'retention', payload: z.object({ tenantId: id(), runId: id() }) },
  /** Daily: on the first local day of a period, queues the run for the period that ended. */
  'retention.close-period': { queue: 'retention', payload: tenantWide },
  /** Daily: warnDays before the period end, member.tier_at_risk with the shortfall. */
  'retention.warn-at-risk': { queue: 'retention', payload: tenantWide },
  'gifts.keep-tier': { queue: 'gifts', payload: tenantWide },
  'gifts.birthday': { queue: 'gifts', payload: tenantWide },
  'gifts.trial-expiry': { queue: 'gifts', payload: tenantWide },
  /** Daily: the current periods' coupon packs of the benefit catalogue, once per member, benefit and period. */
  'benefits.packs': { queue: 'gifts', payload: tenantWide },
  /** Daily: plan.expiring 7 days before a paid plan ends. */
  'plans.expiring': { queue: 'gifts', payload: tenantWide },
  'ledger.expire-points': { queue: 'ledger-maintenance', payload: tenantWide },
  'ledger.points-expiring': { queue: 'ledger-maintenance', payload: tenantWide },
  'ledger.monthly-bonus': { queue: 'ledger-maintenance', payload: tenantWide },
  /**
   * Daily: the RFM snapshot of the local day that just ended (or of `asOf`), read by every
   * analytics summary of that day; computed once per tenant and day, later runs read it.
   * On the retention queue: daily, per tenant, one long read.
   */
  'analytics.rfm-snapshot': {
    queue: 'retention',
    payload: z.object({ tenantId: id(), asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }),
  },
  /** Cross-tenant: received history imports, and those whose worker died, into the imports queue. */
  'imports.dispatch': { queue: 'imports', payload: platformWide },
  /** Applies one history import to the end, batch by batch from its cursor. */
  'imports.run': { queue: 'imports', payload: z.object({ tenantId: id(), importId: id() }) },
  /** Cross-tenant: upserts every active tenant's daily schedulers in its time zone. */
  'schedules.sync': { queue: 'schedules', payload: platformWide },
} as const satisfies Record<string, { queue: QueueName; payload: z.ZodType }>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['payload']>;

/** The daily per-tenant jobs, scheduled at DAILY_JOBS_AT in the tenant's time zone. */
export const DAILY_TENANT_JOBS = [
  'retention.close-period',
  'retention.warn-at-risk',
  'gifts.keep-tier',
  'gifts.birthday',
  'gifts.trial-expiry',
  'benefits.packs',
  'plans.expiring',
  'ledger.expire-points',
  'ledger.points-expiring',
  'ledger.monthly-bonus',
  'analytics.rfm-snapshot',
] as const satisfies readonly JobName[];

export function parsePayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  return JOBS[name].payload.parse(data) as JobPayload<N>;
}

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}

/** BullMQ job ids may not contain ':'; business keys are joined with '.'. */
export function jobKey(...parts: (string | number)[]): string {
  return parts.map((p) => String(p).replaceAll(':', '_')).join('.');
}
