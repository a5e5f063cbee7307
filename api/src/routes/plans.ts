import { z } from '@unionpoint/core';
import { resolveMemberId } from '@unionpoint/core/identities';
import { getMemberView, memberSchema } from '@unionpoint/core/members';
import { changeMemberPlan, createPlan, listPlans, memberPlanBody, planBody, planSchema } from '@unionpoint/core/plans';
import type { Routes } from '../http/route.ts';
import { memberParams, storeQuery } from './members.ts';

export function planRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/plans',
    scope: 'tenant',
    tags: ['Plans'],
    summary: 'Paid membership plans',
    responses: { 200: z.object({ data: z.array(planSchema) }) },
    handler: async ({ ctx, tx }) => ({ status: 200, body: { data: await tx((t) => listPlans(t, ctx)) } }),
  });
  routes.add({
    method: 'post',
    path: '/v1/plans',
    scope: 'tenant',
    tags: ['Plans'],
    summary: 'Create a paid plan with price, period, trial days and its own benefits (audited)',
    body: planBody,
    responses: { 201: planSchema },
    handler: async ({ ctx, tx, body }) => ({ status: 201, body: await tx((t) => createPlan(t, ctx, body)) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/members/:member/plan',
    scope: 'tenant',
    tags: ['Plans'],
    summary: 'Report a subscribe / renew / cancel / trial of a paid plan; idempotent by reference',
    description: 'Payment is the storefront’s. The same reference again returns the member unchanged (200); reused for another change, 409.',
    params: memberParams,
    query: storeQuery,
    body: memberPlanBody,
    responses: { 201: memberSchema, 200: memberSchema },
    handler: async ({ ctx, tx, params, query, body }) =>
      tx(async (t) => {
        const memberId = await resolveMemberId(t, ctx, { ref: params.member, storeId: query.storeId }, { forUpdate: true });
        const r = await changeMemberPlan(t, ctx, memberId, body);
        return { status: r.replayed ? 200 : 201, body: await getMemberView(t, ctx, memberId) };
      }),
  });
}
