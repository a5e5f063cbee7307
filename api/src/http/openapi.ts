import express, { type Express } from 'express';
import { createRequire } from 'node:module';
import path from 'node:path';
import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { ERROR_DOCS, ERROR_STATUS, errorDocPath, type ErrorCode } from '@unionpoint/core';
import type { Routes } from './route.ts';
import { sendProblem } from './problem.ts';

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
  // One page per problem code: the `type` of every problem the API answers.
  app.get('/docs/errors', (_req, res) => {
    res.type('html').send(errorIndexHtml());
  });
  app.get('/docs/errors/:code', (req, res) => {
    const code = req.params.code as ErrorCode;
    if (!Object.hasOwn(ERROR_DOCS, code)) return sendProblem(res, 'not_found', `No error code ${JSON.stringify(String(req.params.code).slice(0, 64))}; the list is at /docs/errors`);
    res.type('html').send(errorPageHtml(code));
  });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** `code` spans in the docs' own text become <code> (the text is ours, escaped first). */
const inline = (s: string) => escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>');

const PAGE_STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1f2328}code{background:#f3f4f6;padding:0 .25rem;border-radius:3px}h1 code{font-size:1.4rem}table{border-collapse:collapse}td,th{padding:.25rem .75rem;border-bottom:1px solid #ddd;text-align:left}';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · Unionpoint API</title><style>${PAGE_STYLE}</style></head><body>${body}</body></html>`;
}

export function errorPageHtml(code: ErrorCode): string {
  const doc = ERROR_DOCS[code];
  return page(
    doc.title,
    `<p><a href="/docs/errors">All error codes</a> · <a href="/docs">API reference</a></p>
<h1><code>${code}</code> — ${escapeHtml(doc.title)}</h1>
<p>HTTP status <strong>${ERROR_STATUS[code]}</strong>, <code>application/problem+json</code> (RFC 9457).${doc.retryable ? ' Retryable: send the same request again (same <code>Idempotency-Key</code>) after <code>Retry-After</code>.' : ' Not retryable as is: change the request first.'}</p>
<h2>What it means</h2><p>${inline(doc.meaning)}</p>
<h2>How to fix it</h2><p>${inline(doc.fix)}</p>
<h2>Example</h2><pre><code>${escapeHtml(JSON.stringify({ type: errorDocPath(code), title: doc.title, status: ERROR_STATUS[code], code, detail: '…', requestId: '…' }, null, 2))}</code></pre>`,
  );
}

export function errorIndexHtml(): string {
  const rows = (Object.keys(ERROR_DOCS) as ErrorCode[])
    .map((c) => `<tr><td><a href="${errorDocPath(c)}"><code>${c}</code></a></td><td>${ERROR_STATUS[c]}</td><td>${escapeHtml(ERROR_DOCS[c].title)}</td></tr>`)
    .join('');
  return page('Error codes', `<p><a href="/docs">API reference</a></p><h1>Error codes</h1><p>Every error is <code>application/problem+json</code> with a stable <code>code</code>; its <code>type</code> is the code's page here.</p><table><tr><th>code</th><th>status</th><th>title</th></tr>${rows}</table>`);
}
