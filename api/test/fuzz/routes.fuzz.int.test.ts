// Schema-driven fuzzer over the route table: for every tenant and platform route, requests built from the
// route's own zod contracts (the definitions that also generate the OpenAPI) with one field, path
// parameter or query parameter replaced by a hostile value. Every answer must be a 4xx
// problem+json with a code, or a 2xx the route documents; never a 5xx. A 4xx must change nothing:
// a fingerprint of the tables is compared before and after it.
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import supertest from 'supertest';
import { z } from '@unionpoint/core';
import { buildRoutes, listen } from '../../src/index.ts';
import { startTestApi, type TestApi, type TestTenant } from '../harness.ts';

const SEED = 20_261_202;
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS_PER_ROUTE ?? 20);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  prefixItems?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: Json[];
  const?: Json;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  default?: Json;
  additionalProperties?: Schema | boolean;
  $ref?: string;
};

// Tenant routes with a tenant key, platform routes with the platform key.
const routes = buildRoutes().list.filter((r) => r.scope === 'tenant' || r.scope === 'platform' || r.scope === 'member');

// ---- baseline values from the contracts --------------------------------------------------------

let api: TestApi;
let server: Server;
let http: ReturnType<typeof supertest>;
let tenant: TestTenant;
let memberAuth: Record<string, string> = {};
const known: Record<string, string> = {};

function toSchema(t: z.ZodType | undefined): Schema | undefined {
  if (!t) return undefined;
  return z.toJSONSchema(t, { io: 'input', unrepresentable: 'any', reused: 'inline' }) as Schema;
}

const nonNull = (s: Schema): Schema => {
  const options = s.anyOf ?? s.oneOf;
  if (options) return nonNull(options.find((o) => o.type !== 'null') ?? options[0]!);
  if (s.allOf?.length) return nonNull(s.allOf[0]!);
  return s;
};

/** A plausible valid value for a field, by its JSON schema and name. */
function baseline(s: Schema, name = ''): Json {
  s = nonNull(s);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0]!;
  if (s.default !== undefined && s.type !== 'object') return s.default;
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, Json> = {};
      for (const k of s.required ?? []) out[k] = baseline(s.properties?.[k] ?? {}, k);
      return out;
    }
    case 'array':
      return s.minItems ? Array.from({ length: s.minItems }, () => baseline(s.items ?? s.prefixItems?.[0] ?? {}, name)) : [];
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0);
      return Math.min(Math.max(min, 1), s.maximum ?? Number.MAX_SAFE_INTEGER);
    }
    case 'boolean':
      return false;
    case 'string':
      return stringFor(s, name);
    default:
      return 'x';
  }
}

function stringFor(s: Schema, name: string): string {
  if (known[name]) return known[name]!;
  if (s.format === 'date-time' || /At$/.test(name) || name === 'at') return '2026-03-04T05:06:07Z';
  if (s.format === 'email') return 'fuzz@example.com';
  if (s.format === 'uri' || /url$/i.test(name)) return 'https://example.com/hook';
  if (/period|date|day/i.test(name)) return '2026-03-31';
  if (name === 'timezone') return 'Asia/Shanghai';
  if (name === 'currency') return 'CNY';
  const candidates = ['fuzz-1', 'abc', 'ABC', 'a1', 'fuzz'];
  const ok = (c: string) => (!s.pattern || new RegExp(s.pattern).test(c)) && c.length >= (s.minLength ?? 0) && c.length <= (s.maxLength ?? 1e9);
  return candidates.find(ok) ?? 'x'.repeat(Math.max(1, s.minLength ?? 1));
}

