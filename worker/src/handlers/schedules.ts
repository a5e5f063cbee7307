import { DAILY_TENANT_JOBS, JOBS } from '../jobs/catalogue.ts';
import type { HandlerMap } from '../runtime.ts';
import { HANDLERS } from './index.ts';

/** Active tenants and their time zones, across tenants on the owner connection. */
async function unsafeListActiveTenants(ctx: Parameters<NonNullable<HandlerMap['schedules.sync']>>[1]) {
  const { rows } = await ctx.db.pool.query<{ id: string; status: string; timezone: string | null }>(
    `SELECT t.id, t.status::text AS status, p.timezone FROM tenants t LEFT JOIN programs p ON p.tenant_id = t.id`,
  );
  return rows;
}

export const scheduleHandlers: HandlerMap = {
  /**
   * One scheduler per tenant and daily job, at DAILY_JOBS_AT in the tenant's own time zone
   * (upsert: a changed time zone moves it). Suspended tenants lose their schedulers. Jobs
   * without a handler in this release are not scheduled.
   */
  'schedules.sync': async (_payload, ctx) => {
    const tenants = await unsafeListActiveTenants(ctx);
    const [minute, hour] = ctx.config.dailyAt.split(' ');
    let upserted = 0;
    let removed = 0;
    for (const t of tenants) {
      for (const name of DAILY_TENANT_JOBS) {
        const queue = ctx.queues[JOBS[name].queue];
        const schedulerId = `${name}.${t.id}`;
        if (t.status !== 'active' || !HANDLERS[name]) {
          if (await queue.removeJobScheduler(schedulerId)) removed++;
          continue;
        }
        await queue.upsertJobScheduler(
          schedulerId,
          { pattern: `${minute} ${hour} * * *`, tz: t.timezone ?? 'Asia/Shanghai' },
          { name, data: { tenantId: t.id }, opts: { removeOnComplete: true, removeOnFail: 1000 } },
        );
        upserted++;
      }
    }
    return { tenants: tenants.length, upserted, removed };
  },
};
