import express, { type Express } from 'express';
import { createRequire } from 'node:module';
import path from 'node:path';
import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { Routes } from './route.ts';

export function openApiDocument(routes: Routes): object {
  return new OpenApiGeneratorV31(routes.registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Unionpoint API',
      version: '1.0.0',
      description:
        'Multi-tenant loyalty and membership. Money in integer minor units (…Cents), rates in basis points (…Bps). Errors are RFC 9457 problem+json with a stable `code`.',
    },
    servers: [{ url: '/' }],
  });
}

const DOCS_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unionpoint API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;

/** Serves the OpenAPI document and the interactive docs (swagger-ui, shipped locally). */
export function mountOpenApi(app: Express, routes: Routes): void {
  let doc: object | null = null;
  app.get('/v1/openapi.json', (_req, res) => {
    doc ??= openApiDocument(routes);
    res.json(doc);
  });
  const require = createRequire(import.meta.url);
  const assets = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  app.use('/docs/assets', express.static(assets, { index: false, maxAge: '1d' }));
  app.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send("window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#ui' });");
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(DOCS_HTML);
  });
}
