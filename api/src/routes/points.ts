import { resolveMemberId } from '@unionpoint/core/identities';
import {
  adjustPoints,
  adjustPointsBody,
  adjustPointsResult,
  ledgerEntrySchema,
  ledgerQuery,
  listLedger,
  redeemPoints,
  redeemPointsBody,
  redeemPointsResult,
} from '@unionpoint/core/points';
import { pageOf, type Routes, Access } from '../http/route.ts';
import { memberParams, storeQuery } from './members.ts';

export function pointsRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/members/:member/ledger',
    replica: true,
    scope: 'tenant',
    access: Access.till,
    tags: ['Points'],
    summary: "A member's points (default) or growth ledger, newest first",
    params: memberParams,
    query: ledgerQuery,
    responses: { 200: pageOf(ledgerEntrySchema) },
    handler: async ({ ctx, tx, params, query }) => ({
      status: 200,
      body: await tx(async (t) => listLedger(t, ctx, await resolveMemberId(t, ctx, { ref: params.member, storeId: query.storeId }), query)),
    }),
  });
  routes.add({
    method: 'post',
    path: '/v1/members/:member/points/redeem',
    errors: ['insufficient_points'],
    scope: 'tenant',
    access: Access.till,
    tags: ['Points'],
    summary: 'Redeem points (oldest lots first); idempotent by reference; more than the balance → 422 insufficient_points',
    params: memberParams,
    body: redeemPointsBody,
    responses: { 201: redeemPointsResult, 200: redeemPointsResult },
    handler: async ({ ctx, tx, params, body }) => {
      const r = await tx((t) => redeemPoints(t, ctx, { ref: params.member, storeId: body.storeId }, body));
      return { status: r.replayed ? 200 : 201, body: r.result };
    },
  });
  routes.add({
    method: 'post',
    path: '/v1/members/:member/points/adjust',
    errors: ['insufficient_points'],
    scope: 'tenant',
    access: Access.admin,
    roles: 'staff',
    tags: ['Points'],
    summary: 'Adjust points by hand with a reason (audited); may not take the balance below zero; idempotent by an optional reference',
    description:
      'With `reference`, a retry with the same delta, reason and store returns 200 with the first result and adjusts nothing; the reference with another body → 409 `idempotency_conflict`. Without it every call adjusts.',
    params: memberParams,
    query: storeQuery,
    body: adjustPointsBody,
    responses: { 201: adjustPointsResult, 200: adjustPointsResult },
    handler: async ({ ctx, tx, params, query, body }) => {
      const r = await tx((t) => adjustPoints(t, ctx, { ref: params.member, storeId: body.storeId ?? query.storeId }, body));
      return { status: r.replayed ? 200 : 201, body: r.result };
    },
  });
}
