import { withTenant } from '@unionpoint/db';
import { addDays, localDate, systemContext } from '@unionpoint/core';
import { ensureRfmSnapshot } from '@unionpoint/core/analytics';
import { getProgram } from '@unionpoint/core/program';
import type { HandlerMap } from '../handler-types.ts';

export const analyticsHandlers: HandlerMap = {
  /**
   * Daily, just after local midnight: the RFM snapshot of the day that ended (yesterday in the
   * tenant's time zone), so the day's summaries read one row. Idempotent per tenant and day:
   * a day already stored (by an earlier run or a summary) is read, not recomputed.
   */
  'analytics.rfm-snapshot': async (payload, ctx) => {
    const c = systemContext(payload.tenantId, 'analytics.rfm-snapshot');
    return withTenant(
      ctx.db.prisma,
      payload.tenantId,
      async (tx) => {
        const asOf = payload.asOf ?? addDays(localDate(new Date(), (await getProgram(tx, c)).timezone), -1);
        const s = await ensureRfmSnapshot(tx, c, asOf);
        return { asOf: s.asOf, computed: s.computed, membersScored: s.membersScored };
      },
      { timeoutMs: 300_000 },
    );
  },
};
