import { unsafeListTenantSchedules } from '@unionpoint/core/tenants';
import { DAILY_TENANT_JOBS, JOBS } from '../jobs/catalogue.ts';
import type { HandlerMap } from '../runtime.ts';
import { HANDLERS } from './index.ts';

export const scheduleHandlers: HandlerMap = {
  /**
   * One scheduler per tenant and daily job, at DAILY_JOBS_AT in the tenant's own time zone
   * (upsert: a changed time zone moves it). Suspended tenants lose their schedulers. Jobs
   * without a handler in this release are not scheduled.
   */
  'schedules.sync': async (_payload, ctx) => {
    const tenants = await unsafeListTenantSchedules(ctx.db.pool);
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
