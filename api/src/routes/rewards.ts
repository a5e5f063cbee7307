import {
  archiveReward,
  createReward,
  exchangeBody,
  exchangeResultSchema,
  exchangeReward,
  listRewards,
  listRewardsQuery,
  rewardBody,
  rewardParams,
  rewardPatchBody,
  rewardSchema,
  updateReward,
} from '@unionpoint/core/rewards';
import { z } from '@unionpoint/core';
import { pageOf, type Routes, Access } from '../http/route.ts';
import { memberParams, storeQuery } from './members.ts';

export function rewardRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/rewards',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Rewards'],
    summary: 'The rewards catalogue (points mall), newest first; archived ones only with ?includeArchived=true',
    query: listRewardsQuery,
    responses: { 200: pageOf(rewardSchema) },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: await tx((t) => listRewards(t, ctx, query)) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/rewards',
    errors: ['conflict'],
    scope: 'tenant',
    access: Access.admin,
    tags: ['Rewards'],
    summary: 'Add a reward: points cost, optional coupon template, optional stock (audited)',
    body: rewardBody,
    responses: { 201: rewardSchema },
    handler: async ({ ctx, tx, body }) => ({ status: 201, body: await tx((t) => createReward(t, ctx, body)) }),
  });
  routes.add({
    method: 'patch',
    path: '/v1/rewards/:code',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Rewards'],
    summary: 'Change a reward (partial; the code is immutable; audited)',
    description: '`stock` is how many may still be exchanged from now on (null = unlimited); a new points cost applies to exchanges from now on; the coupon template must exist and not be archived.',
    params: rewardParams,
    body: rewardPatchBody,
    responses: { 200: rewardSchema },
    handler: async ({ ctx, tx, params, body }) => ({ status: 200, body: await tx((t) => updateReward(t, ctx, params.code, body)) }),
  });
  routes.add({
    method: 'delete',
    path: '/v1/rewards/:code',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Rewards'],
    summary: 'Archive a reward: no longer offered for exchange (422 archived); coupons it issued keep working (audited)',
    params: rewardParams,
    responses: { 200: rewardSchema },
    handler: async ({ ctx, tx, params }) => ({ status: 200, body: await tx((t) => archiveReward(t, ctx, params.code)) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/members/:member/rewards/:code/exchange',
    errors: ['insufficient_points', 'out_of_stock', 'archived'],
    scope: 'tenant',
    access: Access.till,
    tags: ['Rewards'],
    summary: 'Exchange points for a reward: points and stock move in one transaction; 422 out_of_stock / archived / insufficient_points',
    params: memberParams.extend({ code: z.string().min(1).max(64).describe('Reward code') }),
    query: storeQuery,
    body: exchangeBody.optional(),
    responses: { 201: exchangeResultSchema },
    handler: async ({ ctx, tx, params, query, body }) => ({
      status: 201,
      body: await tx((t) =>
        exchangeReward(t, ctx, { ref: params.member, storeId: query.storeId ?? body?.storeId }, params.code, { storeId: body?.storeId ?? query.storeId, reference: body?.reference }),
      ),
    }),
  });
}
