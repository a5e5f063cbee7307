import { z, pageQuery } from '@unionpoint/core';
import { createTenantBody, createdTenantSchema, tenantSchema, tenantWithCountsSchema, unsafeCreateTenant, unsafeListTenants, unsafeSetTenantStatus } from '@unionpoint/core/tenants';
import { pageOf, type Routes, Access } from '../http/route.ts';
import type { Principal } from '../http/auth.ts';
import { localCaches } from '../http/deps.ts';

const idParams = z.object({ id: z.string().min(1).max(64).describe('Tenant id `ten_…`') });
const platformActor = (p: Principal | undefined) =>
  p?.kind === 'platform' && p.via === 'session' ? { type: 'user' as const, id: p.actorId, role: 'platform_admin' as const } : { type: 'platform' as const, id: 'platform-key' };

export function platformRoutes(routes: Routes): void {
  routes.add({
    method: 'post',
    path: '/v1/platform/tenants',
    errors: ['conflict'],
    scope: 'platform',
    access: Access.platform,
    tags: ['Platform'],
    summary: 'Onboard a tenant: tenant, stores, owner login, first API key (shown once)',
    body: createTenantBody,
    responses: { 201: createdTenantSchema },
    handler: async ({ body, deps, principal, req }) => ({
      status: 201,
      body: await unsafeCreateTenant(deps.db.prisma, platformActor(principal), body, req.requestId),
    }),
  });
  routes.add({
    method: 'get',
    path: '/v1/platform/tenants',
    scope: 'platform',
    access: Access.platform,
    tags: ['Platform'],
    summary: 'List tenants with member counts',
    query: pageQuery,
    responses: { 200: pageOf(tenantWithCountsSchema) },
    handler: async ({ query, deps }) => ({ status: 200, body: await unsafeListTenants(deps.db.prisma, query) }),
  });
  for (const [action, status] of [
    ['suspend', 'suspended'],
    ['reactivate', 'active'],
  ] as const) {
    routes.add({
      method: 'post',
      path: `/v1/platform/tenants/:id/${action}`,
      scope: 'platform',
      access: Access.platform,
      tags: ['Platform'],
      summary: action === 'suspend' ? "Suspend a tenant: its keys and logins get 403" : 'Reactivate a suspended tenant',
      params: idParams,
      responses: { 200: tenantSchema },
      handler: async ({ params, deps, principal, req }) => ({
        status: 200,
        body: await unsafeSetTenantStatus(deps.db.prisma, platformActor(principal), params.id, status, req.requestId, localCaches(deps)),
      }),
    });
  }
}
