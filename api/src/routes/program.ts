import { getProgram, programPatchSchema, programSchema, updateProgram } from '@unionpoint/core/program';
import { Access, type Routes } from '../http/route.ts';

export function programRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/program',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Program'],
    summary: "The tenant's program settings",
    responses: { 200: programSchema },
    handler: async ({ ctx, tx }) => ({ status: 200, body: await tx((t) => getProgram(t, ctx)) }),
  });
  routes.add({
    method: 'patch',
    path: '/v1/program',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Program'],
    summary: 'Change part of the program; nested objects merge (audited)',
    body: programPatchSchema,
    responses: { 200: programSchema },
    handler: async ({ ctx, tx, body }) => {
      return { status: 200, body: await tx((t) => updateProgram(t, ctx, body)) };
    },
  });
}
