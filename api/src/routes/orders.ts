import { z } from '@unionpoint/core';
import { memberSchema } from '@unionpoint/core/members';
import {
  clearMemberFlag,
  createOrder,
  createOrderBody,
  createOrderResult,
  createRefundBody,
  createRefundResult,
  refundOrder,
} from '@unionpoint/core/orders';
import { Access, type Routes } from '../http/route.ts';
import { memberParams, storeQuery } from './members.ts';

export function orderRoutes(routes: Routes): void {
  routes.add({
    method: 'post',
    path: '/v1/orders',
    errors: ['coupon_not_applicable', 'business_rule'],
    scope: 'tenant',
    access: Access.till,
    tags: ['Orders'],
    summary:
      'Report a completed order: awards points and growth (201); the same externalId in the same store again → 200 with the first response',
    body: createOrderBody,
    responses: { 201: createOrderResult, 200: createOrderResult },
    handler: async ({ ctx, tx, body }) => tx((t) => createOrder(t, ctx, body)),
  });
  routes.add({
    method: 'post',
    path: '/v1/orders/:externalId/refunds',
    errors: ['refund_exceeds_order', 'business_rule'],
    scope: 'tenant',
    access: Access.till,
    tags: ['Orders'],
    summary: 'Refund part or all of an order: claws back points and growth in proportion (201); the same refundId again → 200',
    params: z.object({ externalId: z.string().min(1).max(255).describe('Your order number (the order’s externalId) in the store of storeId') }),
    body: createRefundBody,
    responses: { 201: createRefundResult, 200: createRefundResult },
    handler: async ({ ctx, tx, params, body }) => tx((t) => refundOrder(t, ctx, params.externalId, body)),
  });
  routes.add({
    method: 'post',
    path: '/v1/members/:member/flag/clear',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Members'],
    summary: 'Clear the refund-abuse flag of a member (audited); the member earns points again',
    params: memberParams,
    query: storeQuery,
    responses: { 200: memberSchema },
    handler: async ({ ctx, tx, params, query }) => ({
      status: 200,
      body: await tx((t) => clearMemberFlag(t, ctx, { ref: params.member, storeId: query.storeId })),
    }),
  });
}
