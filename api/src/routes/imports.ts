import { z, pageQuery } from '@unionpoint/core';
import {
  createImport,
  createImportBody,
  getImport,
  importCreatedSchema,
  importListItemSchema,
  importSchema,
  importUploadedSchema,
  listImports,
  receiveImportData,
} from '@unionpoint/core/imports';
import { pageOf, type Routes, Access } from '../http/route.ts';

const idParam = z.object({ id: z.string().min(1).max(64).describe('Import id `imp_…`') });

export function importRoutes(routes: Routes): void {
  routes.add({
    method: 'post',
    path: '/v1/imports',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Imports'],
    summary: 'Start a history import (members, orders with refunds, or opening point balances)',
    description:
      'Creates an import awaiting its data; upload the NDJSON with PUT /v1/imports/{id}/data. Formats, keys and event time: docs/imports.md. Records are idempotent by their key, so importing a file twice imports nothing more.',
    body: createImportBody,
    responses: { 201: importCreatedSchema },
    handler: async ({ ctx, tx, body }) => ({ status: 201, body: await tx((t) => createImport(t, ctx, body)) }),
  });
  routes.add({
    method: 'put',
    path: '/v1/imports/:id/data',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Imports'],
    summary: 'Upload an import’s data: NDJSON, one record a line, up to 256 MiB (streamed)',
    description:
      'The body is read as it arrives and staged line by line: a line that is not valid JSON or misses a field is reported with its number and skipped, the rest is applied by the worker in event time (GET /v1/imports/{id} shows the progress). A retry after a broken upload starts the file over; once an upload is complete the import takes no other (409).',
    stream: {
      contentTypes: ['application/x-ndjson', 'application/jsonl'],
      schema: z
        .string()
        .describe('One JSON record a line (members, orders or points_balances, as the import’s kind); blank lines are ignored')
        .openapi({ format: 'binary' }),
    },
    params: idParam,
    errors: ['conflict', 'payload_too_large', 'unsupported_media_type'],
    responses: { 202: importUploadedSchema },
    handler: async ({ ctx, deps, params, req }) => ({ status: 202, body: await receiveImportData(deps.db, ctx, params.id, req) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/imports',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Imports'],
    summary: 'History imports, newest first',
    query: pageQuery,
    responses: { 200: pageOf(importListItemSchema) },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: await tx((t) => listImports(t, ctx, query)) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/imports/:id',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Imports'],
    summary: 'One import: its progress and the first 100 bad lines',
    params: idParam,
    responses: { 200: importSchema },
    handler: async ({ ctx, tx, params }) => ({ status: 200, body: await tx((t) => getImport(t, ctx, params.id)) }),
  });
}
