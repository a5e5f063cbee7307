import { pageQuery, z } from '@unionpoint/core';
import { resolveMemberId } from '@unionpoint/core/identities';
import { getMemberView, memberSchema } from '@unionpoint/core/members';
import {
  changeTier,
  changeTierBody,
  getLadder,
  ladderBody,
  ladderChangeSchema,
  ladderSimulationSchema,
  listTierHistory,
  replaceLadder,
  simulateLadder,
  startTrial,
  startTrialBody,
  tierChangeSchema,
  tierParams,
  tierPatchBody,
  tierSchema,
  tierUpdateSchema,
  tierView,
  updateTier,
} from '@unionpoint/core/tiers';
import { pageOf, type Routes, Access } from '../http/route.ts';
import { memberParams, storeQuery } from './members.ts';

export function tierRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/tiers',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Tiers'],
    summary: 'The tier ladder, by rank',
    responses: { 200: z.object({ data: z.array(tierSchema).describe('The tiers, lowest rank first') }).describe('The ladder') },
    handler: async ({ ctx, tx }) => ({ status: 200, body: { data: (await tx((t) => getLadder(t, ctx))).map(tierView) } }),
  });
  routes.add({
    method: 'put',
    path: '/v1/tiers',
    errors: ['business_rule'],
    scope: 'tenant',
    access: Access.admin,
    tags: ['Tiers'],
    summary: 'Replace the ladder atomically (audited)',
    description:
      'Codes and ranks unique; the lowest tier open to all; thresholds strictly rising with rank for every threshold in use. Members on a kept tier are re-tiered by upgrade rules only; members on a removed tier get the tier the qualification model gives them. Every move is recorded and emits member.tier_changed.',
    body: ladderBody,
    responses: { 200: ladderChangeSchema },
    handler: async ({ ctx, tx, body }) => {
      const r = await tx((t) => replaceLadder(t, ctx, body.tiers));
      return { status: 200, body: { data: r.tiers.map(tierView), upgraded: r.upgraded, downgraded: r.downgraded } };
    },
  });
  routes.add({
    method: 'patch',
    path: '/v1/tiers/:code',
    errors: ['business_rule'],
    scope: 'tenant',
    access: Access.admin,
    tags: ['Tiers'],
    summary: 'Change one tier: only the fields sent (audited)',
    description:
      'name, thresholds, retention and benefits; retention and benefits are merged key by key (keys not sent are kept; a retention requirement set to null is dropped). The resulting ladder is validated like PUT /v1/tiers, and a threshold change re-tiers members the same way. Code and rank change only through PUT /v1/tiers.',
    params: tierParams,
    body: tierPatchBody,
    responses: { 200: tierUpdateSchema },
    handler: async ({ ctx, tx, params, body }) => {
      const r = await tx((t) => updateTier(t, ctx, params.code, body));
      return { status: 200, body: { data: tierView(r.tier), upgraded: r.upgraded, downgraded: r.downgraded } };
    },
  });
  routes.add({
    method: 'post',
    path: '/v1/tiers/simulate',
    scope: 'tenant',
    access: Access.admin,
    roles: 'read',
    tags: ['Tiers'],
    summary: 'What PUT /v1/tiers with this body would do to the real members; writes nothing',
    body: ladderBody,
    responses: { 200: ladderSimulationSchema },
    handler: async ({ ctx, tx, body }) => ({ status: 200, body: await tx((t) => simulateLadder(t, ctx, body.tiers)) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/members/:member/tier-history',
    replica: true,
    scope: 'tenant',
    access: Access.till,
    tags: ['Tiers'],
    summary: "A member's tier changes (from, to, reason, at), newest first",
    params: memberParams,
    query: pageQuery.extend(storeQuery.shape),
    responses: { 200: pageOf(tierChangeSchema) },
    handler: async ({ ctx, tx, params, query }) => ({
      status: 200,
      body: await tx(async (t) => listTierHistory(t, ctx, await resolveMemberId(t, ctx, { ref: params.member, storeId: query.storeId }), query)),
    }),
  });
  routes.add({
    method: 'post',
    path: '/v1/members/:member/tier',
    errors: ['business_rule'],
    scope: 'tenant',
    access: Access.admin,
    tags: ['Tiers'],
    summary: 'Set the member’s tier by hand, up or down (audited); ends a trial',
    params: memberParams,
    query: storeQuery,
    body: changeTierBody,
    responses: { 200: memberSchema },
    handler: async ({ ctx, tx, params, query, body }) =>
      tx(async (t) => {
        const { memberId } = await changeTier(t, ctx, { ref: params.member, storeId: query.storeId }, body);
        return { status: 200, body: await getMemberView(t, ctx, memberId) };
      }),
  });
  routes.add({
    method: 'post',
    path: '/v1/members/:member/tier-trial',
    errors: ['business_rule'],
    scope: 'tenant',
    access: Access.admin,
    tags: ['Tiers'],
    summary: 'Give the member a trial of a higher tier (default program.trial: 7 days); once per member',
    description: 'The tier reverts when the trial ends unless the member qualified for it meanwhile. 422 business_rule for a second trial or a tier not above theirs.',
    params: memberParams,
    query: storeQuery,
    body: startTrialBody,
    responses: { 201: memberSchema },
    handler: async ({ ctx, tx, params, query, body }) =>
      tx(async (t) => {
        const { memberId } = await startTrial(t, ctx, { ref: params.member, storeId: query.storeId }, body);
        return { status: 201, body: await getMemberView(t, ctx, memberId) };
      }),
  });
}
