import { auditEntrySchema, auditQuery, listAudit } from '@unionpoint/core/audit';
import { resolveMemberId } from '@unionpoint/core/identities';
import { pageOf, type Routes, Access } from '../http/route.ts';

export function auditRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/audit',
    replica: true,
    scope: 'tenant',
    access: Access.admin,
    tags: ['Audit'],
    summary: 'Audit log, newest first, filtered by actor, action or kind, member and time range',
    query: auditQuery,
    responses: { 200: pageOf(auditEntrySchema) },
    handler: async ({ ctx, tx, query }) => ({
      status: 200,
      body: await tx(async (t) => {
        const { member, ...filters } = query;
        // A member is named as everywhere else (unionId, `openid:`, a merged unionId) and is
        // looked up once; the log is then filtered on its id.
        const memberId = member ? await resolveMemberId(t, ctx, { ref: member }) : undefined;
        return listAudit(t, ctx, { ...filters, memberId });
      }),
    }),
  });
}
