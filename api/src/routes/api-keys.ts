import { z, pageQuery } from '@unionpoint/core';
import { apiKeySchema, createApiKey, createApiKeyBody, createdApiKeySchema, listApiKeys, revokeApiKey } from '@unionpoint/core/auth';
import { pageOf, type Routes, Access } from '../http/route.ts';

export function apiKeyRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/api-keys',
    scope: 'tenant',
    access: Access.admin,
    tags: ['API keys'],
    summary: 'API keys (visible prefix only)',
    query: pageQuery,
    responses: { 200: pageOf(apiKeySchema) },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: await tx((t) => listApiKeys(t, ctx, query)) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/api-keys',
    scope: 'tenant',
    access: Access.admin,
    tags: ['API keys'],
    summary: 'Create a key, tenant-wide or bound to one store; the key is shown once',
    body: createApiKeyBody,
    responses: { 201: createdApiKeySchema },
    handler: async ({ ctx, tx, body }) => ({ status: 201, body: await tx((t) => createApiKey(t, ctx, body)) }),
  });
  routes.add({
    method: 'delete',
    path: '/v1/api-keys/:id',
    scope: 'tenant',
    access: Access.admin,
    tags: ['API keys'],
    summary: 'Revoke a key at once',
    params: z.object({ id: z.string().min(1).max(64).describe('API key id `key_…`') }),
    responses: { 200: apiKeySchema },
    handler: async ({ ctx, tx, params }) => ({ status: 200, body: await tx((t) => revokeApiKey(t, ctx, params.id)) }),
  });
}
