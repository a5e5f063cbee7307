import { z, pageQuery } from '@unionpoint/core';
import { listAudit } from '@unionpoint/core/audit';
import { pageOf, type Routes, Access } from '../http/route.ts';

const auditEntrySchema = z
  .object({
    id: z.string(),
    actor: z.object({ type: z.string(), id: z.string().nullable() }),
    action: z.string(),
    target: z.object({ type: z.string().nullable(), id: z.string().nullable() }),
    before: z.unknown(),
    after: z.unknown(),
    requestId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('AuditEntry');

export function auditRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/audit',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Audit'],
    summary: 'Audit log, newest first',
    query: pageQuery,
    responses: { 200: pageOf(auditEntrySchema) },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: await tx((t) => listAudit(t, ctx, query)) }),
  });
}
