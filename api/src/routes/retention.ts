import { z, pageQuery } from '@unionpoint/core';
import {
  getRetentionRun,
  listRetentionRuns,
  previewRetention,
  queueRetentionRun,
  queuedRunSchema,
  retentionPreviewBody,
  retentionPreviewSchema,
  retentionRunBody,
  retentionRunSchema,
} from '@unionpoint/core/retention';
import { pageOf, type Routes, Access } from '../http/route.ts';

export function retentionRoutes(routes: Routes): void {
  routes.add({
    method: 'post',
    path: '/v1/retention/preview',
    scope: 'tenant',
    access: Access.admin,
    roles: 'read',
    tags: ['Retention'],
    summary: 'Who a retention run for the period would downgrade, per tier; writes nothing',
    body: retentionPreviewBody,
    responses: { 200: retentionPreviewSchema },
    handler: async ({ ctx, tx, body }) => ({ status: 200, body: await tx((t) => previewRetention(t, ctx, body ?? {})) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/retention/runs',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Retention'],
    summary: 'Queue the retention run for a period (idempotent per period; past periods allowed)',
    body: retentionRunBody,
    responses: { 202: queuedRunSchema },
    handler: async ({ ctx, tx, body }) => {
      const { runId } = await tx((t) => queueRetentionRun(t, ctx, body));
      return { status: 202, body: { runId } };
    },
  });
  routes.add({
    method: 'get',
    path: '/v1/retention/runs',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Retention'],
    summary: 'Retention runs, newest first',
    query: pageQuery,
    responses: { 200: pageOf(retentionRunSchema) },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: await tx((t) => listRetentionRuns(t, ctx, query)) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/retention/runs/:id',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Retention'],
    summary: 'One retention run',
    params: z.object({ id: z.string().min(1).max(64) }),
    responses: { 200: retentionRunSchema },
    handler: async ({ ctx, tx, params }) => ({ status: 200, body: await tx((t) => getRetentionRun(t, ctx, params.id)) }),
  });
}