/** Every dotted path to a field of a JSON schema (objects and the first array element). */
function fieldPaths(s: Schema | undefined, prefix: (string | number)[] = [], depth = 0): (string | number)[][] {
  if (!s || depth > 5) return [];
  s = nonNull(s);
  const out: (string | number)[][] = [];
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    out.push([...prefix, k]);
    out.push(...fieldPaths(v, [...prefix, k], depth + 1));
  }
  if (s.items) {
    out.push([...prefix, 0]);
    out.push(...fieldPaths(s.items, [...prefix, 0], depth + 1));
  }
  return out;
}

function schemaAt(s: Schema, path: (string | number)[]): Schema {
  let cur = nonNull(s);
  for (const p of path) cur = nonNull((typeof p === 'number' ? cur.items : cur.properties?.[p]) ?? {});
  return cur;
}

function setAt(root: Json, path: (string | number)[], value: Json, schema: Schema): Json {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const here = nonNull(schema);
  if (typeof head === 'number') {
    const arr = Array.isArray(root) ? [...root] : [];
    const item = here.items ?? {};
    arr[head] = setAt(arr[head] ?? baseline(item), rest, value, item);
    return arr;
  }
  const obj = root && typeof root === 'object' && !Array.isArray(root) ? { ...root } : {};
  const child = here.properties?.[head!] ?? {};
  obj[head!] = setAt(obj[head!] ?? baseline(child, head), rest, value, child);
  return obj;
}

// ---- hostile values ----------------------------------------------------------------------------

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const deep = (n: number): Json => (n === 0 ? 1 : { a: deep(n - 1) });
const deepArray = (n: number): Json => (n === 0 ? [] : [deepArray(n - 1)]);

const hostileStrings = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\udc00\ud800',
  'x'.repeat(300),
  'x'.repeat(70_000),
  '',
  ' ',
  'NaN',
  'Infinity',
  '-1',
  '1e308',
  '2147483648',
  '0000-01-01T00:00:00Z',
  '0000-01-01',
  '-100000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
  '2026-02-30',
  '2026-03-04T05:06:07+25:00',
  'openid:\u0000',
  'openid:',
  '../../etc/passwd',
  "'; DROP TABLE members; --",
  '%00',
  '\u202e\ufeff',
];
const hostileNumbers: Json[] = [2_147_483_648, 2_147_483_647, 1_000_000_000, -1, -2_147_483_649, 0, 1e308, -1e308, 0.5, Number.MAX_SAFE_INTEGER + 2, 4_294_967_296];
const wrongTypes: Json[] = [null, true, {}, [], [null], { $gt: '' }, deep(200), deepArray(2000)];
const hostileCursors = [
  b64(['2026-01-01T00:00:00.000Z', '\u0000']),
  b64(['2026-01-01T00:00:00.000Z', '\ud800']),
  b64(['-100000-01-01T00:00:00.000Z', 'x']),
  b64(['+275760-09-13T00:00:00.000Z', 'x']),
  b64(['0000-01-01T00:00:00.000Z', 'x']),
  b64(['2026-01-01T00:00:00.000Z', 'x'.repeat(300)]),
  b64(['2026-01-01T00:00:00.000Z', 12]),
  b64([0, 'x']),
  b64(['2026-01-01', null]),
  b64({ at: 'x' }),
  b64('not json'),
  b64([]),
  '!!!',
  '\u0000',
];
// Raw (already percent-encoded) path segments and query values.
const hostileRaw = [
  '%00',
  'a%00b',
  'openid%3A%00',
  '%ED%A0%80', // a UTF-8-encoded lone surrogate
  '%C0%80', // overlong NUL
  '%FF',
  '%',
  '%E0%A4%A',
  '..',
  '%2F',
  'x'.repeat(300),
  'x'.repeat(20_000),
  '2147483648',
  '-1',
  '1e308',
  'NaN',
  '0000-01-01T00:00:00Z',
  '-100000-01-01',
];

const anyHostileJson: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.constantFrom(...hostileNumbers),
  fc.constantFrom(...wrongTypes),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `${s}\u0000`),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `${s}\ud83d`),
);
const anyHostileRaw: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...hostileRaw),
  fc.constantFrom(...hostileStrings, ...hostileCursors).map((s) => encodeLoose(s)),
);

