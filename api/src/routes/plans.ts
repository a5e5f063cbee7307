import { z } from '@unionpoint/core';
import { getMemberView, memberSchema } from '@unionpoint/core/members';
import {
  archivePlan,
  changeMemberPlan,
  createPlan,
  listPlans,
  listPlansQuery,
  memberPlanBody,
  planBody,
  planParams,
  planPatchBody,
  planSchema,
  updatePlan,
} from '@unionpoint/core/plans';
import { Access, type Routes } from '../http/route.ts';
import { memberParams, storeQuery } from './members.ts';

export function planRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/plans',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Plans'],
    summary: 'Paid membership plans; archived ones only with ?includeArchived=true',
    query: listPlansQuery,
    responses: { 200: z.object({ data: z.array(planSchema).describe('The plans') }).describe('Paid plans') },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: { data: await tx((t) => listPlans(t, ctx, query)) } }),
  });
  routes.add({
    method: 'post',
    path: '/v1/plans',
    errors: ['conflict'],
    scope: 'tenant',
    access: Access.admin,
    tags: ['Plans'],
    summary: 'Create a paid plan with price, period, trial days and its own benefits (audited)',
    body: planBody,
    responses: { 201: planSchema },
    handler: async ({ ctx, tx, body }) => ({ status: 201, body: await tx((t) => createPlan(t, ctx, body)) }),
  });
  routes.add({
    method: 'patch',
    path: '/v1/plans/:code',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Plans'],
    summary: 'Change a plan (partial; the code is immutable; audited)',
    description: 'Price and period apply from the next subscribe or renew; benefits apply to current subscribers at once.',
    params: planParams,
    body: planPatchBody,
    responses: { 200: planSchema },
    handler: async ({ ctx, tx, params, body }) => ({ status: 200, body: await tx((t) => updatePlan(t, ctx, params.code, body)) }),
  });
  routes.add({
    method: 'delete',
    path: '/v1/plans/:code',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Plans'],
    summary: 'Archive a plan: no new subscriptions or trials (422 archived); members who hold it keep it and may renew or cancel (audited)',
    params: planParams,
    responses: { 200: planSchema },
    handler: async ({ ctx, tx, params }) => ({ status: 200, body: await tx((t) => archivePlan(t, ctx, params.code)) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/members/:member/plan',
    errors: ['archived', 'business_rule'],
    scope: 'tenant',
    access: Access.admin,
    tags: ['Plans'],
    summary: 'Report a subscribe / renew / cancel / trial of a paid plan; idempotent by reference',
    description: 'Payment is the storefront’s. The same reference again returns the member unchanged (200); reused for another change, 409.',
    params: memberParams,
    query: storeQuery,
    body: memberPlanBody,
    responses: { 201: memberSchema, 200: memberSchema },
    handler: async ({ ctx, tx, params, query, body }) =>
      tx(async (t) => {
        const r = await changeMemberPlan(t, ctx, { ref: params.member, storeId: query.storeId }, body);
        return { status: r.replayed ? 200 : 201, body: await getMemberView(t, ctx, r.memberId) };
      }),
  });
}
