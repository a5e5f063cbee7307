import { resolveMemberId } from '@unionpoint/core/identities';
import {
  archiveCouponTemplate,
  couponSchema,
  couponTemplateBody,
  couponTemplateParams,
  couponTemplatePatchBody,
  couponTemplateSchema,
  createCouponTemplate,
  grantCoupon,
  grantCouponBody,
  listCouponTemplates,
  listCouponTemplatesQuery,
  listCouponsQuery,
  listMemberCoupons,
  updateCouponTemplate,
} from '@unionpoint/core/coupons';
import { pageOf, type Routes, Access } from '../http/route.ts';
import { memberParams, storeQuery } from './members.ts';

export function couponRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/coupon-templates',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Coupons'],
    summary: 'Coupon templates, newest first; archived ones only with ?includeArchived=true',
    query: listCouponTemplatesQuery,
    responses: { 200: pageOf(couponTemplateSchema) },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: await tx((t) => listCouponTemplates(t, ctx, query)) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/coupon-templates',
    errors: ['conflict'],
    scope: 'tenant',
    access: Access.admin,
    tags: ['Coupons'],
    summary: 'Create a coupon template: amount off, percent off (bps) or free shipping; minimum spend; validity days; stock (audited)',
    body: couponTemplateBody,
    responses: { 201: couponTemplateSchema },
    handler: async ({ ctx, tx, body }) => ({ status: 201, body: await tx((t) => createCouponTemplate(t, ctx, body)) }),
  });
  routes.add({
    method: 'patch',
    path: '/v1/coupon-templates/:code',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Coupons'],
    summary: 'Change a coupon template (partial; the code is immutable; audited)',
    description:
      'Same rules as create for the merged template. `stock` is how many may still be issued from now on (null = unlimited). The terms (kind, amount, percent, minimum spend) are fixed once a coupon was issued: 409.',
    params: couponTemplateParams,
    body: couponTemplatePatchBody,
    responses: { 200: couponTemplateSchema },
    handler: async ({ ctx, tx, params, body }) => ({ status: 200, body: await tx((t) => updateCouponTemplate(t, ctx, params.code, body)) }),
  });
  routes.add({
    method: 'delete',
    path: '/v1/coupon-templates/:code',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Coupons'],
    summary: 'Archive a coupon template: no new coupons from it (422 archived); issued coupons keep working (audited)',
    params: couponTemplateParams,
    responses: { 200: couponTemplateSchema },
    handler: async ({ ctx, tx, params }) => ({ status: 200, body: await tx((t) => archiveCouponTemplate(t, ctx, params.code)) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/members/:member/coupons',
    replica: true,
    scope: 'tenant',
    access: Access.till,
    tags: ['Coupons'],
    summary: "The member's coupons, newest first; ?status=available|used|expired",
    params: memberParams,
    query: listCouponsQuery,
    responses: { 200: pageOf(couponSchema) },
    handler: async ({ ctx, tx, params, query }) => ({
      status: 200,
      body: await tx(async (t) => listMemberCoupons(t, ctx, await resolveMemberId(t, ctx, { ref: params.member, storeId: query.storeId }), query)),
    }),
  });
  routes.add({
    method: 'post',
    path: '/v1/members/:member/coupons',
    errors: ['out_of_stock', 'archived'],
    scope: 'tenant',
    access: Access.admin,
    roles: 'staff',
    tags: ['Coupons'],
    summary: 'Grant a coupon of a template to the member (manual grant, audited); 422 out_of_stock / archived; idempotent by an optional reference',
    description:
      'With `reference` (one grant per reference in the tenant), a retry for the same member and template returns 200 with the coupon the first grant issued and issues nothing; the reference with another member or template → 409 `idempotency_conflict`. Without it every call issues a coupon.',
    params: memberParams,
    query: storeQuery,
    body: grantCouponBody,
    responses: { 201: couponSchema, 200: couponSchema },
    handler: async ({ ctx, tx, params, query, body }) => {
      const r = await tx((t) => grantCoupon(t, ctx, { ref: params.member, storeId: query.storeId }, body));
      return { status: r.replayed ? 200 : 201, body: r.coupon };
    },
  });
}