/** percent-encodes what encodeURIComponent can; a lone surrogate becomes its raw UTF-8 (CESU) bytes. */
function encodeLoose(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) out += `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`.toUpperCase();
    else out += encodeURIComponent(ch);
  }
  return out;
}

// ---- cases -------------------------------------------------------------------------------------

interface Case {
  where: 'path' | 'query' | 'body' | 'whole-body' | 'extra-field';
  field: string;
  path: string;
  query: string;
  body: Json | undefined;
  rawBody?: string;
}

function caseArbitrary(route: (typeof routes)[number]): fc.Arbitrary<Case> {
  const paramNames = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  const querySchema = toSchema(route.query);
  const bodySchema = toSchema(route.body);
  const queryNames = Object.keys(nonNull(querySchema ?? {}).properties ?? {});
  const bodyPaths = fieldPaths(bodySchema);
  const baseParams = Object.fromEntries(paramNames.map((p) => [p, encodeURIComponent(paramFor(route.path, p))]));
  const baseBody = bodySchema ? baseline(bodySchema) : undefined;
  const build = (params: Record<string, string>, query: string, body: Json | undefined, where: Case['where'], field: string, rawBody?: string): Case => ({
    where,
    field,
    path: route.path.replace(/:([A-Za-z]+)/g, (_m, p: string) => params[p]!),
    query,
    body,
    ...(rawBody !== undefined ? { rawBody } : {}),
  });
  const options: fc.Arbitrary<Case>[] = [];
  if (paramNames.length) {
    options.push(
      fc
        .tuple(fc.constantFrom(...paramNames), anyHostileRaw)
        .map(([p, v]) => build({ ...baseParams, [p]: v }, '', baseBody, 'path', p)),
    );
  }
  if (queryNames.length) {
    options.push(
      fc.tuple(fc.constantFrom(...queryNames), fc.oneof(anyHostileRaw, fc.constantFrom(...hostileCursors.map(encodeLoose)))).map(([q, v]) =>
        build(baseParams, `?${q}=${v}`, baseBody, 'query', q),
      ),
      fc.constantFrom(...queryNames).map((q) => build(baseParams, `?${q}=a&${q}=b`, baseBody, 'query', `${q}[]`)),
    );
  }
  if (bodySchema) {
    if (bodyPaths.length) {
      options.push(
        fc.tuple(fc.constantFrom(...bodyPaths), anyHostileJson).map(([p, v]) => build(baseParams, '', setAt(baseBody ?? {}, p, v, bodySchema), 'body', p.join('.'))),
        // A hostile value only where the field's own type is kept: strings for strings, numbers for numbers.
        fc.tuple(fc.constantFrom(...bodyPaths), fc.nat()).map(([p, i]) => {
          const s = schemaAt(bodySchema, p);
          const t = Array.isArray(s.type) ? s.type[0] : s.type;
          const pool: Json[] = t === 'integer' || t === 'number' ? hostileNumbers : t === 'string' ? hostileStrings : wrongTypes;
          return build(baseParams, '', setAt(baseBody ?? {}, p, pool[i % pool.length]!, bodySchema), 'body', p.join('.'));
        }),
      );
    }
    options.push(
      fc.constantFrom(...wrongTypes, ...hostileStrings.slice(0, 4), 2_147_483_648).map((v) => build(baseParams, '', v, 'whole-body', '(body)')),
      fc.constantFrom('{"a":', '\u0000', '{"a":"\\ud800"}', '{"a":"\\u0000"}', `${'['.repeat(100_000)}${']'.repeat(100_000)}`).map((raw) =>
        build(baseParams, '', undefined, 'whole-body', '(raw)', raw),
      ),
      fc.constantFrom('zzz', '__proto__', 'constructor', '\u0000').map((k) => build(baseParams, '', { ...(baseBody as object), [k]: { polluted: true } }, 'extra-field', k)),
    );
  }
  if (!options.length) options.push(fc.constant(build(baseParams, '', undefined, 'path', '(none)')));
  return fc.oneof(...options);
}

