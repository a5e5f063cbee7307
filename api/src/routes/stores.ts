import { pageQuery } from '@unionpoint/core';
import { createStore, createStoreBody, listStores, storeSchema } from '@unionpoint/core/stores';
import { pageOf, type Routes, Access } from '../http/route.ts';

export function storeRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/stores',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Stores'],
    summary: "The tenant's stores",
    query: pageQuery,
    responses: { 200: pageOf(storeSchema) },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: await tx((t) => listStores(t, ctx, query)) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/stores',
    errors: ['conflict'],
    scope: 'tenant',
    access: Access.admin,
    tags: ['Stores'],
    summary: 'Add a store (code unique in the tenant)',
    body: createStoreBody,
    responses: { 201: storeSchema },
    handler: async ({ ctx, tx, body }) => ({ status: 201, body: await tx((t) => createStore(t, ctx, body)) }),
  });
}
