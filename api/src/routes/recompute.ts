import {
  getRecompute,
  recomputeParams,
  recomputeProposalSchema,
  recomputeQueuedSchema,
  recomputeSchema,
  requestRecomputeApply,
  requestRecomputePreview,
} from '@unionpoint/core/recompute';
import { type Routes, Access } from '../http/route.ts';

export function recomputeRoutes(routes: Routes): void {
  routes.add({
    method: 'post',
    path: '/v1/recompute/preview',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Recompute'],
    summary: 'Queue a preview: every member’s history replayed under a proposed model, ladder or growth rules; nothing else is written',
    body: recomputeProposalSchema,
    responses: { 202: recomputeQueuedSchema },
    handler: async ({ ctx, tx, body }) => ({ status: 202, body: await tx((t) => requestRecomputePreview(t, ctx, body ?? {})) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/recompute/:id',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Recompute'],
    summary: 'A recompute preview: status, tier moves by from/to, growth delta, a sample; and its application',
    params: recomputeParams,
    responses: { 200: recomputeSchema },
    handler: async ({ ctx, tx, params }) => ({ status: 200, body: await tx((t) => getRecompute(t, ctx, params.id)) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/recompute/:id/apply',
    errors: ['stale_preview', 'conflict'],
    scope: 'tenant',
    access: Access.admin,
    tags: ['Recompute'],
    summary: 'Apply a ready preview: save the proposed settings and move every member to the replayed tier and growth (audited; may downgrade)',
    params: recomputeParams,
    responses: { 202: recomputeQueuedSchema },
    handler: async ({ ctx, tx, params }) => ({ status: 202, body: await tx((t) => requestRecomputeApply(t, ctx, params.id)) }),
  });
}
