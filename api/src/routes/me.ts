import { z } from '@unionpoint/core';
import { checkIn, checkInResult } from '@unionpoint/core/activities';
import { couponSchema, listMemberCoupons } from '@unionpoint/core/coupons';
import { inboxMessageSchema, inboxParams, inboxQuery } from '@unionpoint/core/inbox';
import { centerBranding, centerBrandingSchema, getMe, listMemberInbox, listMemberTasks, meEntitlementSchema, memberEntitlements, memberSafe, meMemberSchema, meProfileBody, meSchema, meTaskSchema, readMemberMessage } from '@unionpoint/core/me';
import { updateProfile } from '@unionpoint/core/tasks';
import { ledgerEntrySchema, listLedger } from '@unionpoint/core/points';
import { exchangeReward, exchangeResultSchema, listRewards, rewardSchema } from '@unionpoint/core/rewards';
import { openMemberSession, openSessionBody, memberSessionSchema, revokeMemberSessions } from '@unionpoint/core/sessions';
import { systemContext } from '@unionpoint/core';
import { withTenant } from '@unionpoint/db';
import { pageOf, Access, type HandlerInput, type Routes } from '../http/route.ts';
import { memberParams, storeQuery } from './members.ts';

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size, 1–200'),
  cursor: z.string().max(512).optional().describe('nextCursor of the previous page'),
});

/** The member a member token sees: only ever its own. */
function me(input: Pick<HandlerInput<unknown, unknown, unknown>, 'principal'>): string {
  const p = input.principal;
  if (p?.kind !== 'member') throw new Error('a /v1/me route without a member principal');
  return p.memberId;
}