function paramFor(path: string, p: string): string {
  if (p === 'member') return 'alice';
  if (p === 'code') {
    if (path.startsWith('/v1/tiers')) return known.tierCode!;
    if (path.startsWith('/v1/plans')) return known.planCode!;
    if (path.includes('/rewards') || path.startsWith('/v1/rewards')) return known.rewardCode!;
    return known.couponTemplateCode!;
  }
  if (p === 'externalId') return 'order-1';
  if (p === 'reference') return 'act-1';
  if (p === 'id' && path.startsWith('/v1/webhooks')) return known.webhookId ?? 'x';
  // Platform actions (suspend, …) run on a tenant of their own, not the one the tenant routes use.
  if (p === 'id' && path.startsWith('/v1/platform/tenants')) return known.spareTenantId!;
  return known[p] ?? 'x';
}

// ---- fingerprint -------------------------------------------------------------------------------

const FINGERPRINT_TABLES = [
  'members', 'identities', 'points_ledger', 'points_lots', 'points_lot_uses', 'growth_ledger', 'orders', 'order_refunds', 'coupons', 'coupon_templates',
  'rewards', 'plans', 'member_plans', 'tiers', 'tier_changes', 'programs', 'activities', 'check_ins', 'audit_log', 'outbox_events',
  'webhook_endpoints', 'webhook_deliveries', 'retention_runs', 'stores', 'benefit_usages', 'gift_grants', 'keep_tier_gifts', 'plan_events',
  'tenants', 'users', 'member_sessions', 'inbox_messages',
];

async function fingerprint(): Promise<string> {
  const sql = FINGERPRINT_TABLES.map((t) => `SELECT '${t}' AS t, count(*)::text AS n, coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') AS h FROM ${t} x`).join(' UNION ALL ');
  // A named (prepared) statement: planned once, not once per request.
  const r = await api.db.pool.query<{ t: string; n: string; h: string }>({ name: 'fuzz-fingerprint', text: sql });
  return r.rows.map((row) => `${row.t}:${row.n}:${row.h}`).join('|');
}

// ---- the run -----------------------------------------------------------------------------------

