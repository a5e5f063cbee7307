import { z } from '@unionpoint/core';
import { STORE_ID_FIELD } from '@unionpoint/core/stores';
import { bindIdentityBody, enrolMember, enrolMemberBody, getMemberView, listMembers, listMembersQuery, memberSchema } from '@unionpoint/core/members';
import { bindIdentity, resolveMemberId } from '@unionpoint/core/identities';
import { mergeMembers } from '@unionpoint/core/merges';
import { pageOf, type Routes, Access } from '../http/route.ts';

/** `:member` is a unionId, or `openid:<openId>` with a store-bound key or ?storeId=. */
export const memberParams = z.object({
  member: z
    .string()
    .min(1)
    .max(200)
    .describe('The member: a unionId, or `openid:<openId>` with a store-bound key or `?storeId=` (a merged unionId names the surviving member)'),
});
export const storeQuery = z.object({ storeId: STORE_ID_FIELD });

export function memberRoutes(routes: Routes): void {
  routes.add({
    method: 'post',
    path: '/v1/members',
    scope: 'tenant',
    access: Access.till,
    roles: 'staff',
    tags: ['Members'],
    summary: 'Enrol a member (201), or return the existing one for a known unionId (200, identity added if new)',
    body: enrolMemberBody,
    responses: { 201: memberSchema, 200: memberSchema },
    handler: async ({ ctx, tx, body }) => {
      const r = await tx((t) => enrolMember(t, ctx, body));
      return { status: r.created ? 201 : 200, body: r.member };
    },
  });
  routes.add({
    method: 'get',
    path: '/v1/members',
    replica: true,
    scope: 'tenant',
    access: Access.till,
    tags: ['Members'],
    summary: 'List members; q matches unionId, openId, phone or name; tier filters',
    query: listMembersQuery,
    responses: { 200: pageOf(memberSchema) },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: await tx((t) => listMembers(t, ctx, query)) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/members/:member',
    replica: true,
    scope: 'tenant',
    access: Access.till,
    tags: ['Members'],
    summary: 'A member by unionId or openid:<openId>',
    params: memberParams,
    query: storeQuery,
    responses: { 200: memberSchema },
    handler: async ({ ctx, tx, params, query }) => ({
      status: 200,
      body: await tx(async (t) => getMemberView(t, ctx, await resolveMemberId(t, ctx, { ref: params.member, storeId: query.storeId }))),
    }),
  });
  routes.add({
    method: 'post',
    path: '/v1/members/:member/identities',
    errors: ['conflict'],
    scope: 'tenant',
    access: Access.till,
    roles: 'staff',
    tags: ['Members'],
    summary: "Bind an openId in a store to the member; an openId bound to another member is 409",
    params: memberParams,
    body: bindIdentityBody,
    responses: { 201: memberSchema, 200: memberSchema },
    handler: async ({ ctx, tx, params, body }) => {
      return tx(async (t) => {
        const memberId = await resolveMemberId(t, ctx, { ref: params.member, storeId: body.storeId });
        const r = await bindIdentity(t, ctx, memberId, body);
        return { status: r.created ? 201 : 200, body: await getMemberView(t, ctx, memberId) };
      });
    },
  });
  routes.add({
    method: 'post',
    path: '/v1/members/:member/merge',
    errors: ['business_rule', 'conflict'],
    scope: 'tenant',
    access: Access.admin,
    tags: ['Members'],
    summary: 'Merge another unionId into this member: identities, orders, points and growth move here; tier and balances recomputed (audited)',
    params: memberParams,
    body: z
      .object({ fromUnionId: z.string().min(1).max(128).describe('unionId of the member merged away into the path’s member (it becomes an alias of the survivor)') })
      .strict()
      .describe('Two unionIds that are one person')
      .openapi('MergeMembers'),
    responses: { 200: memberSchema },
    handler: async ({ ctx, tx, params, body }) => ({
      status: 200,
      body: await tx(async (t) => mergeMembers(t, ctx, await resolveMemberId(t, ctx, { ref: params.member }), body.fromUnionId)),
    }),
  });
}
