import { z, pageQuery } from '@unionpoint/core';
import { listAudit } from '@unionpoint/core/audit';
import { pageOf, type Routes, Access } from '../http/route.ts';

const auditEntrySchema = z
  .object({
    id: z.string().describe('Audit entry id'),
    actor: z
      .object({ type: z.string().describe('`api_key`, `user`, `platform` or `system`'), id: z.string().nullable().describe('The key or user id') })
      .describe('Who did it'),
    action: z.string().describe('What was done, e.g. `points.adjusted`, `tier.changed`'),
    target: z.object({ type: z.string().nullable().describe('Kind of thing changed'), id: z.string().nullable().describe('Its id') }).describe('What it was done to'),
    before: z.unknown().describe('State before (JSON), if any'),
    after: z.unknown().describe('State after (JSON), if any'),
    requestId: z.string().nullable().describe('The request id of the change'),
    createdAt: z.string().describe('When (RFC 3339)'),
  })
  .describe('One audit log entry (append-only)')
  .openapi('AuditEntry');

export function auditRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/audit',
    replica: true,
    scope: 'tenant',
    access: Access.admin,
    tags: ['Audit'],
    summary: 'Audit log, newest first',
    query: pageQuery,
    responses: { 200: pageOf(auditEntrySchema) },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: await tx((t) => listAudit(t, ctx, query)) }),
  });
}