export function meRoutes(routes: Routes): void {
  routes.add({
    method: 'post',
    path: '/v1/members/:member/sessions',
    scope: 'tenant',
    access: Access.till,
    tags: ['Member sessions'],
    summary: 'Open a member session: a upm_ token that sees this member only, on /v1/me/* only, for ttlSeconds (60–86400, default 3600)',
    description:
      "The storefront's backend calls this with its key and hands the token (or the centerUrl, token in its fragment) to the member's page. A store-bound key opens sessions for its own store. The token is shown once and stored only as its hash, so an Idempotency-Key is not honoured here: a retry opens another session.",
    params: memberParams,
    body: openSessionBody,
    responses: { 201: memberSessionSchema },
    // The token is stored only as its hash: never as a stored Idempotency-Key reply.
    secretReply: true,
    handler: async ({ ctx, tx, params, body, deps }) => {
      const s = await tx((t) => openMemberSession(t, ctx, { ref: params.member, storeId: body.storeId }, body));
      return {
        status: 201,
        headers: { 'Cache-Control': 'no-store' },
        body: { token: s.token, expiresAt: s.expiresAt.toISOString(), centerUrl: `${deps.config.memberCenterUrl}/${ctx.tenantId}#token=${s.token}` },
      };
    },
  });
  routes.add({
    method: 'delete',
    path: '/v1/members/:member/sessions',
    scope: 'tenant',
    access: Access.till,
    tags: ['Member sessions'],
    summary: "End every session of the member at once: each of its tokens gets 401 on its next request",
    params: memberParams,
    query: storeQuery,
    responses: { 204: null },
    handler: async ({ ctx, tx, params, query }) => {
      await tx((t) => revokeMemberSessions(t, ctx, { ref: params.member, storeId: query.storeId }));
      return { status: 204 };
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/member-center/:tenantId',
    scope: 'public',
    access: Access.anyone,
    tags: ['Member center'],
    summary: "A tenant's member-center branding (name, logo, colour, language, frame-ancestors): what the page needs before it reads its token",
    params: z.object({ tenantId: z.string().regex(/^ten_[1-9A-HJ-NP-Za-km-z]{1,40}$/, 'a tenant id').describe('The tenant id of the centerUrl') }),
    responses: { 200: centerBrandingSchema },
    handler: async ({ params, deps }) => ({
      status: 200,
      headers: { 'Cache-Control': 'public, max-age=60' },
      body: await withTenant(deps.db.prisma, params.tenantId, (t) => centerBranding(t, systemContext(params.tenantId, 'member-center')), { readOnly: true }),
    }),
  });
  routes.add({
    method: 'get',
    path: '/v1/me',
    replica: true,
    scope: 'member',
    access: Access.member,
    tags: ['Member center'],
    summary: "The member center's first screen: member-safe view, progress, member day, benefits, entitlements, tasks, coupons, unread messages",
    responses: { 200: meSchema },
    // Read-only: each statement runs behind the tenant settings without BEGIN/COMMIT (as the quote).
    handler: async (input) => ({ status: 200, body: await input.tx((t) => getMe(t, input.ctx, me(input)), { readOnly: true }) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/me/ledger',
    replica: true,
    scope: 'member',
    access: Access.member,
    tags: ['Member center'],
    summary: "The member's points (default) or growth ledger, newest first",
    query: listQuery.extend({ kind: z.enum(['points', 'growth']).default('points').describe('Which ledger') }),
    responses: { 200: pageOf(ledgerEntrySchema) },
    handler: async (input) => ({ status: 200, body: await input.tx((t) => listLedger(t, input.ctx, me(input), input.query)) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/me/coupons',
    replica: true,
    scope: 'member',
    access: Access.member,
    tags: ['Member center'],
    summary: "The member's coupons, newest first; status filters available / used / expired",
    query: listQuery.extend({ status: z.enum(['available', 'used', 'expired']).optional().describe('Only coupons in this state') }),
    responses: { 200: pageOf(couponSchema) },
    handler: async (input) => ({ status: 200, body: await input.tx((t) => listMemberCoupons(t, input.ctx, me(input), input.query)) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/me/entitlements',
    replica: true,
    scope: 'member',
    access: Access.member,
    tags: ['Member center'],
    summary: "The member's current entitlements of the benefit catalogue",
    responses: { 200: z.object({ data: z.array(meEntitlementSchema).describe('One per benefit') }) },
    handler: async (input) => ({ status: 200, body: { data: await input.tx((t) => memberEntitlements(t, input.ctx, me(input))) } }),
  });
  routes.add({
    method: 'get',
    path: '/v1/me/tasks',
    replica: true,
    scope: 'member',
    access: Access.member,
    tags: ['Member center'],
    summary: "The member's tasks with progress and reward (check-in, first order, profile)",
    responses: { 200: z.object({ data: z.array(meTaskSchema).describe('Check-in first') }) },
    handler: async (input) => ({ status: 200, body: { data: await input.tx((t) => listMemberTasks(t, input.ctx, me(input))) } }),
  });
  routes.add({
    method: 'get',
    path: '/v1/me/rewards',
    replica: true,
    scope: 'member',
    access: Access.member,
    tags: ['Member center'],
    summary: 'The points mall: rewards on offer, newest first',
    query: listQuery,
    responses: { 200: pageOf(rewardSchema) },
    handler: async (input) => ({ status: 200, body: await input.tx((t) => listRewards(t, input.ctx, { ...input.query, includeArchived: false })) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/me/inbox',
    replica: true,
    scope: 'member',
    access: Access.member,
    tags: ['Member center'],
    summary: "The member's inbox (站内信), newest first, in the tenant's language",
    query: inboxQuery,
    responses: { 200: pageOf(inboxMessageSchema) },
    handler: async (input) => ({ status: 200, body: await input.tx((t) => listMemberInbox(t, input.ctx, me(input), input.query)) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/me/check-ins',
    scope: 'member',
    access: Access.member,
    tags: ['Member center'],
    summary: "Today's check-in with its streak reward; a second one the same local day → 422 already_checked_in",
    responses: { 201: checkInResult },
    handler: async (input) => ({ status: 201, body: await input.tx((t) => checkIn(t, input.ctx, { memberId: me(input) })) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/me/rewards/:code/exchange',
    scope: 'member',
    access: Access.member,
    tags: ['Member center'],
    summary: 'Exchange points for a reward; idempotent by reference; 422 out_of_stock / archived / insufficient_points',
    params: z.object({ code: z.string().min(1).max(64).describe('Reward code') }),
    body: z.object({ reference: z.string().min(1).max(128).describe('Idempotency: the same reference again returns the first exchange') }).strict().openapi('MeRewardExchange'),
    responses: { 201: exchangeResultSchema },
    referenceKey: (body) => body.reference,
    handler: async (input) => ({
      status: 201,
      body: await input.tx((t) => exchangeReward(t, input.ctx, { memberId: me(input) }, input.params.code, { storeId: input.ctx.boundStoreId ?? undefined, reference: input.body.reference })),
    }),
  });
  routes.add({
    method: 'post',
    path: '/v1/me/inbox/:id/read',
    scope: 'member',
    access: Access.member,
    tags: ['Member center'],
    summary: 'Mark one of the member’s messages read',
    params: inboxParams,
    responses: { 200: inboxMessageSchema },
    handler: async (input) => ({ status: 200, body: await input.tx((t) => readMemberMessage(t, input.ctx, me(input), input.params.id)) }),
  });
  routes.add({
    method: 'patch',
    path: '/v1/me/profile',
    scope: 'member',
    access: Access.member,
    tags: ['Member center'],
    summary: "Change the member's own profile (name, phone, email, birthday); absent fields stay",
    body: meProfileBody,
    responses: { 200: meMemberSchema },
    handler: async (input) => ({ status: 200, body: memberSafe(await input.tx((t) => updateProfile(t, input.ctx, { memberId: me(input) }, input.body))) }),
  });
}
