import { quoteBody, quoteCart, quoteSchema } from '@unionpoint/core/quotes';
import { Access, type Routes } from '../http/route.ts';

export function quoteRoutes(routes: Routes): void {
  routes.add({
    method: 'post',
    path: '/v1/quotes',
    replica: true,
    scope: 'tenant',
    access: Access.till,
    roles: 'read',
    tags: ['Quote'],
    summary: 'Price a cart with member benefits, coupons and points (docs/rules.md §8); writes nothing',
    description:
      'Member price, member day (decided by `at` in the tenant time zone), free shipping, coupons, points, in that fixed order, to the cent. Exclusive lines the member may not buy are refused line by line and left out of every total. Coupons that do not apply are listed with the reason and take nothing. A guest (no member) pays list prices.',
    body: quoteBody,
    responses: { 200: quoteSchema },
    handler: async ({ ctx, tx, body }) => ({ status: 200, body: await tx((t) => quoteCart(t, ctx, body), { readOnly: true }) }),
  });
}