beforeAll(async () => {
  api = await startTestApi();
  server = listen(api.app, 0);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  http = supertest(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  tenant = await api.createTenant();
  known.spareTenantId = (await api.createTenant()).id;
  const auth = tenant.auth;
  known.storeId = tenant.stores[0]!.id;
  const ok = async (p: Promise<supertest.Response>) => {
    const res = await p;
    if (res.status >= 300) throw new Error(`seed failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await ok(http.post('/v1/members').set(auth).send({ unionId: 'alice', openId: 'o-alice', storeId: known.storeId }));
  await ok(http.post('/v1/members').set(auth).send({ unionId: 'bob', openId: 'o-bob', storeId: known.storeId }));
  known.unionId = 'alice';
  known.fromUnionId = 'bob';
  // /v1/me runs as carol, a member no tenant route of the run addresses (they all name alice).
  await ok(http.post('/v1/members').set(auth).send({ unionId: 'carol' }));
  memberAuth = { Authorization: `Bearer ${(await ok(http.post('/v1/members/carol/sessions').set(auth).send({ ttlSeconds: 86_400 }))).token}` };
  await ok(http.post('/v1/orders').set(auth).send({ externalId: 'order-1', member: 'alice', storeId: known.storeId, amountCents: 10_000 }));
  known.externalId = 'order-1';
  known.orderExternalId = 'order-1';
  const tiers = await ok(http.get('/v1/tiers').set(auth));
  known.tierCode = (tiers.data ?? tiers)[0].code;
  const tpl = await ok(http.post('/v1/coupon-templates').set(auth).send({ code: 'fuzz-tpl', name: 'Fuzz', kind: 'amount', amountCents: 100, validDays: 30 }));
  known.couponTemplateCode = tpl.code;
  known.templateCode = tpl.code;
  const reward = await ok(http.post('/v1/rewards').set(auth).send({ code: 'fuzz-reward', name: 'Fuzz reward', pointsCost: 1 }));
  known.rewardCode = reward.code;
  const plan = await ok(http.post('/v1/plans').set(auth).send({ code: 'fuzz-plan', name: 'Fuzz plan', priceCents: 100, period: 'month' }));
  known.planCode = plan.code;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await api?.close();
});

interface Finding {
  route: string;
  where: string;
  field: string;
  url: string;
  status: number;
  problem: string;
}

describe('schema-driven fuzzing of every keyed route', () => {
  it('answers hostile input with 4xx problem+json (and writes nothing) or a documented 2xx, never 5xx', async () => {
    const findings: Finding[] = [];
    let requests = 0;
    let fiveXx = 0;
    for (const [i, route] of routes.entries()) {
      const cases = fc.sample(caseArbitrary(route), { seed: SEED + i, numRuns: RUNS_PER_ROUTE });
      // The fingerprint after a 4xx is the one before the next request (nothing changed).
      let lastPrint: string | null = null;
      for (const c of cases) {
        const before = lastPrint ?? (await fingerprint());
        lastPrint = null;
        const url = `${c.path}${c.query}`;
        let req = (http as unknown as Record<string, (u: string) => supertest.Test>)[route.method]!(url).set(route.scope === 'platform' ? api.platform : route.scope === 'member' ? memberAuth : tenant.auth);
        if (c.rawBody !== undefined) req = req.set('Content-Type', 'application/json').send(c.rawBody);
        else if (c.body !== undefined && route.method !== 'get' && route.method !== 'delete') req = req.set('Content-Type', 'application/json').send(JSON.stringify(c.body));
        const res = await req.catch((err: Error) => ({ status: 0, headers: {} as Record<string, string>, body: {}, text: String(err) }) as unknown as supertest.Response);
        requests++;
        const name = `${route.method.toUpperCase()} ${route.path}`;
        const record = (problem: string) => findings.push({ route: name, where: c.where, field: c.field, url: url.slice(0, 120), status: res.status, problem });
        if (res.status >= 500 || res.status === 0) {
          fiveXx++;
          record(`${res.status}: ${(res.text ?? '').slice(0, 200)}`);
          continue;
        }
        if (res.status >= 400) {
          if (!/^application\/problem\+json/.test(String(res.headers['content-type'] ?? ''))) record(`content-type ${res.headers['content-type']}`);
          else if (typeof res.body?.code !== 'string' || res.body.status !== res.status) record(`problem body ${JSON.stringify(res.body).slice(0, 200)}`);
          const after = await fingerprint();
          lastPrint = after;
          if (after !== before) {
            const changed = after.split('|').filter((part, k) => part !== before.split('|')[k]).map((p) => p.split(':')[0]);
            record(`a ${res.status} wrote to ${changed.join(', ')}`);
          }
        } else if (!(res.status in route.responses)) {
          record(`undocumented ${res.status}`);
        }
      }
    }
    const byRoute = new Set(findings.filter((f) => f.status >= 500 || f.status === 0).map((f) => f.route));
    console.info(`fuzzed ${requests} requests over ${routes.length} routes: ${fiveXx} answers of 5xx on ${byRoute.size} routes, ${findings.length} findings`);
    if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, JSON.stringify(findings, null, 1));
    expect(findings.slice(0, 40)).toEqual([]);
    expect(requests).toBe(routes.length * RUNS_PER_ROUTE);
  }, 480_000);
});
