import { getOwnTenant, tenantSchema } from '@unionpoint/core/tenants';
import { Access, type Routes } from '../http/route.ts';

export function tenantRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/tenant',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Program'],
    summary: "The caller's own tenant: name, slug and status (the dashboard's header)",
    responses: { 200: tenantSchema },
    handler: async ({ ctx, tx }) => ({ status: 200, body: await tx((t) => getOwnTenant(t, ctx)) }),
  });
}
