import {
  analyticsSummaryQuery,
  analyticsSummarySchema,
  analyticsTrendsQuery,
  analyticsTrendsSchema,
  getAnalyticsSummary,
  getAnalyticsTrends,
  getSettlement,
  settlementCsv,
  settlementQuery,
  settlementSchema,
} from '@unionpoint/core/analytics';
import { Access, type Routes } from '../http/route.ts';

export function analyticsRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/analytics/summary',
    replica: true,
    scope: 'tenant',
    access: Access.admin,
    tags: ['Analytics'],
    summary: 'Members, tiers, points and benefit usage over local days [from, to] (tenant time zone)',
    query: analyticsSummaryQuery,
    responses: { 200: analyticsSummarySchema },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: await tx((t) => getAnalyticsSummary(t, ctx, query)) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/analytics/trends',
    replica: true,
    scope: 'tenant',
    access: Access.admin,
    tags: ['Analytics'],
    summary: 'Day-by-day members, points issued and redeemed, liability and tier movement over local days [from, to]',
    query: analyticsTrendsQuery,
    responses: { 200: analyticsTrendsSchema },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: await tx((t) => getAnalyticsTrends(t, ctx, query)) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/analytics/settlement',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Analytics'],
    summary: 'Store settlement of a month: points issued by one store and spent in another, from the FIFO lots',
    description:
      'Per store, the points credited and spent there in the month (tenant time zone), and the issuer × redeemer matrix of redemptions and reward exchanges: which store issued the lots each one consumed (oldest first). Expiry, clawbacks and negative adjustments consume lots too but are not settled. Values are at the program’s current redeem rate, rounded down per cell. `format=csv` answers the matrix as text/csv.',
    query: settlementQuery,
    responses: { 200: settlementSchema },
    csv: 'One line per matrix cell after a header row `month,issued_by,issued_by_code,redeemed_at,redeemed_at_code,points,value_cents,currency` (empty store fields: no store)',
    handler: async ({ ctx, tx, query }) => {
      const settlement = await tx((t) => getSettlement(t, ctx, query));
      if (query.format !== 'csv') return { status: 200, body: settlement };
      return {
        status: 200,
        text: settlementCsv(settlement),
        headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="settlement-${settlement.month}.csv"` },
      };
    },
  });
}
