import { describe, expect, it } from 'vitest';
import { buildRoutes, openApiDocument } from '@unionpoint/api';
import { ENUM_AT, ENUM_LABELS, enumLabel, hasEnumLabel } from './enums';
import { enumValues } from '../lib/api-types';

type Schema = {
  $ref?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: Schema | boolean;
};
type Op = {
  parameters?: { name: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
};

/** Every string enum of the document, by where it occurs (the same notation as ENUM_AT). */
export function enumsOf(doc: { components?: { schemas?: Record<string, Schema> }; paths?: Record<string, Record<string, Op>> }) {
  const found = new Map<string, string[]>();
  const walk = (s: Schema | undefined, at: string) => {
    if (!s || typeof s !== 'object' || s.$ref) return;
    if (Array.isArray(s.enum) && s.enum.every((v) => typeof v === 'string')) found.set(at, s.enum as string[]);
    for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, `${at}.${k}`);
    walk(s.items, `${at}[]`);
    for (const k of ['anyOf', 'oneOf', 'allOf'] as const) (s[k] ?? []).forEach((x, i) => walk(x, `${at}|${i}`));
    if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${at}{}`);
  };
  for (const [name, s] of Object.entries(doc.components?.schemas ?? {})) walk(s, name);
  for (const [path, ops] of Object.entries(doc.paths ?? {}))
    for (const [method, op] of Object.entries(ops)) {
      const where = `${method.toUpperCase()} ${path}`;
      for (const p of op.parameters ?? []) walk(p.schema, `${where} ?${p.name}`);
      walk(op.requestBody?.content?.['application/json']?.schema, `${where} body`);
      for (const [status, r] of Object.entries(op.responses ?? {})) walk(r.content?.['application/json']?.schema, `${where} ${status}`);
    }
  return found;
}

describe('the enum dictionary against the OpenAPI document', () => {
  const found = enumsOf(openApiDocument(buildRoutes()) as Parameters<typeof enumsOf>[0]);

  it('finds the enums of the document (the walk sees named and inline ones)', () => {
    expect(found.get('LedgerKind')).toContain('earn_order');
    expect(found.get('Coupon.status')).toEqual(['available', 'used', 'expired', 'revoked']);
    expect(found.size).toBeGreaterThan(20);
  });

  it('places every enum of the document in a dictionary', () => {
    const unplaced = [...found.keys()].filter((at) => !(at in ENUM_AT));
    expect(unplaced, 'add these to ENUM_AT in web/src/i18n/enums.ts').toEqual([]);
  });

  it('lists no place the document no longer has', () => {
    const stale = Object.keys(ENUM_AT).filter((at) => !found.has(at));
    expect(stale).toEqual([]);
  });

  it('has a label for every value, in every language', () => {
    const missing: string[] = [];
    for (const [at, values] of found) {
      const name = ENUM_AT[at];
      if (!name) continue;
      for (const v of values) {
        if (!hasEnumLabel(name, v)) missing.push(`${at} → ${name}.${v}`);
        for (const [locale, labels] of Object.entries(ENUM_LABELS)) {
          const label = (labels[name] as Record<string, string>)[v];
          if (!label?.trim()) missing.push(`${locale}: ${name}.${v}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('covers the generated named enums the dashboard lists (enumValues)', () => {
    for (const [name, values] of Object.entries(enumValues)) {
      const dict = ENUM_AT[name];
      expect(dict, name).toBeDefined();
      for (const v of values) expect(hasEnumLabel(dict!, v), `${name}.${v}`).toBe(true);
    }
  });

  it('shows zh-CN labels in Chinese and an unknown value without underscores', () => {
    expect(enumLabel('zh-CN', 'LedgerKind', 'earn_order')).toBe('下单');
    expect(enumLabel('en', 'TierChangeReason', 'retention')).toBe('Retention period ended');
    expect(enumLabel('zh-CN', 'LedgerKind', 'brand_new_kind')).toBe('brand new kind');
    for (const [name, labels] of Object.entries(ENUM_LABELS['zh-CN']))
      for (const [v, label] of Object.entries(labels as Record<string, string>))
        expect(/[\u4e00-\u9fff]/.test(label), `zh-CN ${name}.${v}: ${label}`).toBe(true);
  });
});
