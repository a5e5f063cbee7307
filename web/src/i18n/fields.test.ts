import { describe, expect, it } from 'vitest';
import { buildRoutes, openApiDocument } from '@unionpoint/api';
import { fieldLabel, fieldWords, hasFieldWord, UNIT_WORDS } from './fields';

type Schema = { $ref?: string; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[] };

// The objects the audit log keeps as before/after (what the audited use cases record).
const AUDITED = ['Program', 'Tier', 'CouponTemplate', 'Reward', 'Plan', 'User', 'Task', 'Benefit', 'Webhook', 'ApiKey', 'Store', 'Campaign'];

function fieldNames(doc: { components?: { schemas?: Record<string, Schema> } }, roots: string[]): Set<string> {
  const schemas = doc.components?.schemas ?? {};
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (s: Schema | undefined) => {
    if (!s) return;
    if (s.$ref) {
      const name = s.$ref.split('/').pop()!;
      if (seen.has(name)) return;
      seen.add(name);
      return walk(schemas[name]);
    }
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      names.add(k);
      walk(v);
    }
    walk(s.items);
    for (const k of ['anyOf', 'oneOf', 'allOf'] as const) (s[k] ?? []).forEach(walk);
  };
  for (const r of roots) {
    expect(schemas[r], `component ${r}`).toBeDefined();
    walk({ $ref: `#/components/schemas/${r}` });
  }
  return names;
}

describe('field names in words', () => {
  it('splits names into words and drops unit words', () => {
    expect(fieldWords('minSpendCents')).toEqual(['min', 'spend', 'cents']);
    expect(fieldWords('trial_until')).toEqual(['trial', 'until']);
    expect(fieldLabel('en', 'minSpendCents')).toBe('Min spend');
    expect(fieldLabel('zh-CN', 'minSpendCents')).toBe('最低消费');
    expect(fieldLabel('zh-CN', 'pointsMultiplierBps')).toBe('积分倍数');
    expect(fieldLabel('en', 'pointsBalance')).toBe('Points balance');
    expect(fieldLabel('en', '0')).toBe('#1');
    expect(UNIT_WORDS.has('cents')).toBe(true);
  });

  it('has a zh-CN word for every field of the audited objects of the OpenAPI document', () => {
    const names = fieldNames(openApiDocument(buildRoutes()) as Parameters<typeof fieldNames>[0], AUDITED);
    expect(names.size).toBeGreaterThan(50);
    const missing = [...new Set([...names].flatMap(fieldWords))].filter((w) => !UNIT_WORDS.has(w) && !hasFieldWord('zh-CN', w)).sort();
    expect(missing, 'add these words to ZH in web/src/i18n/fields.ts').toEqual([]);
  });
});
