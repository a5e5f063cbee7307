import { describe, expect, it } from 'vitest';
import { EVENT_DATA_SCHEMAS, EVENT_SAMPLES, EVENT_TYPES } from '@unionpoint/core/webhooks';
import { ERROR_DOCS, ERROR_STATUS } from '@unionpoint/core';
import { buildRoutes } from '../routes/index.ts';
import { openApiDocument } from './openapi.ts';
import { describedGaps, type OpenApiDoc } from './openapi-coverage.ts';

const doc = openApiDocument(buildRoutes()) as OpenApiDoc & {
  webhooks?: Record<string, unknown>;
  paths: Record<string, Record<string, { 'x-unionpoint-errors'?: string[] }>>;
};

describe('the OpenAPI document explains itself', () => {
  it('describes every operation, parameter and property, and publishes a payload schema for every event type', () => {
    // On failure the message is the list of exact places to describe (operation + JSON path).
    const gaps = describedGaps(doc, EVENT_TYPES);
    expect(gaps, `Undescribed in the OpenAPI document (add .describe() to the zod contract):\n${gaps.join('\n')}`).toEqual([]);
  });

  it('finds what lacks a description (the check itself bites)', () => {
    const fixture: OpenApiDoc = {
      paths: {
        '/v1/things/{id}': {
          post: {
            summary: 'Make a thing',
            description: 'Makes it.',
            parameters: [{ name: 'id', in: 'path', schema: { type: 'string' } }],
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
            responses: { '200': { description: 'OK' } },
          },
        },
      },
      components: {
        schemas: {
          Thing: {
            type: 'object',
            description: 'A thing',
            properties: {
              name: { type: 'string', description: 'Its name' },
              size: { type: 'object', properties: { cm: { type: 'number' } } },
            },
          },
        },
      },
      webhooks: { 'order.completed': { post: { summary: 's', description: 'd', responses: { '200': { description: 'OK' } } } } },
    };
    expect(describedGaps(fixture, ['order.completed', 'member.created'])).toEqual([
      'POST /v1/things/{id} path parameter id: no description',
      '#/components/schemas/Thing/properties/size: no description',
      '#/components/schemas/Thing/properties/size/properties/cm: no description',
      'webhooks order.completed: no payload schema',
      'webhooks member.created: no entry',
    ]);
  });

  it('lists the problem codes each operation can answer, every one documented', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const codes = op['x-unionpoint-errors'];
        expect(codes, `${method} ${path}`).toBeDefined();
        for (const c of codes!) expect(ERROR_DOCS[c as keyof typeof ERROR_DOCS], `${method} ${path}: ${c}`).toBeDefined();
      }
    }
    expect(doc.paths['/v1/orders/{externalId}/refunds']!.post!['x-unionpoint-errors']).toContain('refund_exceeds_order');
    expect(Object.keys(ERROR_DOCS).sort()).toEqual(Object.keys(ERROR_STATUS).sort());
  });

  it('names every operation once (the SDK’s method names)', () => {
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => (op as { operationId?: string }).operationId));
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives each event type a sample that its schema accepts', () => {
    for (const type of EVENT_TYPES) expect(EVENT_DATA_SCHEMAS[type].safeParse(EVENT_SAMPLES[type]).success, type).toBe(true);
    expect(Object.keys(doc.webhooks ?? {}).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('gives realistic examples: a 4-line cart in cents', () => {
    const quote = (doc.components?.schemas?.QuoteRequest ?? {}) as { example?: { items: { priceCents: number }[] } };
    expect(quote.example?.items).toHaveLength(4);
    for (const item of quote.example!.items) expect(item.priceCents).toBeLessThan(100_000);
  });
});
