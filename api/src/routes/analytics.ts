import {
  analyticsSummaryQuery,
  analyticsSummarySchema,
  analyticsTrendsQuery,
  analyticsTrendsSchema,
  getAnalyticsSummary,
  getAnalyticsTrends,
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
}
