import { z } from '@unionpoint/core';
import {
  analyticsRangeQuery,
  archiveBenefit,
  benefitAnalytics,
  benefitBody,
  benefitCodeParams,
  benefitParams,
  benefitPatchBody,
  benefitSchema,
  benefitUsageSchema,
  benefitUsagesQuery,
  createBenefit,
  entitlementSchema,
  entitlementUseBody,
  entitlementUseResult,
  listBenefits,
  listBenefitsQuery,
  listBenefitUsages,
  memberEntitlements,
  memberPlanValue,
  planAnalytics,
  planValueQuery,
  planValueSchema,
  toEntitlementDto,
  updateBenefit,
  useEntitlement,
} from '@unionpoint/core/benefits';
import { resolveMemberId } from '@unionpoint/core/identities';
import { Access, type Routes } from '../http/route.ts';
import { memberParams, storeQuery } from './members.ts';

const breakdown = z.array(z.object({ kind: z.string().describe('Saving kind'), cents: z.number().int().describe('Saved, minor units') }));

export function benefitRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/benefits',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Benefits'],
    summary: 'The benefit catalogue (权益) with its grants to tiers and plans; archived ones only with ?includeArchived=true',
    query: listBenefitsQuery,
    responses: { 200: z.object({ data: z.array(benefitSchema).describe('Benefits') }) },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: { data: await tx((t) => listBenefits(t, ctx, query)) } }),
  });
  routes.add({
    method: 'post',
    path: '/v1/benefits',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Benefits'],
    summary: 'Add a benefit with its grants: a count per day / week / month / quarter / year, or unlimited (audited)',
    description: 'A tier grant applies to that tier and every higher one unless exactTier. A coupon_pack needs couponTemplateCode and a count on every grant. A taken code is 409.',
    body: benefitBody,
    responses: { 201: benefitSchema },
    handler: async ({ ctx, tx, body }) => ({ status: 201, body: await tx((t) => createBenefit(t, ctx, body)) }),
  });
  routes.add({
    method: 'patch',
    path: '/v1/benefits/:code',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Benefits'],
    summary: 'Change a benefit (partial; grants replaced as a whole; the code is immutable; audited)',
    description: 'Applies at once: uses already made in the current period count against the new quota.',
    params: benefitParams,
    body: benefitPatchBody,
    responses: { 200: benefitSchema },
    handler: async ({ ctx, tx, params, body }) => ({ status: 200, body: await tx((t) => updateBenefit(t, ctx, params.code, body)) }),
  });
  routes.add({
    method: 'delete',
    path: '/v1/benefits/:code',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Benefits'],
    summary: 'Archive a benefit: no new periods or packs; entitlements already granted stay usable until their period ends (audited)',
    params: benefitParams,
    responses: { 200: benefitSchema },
    handler: async ({ ctx, tx, params }) => ({ status: 200, body: await tx((t) => archiveBenefit(t, ctx, params.code)) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/members/:member/entitlements',
    replica: true,
    scope: 'tenant',
    access: Access.till,
    tags: ['Benefits'],
    summary: "The member's entitlements for the current period of each benefit: granted, used, remaining (null = unlimited)",
    params: memberParams,
    query: storeQuery,
    responses: { 200: z.object({ data: z.array(entitlementSchema).describe('Entitlements') }) },
    handler: async ({ ctx, tx, params, query }) => ({
      status: 200,
      body: {
        data: await tx(async (t) => {
          const memberId = await resolveMemberId(t, ctx, { ref: params.member, storeId: query.storeId });
          return (await memberEntitlements(t, ctx, memberId, new Date())).map(toEntitlementDto);
        }),
      },
    }),
  });
  routes.add({
    method: 'post',
    path: '/v1/members/:member/entitlements/:benefitCode/use',
    scope: 'tenant',
    access: Access.till,
    roles: 'staff',
    tags: ['Benefits'],
    summary: 'Use (核销) one of the member’s entitlements; idempotent by reference',
    description:
      'Counts one use in the current period. 422 quota_exhausted when none is left, 422 not_entitled without the entitlement; 404 for an unknown benefit. The same reference again replays the first answer (200); reused for another member or benefit, 409.',
    params: memberParams.extend(benefitCodeParams.shape),
    query: storeQuery,
    body: entitlementUseBody,
    responses: { 201: entitlementUseResult, 200: entitlementUseResult },
    handler: async ({ ctx, tx, params, query, body }) =>
      tx(async (t) => {
        const r = await useEntitlement(t, ctx, { ref: params.member, storeId: query.storeId ?? body.storeId }, params.benefitCode, body);
        return { status: r.replayed ? 200 : 201, body: { benefitCode: r.benefitCode, remaining: r.remaining, periodEnd: r.periodEnd } };
      }),
  });
  routes.add({
    method: 'get',
    path: '/v1/members/:member/benefit-usages',
    replica: true,
    scope: 'tenant',
    access: Access.till,
    tags: ['Benefits'],
    summary: 'The member’s benefit usage, newest first: entitlement uses and the pricing benefits reported on orders',
    params: memberParams,
    query: benefitUsagesQuery.extend(storeQuery.shape),
    responses: { 200: z.object({ data: z.array(benefitUsageSchema).describe('Usage records'), nextCursor: z.string().nullable().describe('Next page') }) },
    handler: async ({ ctx, tx, params, query }) => ({
      status: 200,
      body: await tx((t) => listBenefitUsages(t, ctx, { ref: params.member, storeId: query.storeId }, query)),
    }),
  });
  routes.add({
    method: 'get',
    path: '/v1/members/:member/plan-value',
    replica: true,
    scope: 'tenant',
    access: Access.till,
    tags: ['Benefits'],
    summary: 'Statement of value (回本) of a paid member for a month: savings by kind against the plan fee',
    params: memberParams,
    query: planValueQuery.extend(storeQuery.shape),
    responses: { 200: planValueSchema },
    handler: async ({ ctx, tx, params, query }) => ({ status: 200, body: await tx((t) => memberPlanValue(t, ctx, { ref: params.member, storeId: query.storeId }, query.period)) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/analytics/plans',
    replica: true,
    scope: 'tenant',
    access: Access.admin,
    tags: ['Analytics'],
    summary: 'The statement of value summed per plan over local days [from, to]: members, fees and savings by kind',
    query: analyticsRangeQuery,
    responses: {
      200: z.object({
        from: z.string().describe('First local day'),
        to: z.string().describe('Last local day, inclusive'),
        data: z
          .array(
            z.object({
              planCode: z.string().describe('Plan code'),
              name: z.string().describe('Plan name'),
              members: z.number().int().describe('Members holding it during the range'),
              feeCents: z.number().int().describe('Fees of the range (monthly fee × days / 30 per member)'),
              savedCents: z.number().int().describe('Savings of those members in the range'),
              breakdown: breakdown.describe('Savings of those members per kind'),
            }),
          )
          .describe('Per plan'),
      }),
    },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: await tx((t) => planAnalytics(t, ctx, query)) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/analytics/benefits',
    replica: true,
    scope: 'tenant',
    access: Access.admin,
    tags: ['Analytics'],
    summary: 'Entitlement use over local days [from, to]: per benefit (uses, members, value given away, usage rate) and per store and channel',
    query: analyticsRangeQuery,
    responses: {
      200: z.object({
        from: z.string().describe('First local day'),
        to: z.string().describe('Last local day, inclusive'),
        benefits: z
          .array(
            z.object({
              benefitCode: z.string().describe('Benefit code'),
              name: z.string().describe('Benefit name'),
              kind: z.string().describe('Benefit kind'),
              entitledMembers: z.number().int().describe('Members entitled to it now'),
              members: z.number().int().describe('Members who used it in the range'),
              uses: z.number().int().describe('Uses in the range'),
              valueCents: z.number().int().describe('Value given away (sum of valueCents)'),
              usageRateBps: z.number().int().describe('members / entitledMembers in basis points'),
            }),
          )
          .describe('Per benefit'),
        stores: z
          .array(
            z.object({
              storeId: z.string().nullable().describe('Store (null: no store given)'),
              code: z.string().nullable().describe('Store code'),
              channel: z.string().nullable().describe('Store channel'),
              uses: z.number().int().describe('Uses'),
              valueCents: z.number().int().describe('Value given away'),
            }),
          )
          .describe('Per store'),
      }),
    },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: await tx((t) => benefitAnalytics(t, ctx, query)) }),
  });
}
