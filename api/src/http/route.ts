import type { Request, RequestHandler, Response } from 'express';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import {
  z,
  AppError,
  CLEAN_TEXT_MESSAGE,
  ERROR_DOCS,
  ERROR_STATUS,
  attachLocalCaches,
  errorDocPath,
  markReplicaRead,
  isCleanText,
  type ErrorCode,
  type FieldError,
  type TenantContext,
} from '@unionpoint/core';
import { inSpan, tracingEnabled, withTenant, type Tx, type WithTenantOptions } from '@unionpoint/db';
import { zodToFieldErrors } from './problem.ts';
import { sendJson } from './json-response.ts';
import { localCaches, type ApiDeps } from './deps.ts';
import type { Principal } from './auth.ts';
import { idempotentRequest, referenceRequest, runIdempotent } from './idempotency.ts';
import { operationIdFor } from './operation-ids.ts';
import { isStoreCodeRef, storeIdForCode } from '@unionpoint/core/stores';

/** Replaces a `code:<store code>` storeId of the body or query by the store's id. */
async function resolveStoreCodes(deps: ApiDeps, ctx: TenantContext, ...holders: unknown[]): Promise<void> {
  const refs = holders.filter(
    (h): h is { storeId: string } => !!h && typeof h === 'object' && isStoreCodeRef((h as { storeId?: unknown }).storeId),
  );
  if (refs.length === 0) return;
  await withTenant(deps.db.prisma, ctx.tenantId, async (t) => {
    for (const h of refs) h.storeId = await storeIdForCode(t, ctx, h.storeId);
  });
}

export type Scope = 'tenant' | 'platform' | 'public' | 'session' | 'member';

/** Dashboard roles of a tenant (API.md "Staff accounts"). */
export type Role = 'owner' | 'admin' | 'staff' | 'viewer';
export const DASHBOARD_ROLES = ['owner', 'admin', 'staff', 'viewer'] as const satisfies readonly Role[];

/**
 * Who calls: an API key of the tenant (`tenant_key`, tenant-wide; `store_key`, bound to one
 * store: a till), a dashboard user by role (`owner`, `admin`, `staff`, `viewer`), the platform
 * (`platform_key`, `platform_admin` sessions), a member session (`member_token`, `upm_…`: only
 * on /v1/me), or `anyone` (public and session routes).
 */
export type Caller = 'tenant_key' | 'store_key' | Role | 'platform_key' | 'platform_admin' | 'member_token' | 'anyone';
export const TENANT_CALLERS = ['tenant_key', 'store_key', ...DASHBOARD_ROLES] as const satisfies readonly Caller[];
export const PLATFORM_CALLERS = ['platform_key', 'platform_admin'] as const satisfies readonly Caller[];
export const MEMBER_CALLERS = ['member_token'] as const satisfies readonly Caller[];

/**
 * An entry of a route's `access`: a caller, or `dashboard` — the tenant's dashboard users, as
 * many roles as the route's role class admits (see `roleClassOf`).
 */
export type AccessEntry = Caller | 'dashboard';

/**
 * Which dashboard roles a route admits (API.md "Who may do what"): `read` every role (viewer
 * and up), `staff` owner, admin and staff, `admin` owner and admin, `owner` owners only.
 */
export type RoleClass = 'read' | 'staff' | 'admin' | 'owner';
export const ROLE_CLASSES: Record<RoleClass, readonly Role[]> = {
  read: ['owner', 'admin', 'staff', 'viewer'],
  staff: ['owner', 'admin', 'staff'],
  admin: ['owner', 'admin'],
  owner: ['owner'],
};

/**
 * The access rules a route chooses from (API.md, "Who may do what"). A store-bound key may
 * enrol and look up members, add identities, report orders, refunds, activities and check-ins
 * for its store, quote, redeem, exchange rewards and open member sessions (`till`); everything else of a tenant is
 * for tenant-wide keys and dashboard users (`admin`). Which dashboard roles a route admits is
 * derived from the route, not listed here: reads (GET) are for every role, writes for owners
 * and admins, unless the route sets `roles` (`'staff'` for what store staff do: enrol, add
 * identities, points adjust, coupon grant, entitlement use; `'read'` for a POST that writes
 * nothing, such as a quote; `'owner'` for users).
 */
export const Access = {
  till: ['tenant_key', 'store_key', 'dashboard'],
  admin: ['tenant_key', 'dashboard'],
  /** Dashboard users only (no API key), by role class: staff accounts. */
  dashboard: ['dashboard'],
  platform: ['platform_key', 'platform_admin'],
  /** /v1/me: a member session, for its own member only. */
  member: ['member_token'],
  anyone: ['anyone'],
} as const satisfies Record<string, readonly AccessEntry[]>;

/** The role class of a route: its own `roles`, else reads for GET/HEAD and admin for writes. */
export function roleClassOf(def: Pick<RouteDef<z.ZodType, z.ZodType, z.ZodType>, 'method' | 'roles'>): RoleClass {
  return def.roles ?? (def.method === 'get' ? 'read' : 'admin');
}

/** The callers a route admits: its `access`, with `dashboard` expanded to the roles of its class. */
export function callersOf(def: Pick<RouteDef<z.ZodType, z.ZodType, z.ZodType>, 'access' | 'method' | 'roles'>): Caller[] {
  const out: Caller[] = [];
  for (const a of def.access) {
    if (a === 'dashboard') out.push(...ROLE_CLASSES[roleClassOf(def)]);
    else out.push(a);
  }
  return [...new Set(out)];
}

const CALLER_NAMES: Record<Caller, string> = {
  tenant_key: 'tenant-wide API keys',
  store_key: 'store-bound API keys',
  owner: 'dashboard owners',
  admin: 'dashboard admins',
  staff: 'dashboard staff',
  viewer: 'dashboard viewers',
  platform_key: 'the platform key',
  platform_admin: 'platform staff sessions',
  member_token: 'member sessions (upm_ tokens)',
  anyone: 'anyone',
};

/** The sentence each route's OpenAPI description ends with. */
export function accessSentence(scope: Scope, access: readonly Caller[]): string {
  if (access.includes('anyone')) return 'Access: anyone (no key needed).';
  const all: readonly Caller[] = scope === 'platform' ? PLATFORM_CALLERS : scope === 'member' ? MEMBER_CALLERS : TENANT_CALLERS;
  const refused = all.filter((c) => !access.includes(c));
  const allowed = access.map((c) => CALLER_NAMES[c]).join(', ');
  const limited = access.includes('staff') ? ' Staff limited to some stores act only for those stores.' : '';
  return `Access: ${allowed}${refused.length ? `; ${refused.map((c) => CALLER_NAMES[c]).join(', ')} get 403 \`forbidden\`` : ''}.${limited}`;
}

const isRole = (r: string): r is Role => (DASHBOARD_ROLES as readonly string[]).includes(r);

/** The caller kind of an authenticated request. */
export function callerOf(principal: Principal | undefined): Caller | null {
  if (!principal) return null;
  if (principal.kind === 'platform') return principal.via === 'session' ? 'platform_admin' : 'platform_key';
  if (principal.kind === 'member') return 'member_token';
  const actor = principal.ctx.actor;
  if (principal.via === 'session') return actor.type === 'user' && isRole(actor.role) ? actor.role : null;
  return principal.ctx.boundStoreId ? 'store_key' : 'tenant_key';
}

/** Refuses a caller the route does not admit (403), before anything is validated or run. */
export function checkAccess(
  def: Pick<RouteDef<z.ZodType, z.ZodType, z.ZodType>, 'access' | 'scope' | 'method' | 'roles'>,
  principal: Principal | undefined,
): void {
  if (def.access.includes('anyone')) return;
  const callers = callersOf(def);
  const caller = callerOf(principal);
  if (!caller || !callers.includes(caller)) {
    throw new AppError(
      'forbidden',
      `Not allowed for ${caller ? CALLER_NAMES[caller] : 'this caller'}. ${accessSentence(def.scope, callers)}`,
    );
  }
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface HandlerInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  req: Request;
  res: Response;
  deps: ApiDeps;
  /** Set on tenant routes. */
  ctx: TenantContext;
  principal: Principal | undefined;
  /** Runs fn in one transaction scoped to the request's tenant (RLS applies). */
  tx<T>(fn: (tx: Tx) => Promise<T>, options?: WithTenantOptions): Promise<T>;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** A body sent as it is instead of JSON (an export such as text/csv; set its Content-Type in `headers`). */
  text?: string;
  headers?: Record<string, string>;
}

export interface RouteDef<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: Method;
  path: string;
  scope: Scope;
  /**
   * Who may call it (required: a new route must choose). Checked in routeHandler before the
   * request is validated; published as `x-unionpoint-access` and in the description.
   */
  access: readonly AccessEntry[];
  /**
   * Which dashboard roles `dashboard` in `access` stands for (see `roleClassOf`): absent =
   * every role for GET, owner and admin for writes.
   */
  roles?: RoleClass;
  summary: string;
  /** The method name of generated clients; default from operation-ids.ts or the method and path. */
  operationId?: string;
  tags: string[];
  description?: string;
  body?: B;
  /**
   * The body is a raw stream of this media type (NDJSON uploads), read by the handler from
   * `req`, never parsed or held whole: another Content-Type is 415. Such a route takes no
   * Idempotency-Key (its use case is idempotent by itself).
   */
  stream?: { contentTypes: readonly string[]; schema: z.ZodType };
  query?: Q;
  params?: P;
  /** Status → response schema (null for no body). The first 2xx is the documented success. */
  responses: Record<number, z.ZodType | null>;
  /** The success may instead be text/csv (`?format=csv`): what its rows are, for the document. */
  csv?: string;
  /**
   * The body's business reference that makes the write idempotent without an Idempotency-Key
   * (the same reference replays the first reply; another body with it is 409).
   */
  referenceKey?: (body: z.infer<B>) => string | undefined;
  /**
   * The business problem codes this operation may answer besides the ones every route of its
   * scope can (validation, auth, access, rate limit, availability): documented per status.
   */
  errors?: readonly ErrorCode[];
  /**
   * The reply holds a secret shown once (a member token): it is never stored, so an
   * Idempotency-Key is not honoured (a retry opens another session, which is harmless).
   */
  secretReply?: true;
  /**
   * The route only reads and a little staleness is acceptable: with DATABASE_REPLICA_URL set its
   * `tx()` runs read-only on the streaming replica, unless the caller wrote within the lag bound
   * or the replica is behind or down (then the primary). Only for GET routes and POSTs of role
   * class `read` that write nothing (the quote); a request with an Idempotency-Key stays on the
   * primary (its claim is a write). See docs/SCALING.md, "Read replicas".
   */
  replica?: true;
  handler: (input: HandlerInput<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<Reply>;
}

export interface MountedRoute {
  def: RouteDef<z.ZodType, z.ZodType, z.ZodType>;
  handler: RequestHandler;
}

export const problemSchema = z
  .object({
    type: z.string().describe('URL of the page that explains the code: `/docs/errors/<code>` on the API’s own origin'),
    title: z.string().describe('Short human title of the code, in English'),
    status: z.number().int().describe('The HTTP status, repeated'),
    code: z
      .enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]])
      .describe('Stable machine code: switch on this, never on `title` or `detail`')
      .openapi('ErrorCode'),
    detail: z.string().describe('What went wrong in this request and, where there is one, what to do'),
    errors: z
      .array(
        z.object({
          path: z.string().describe('The field, dot-separated from the body root (`items.0.priceCents`) or prefixed `query.` / `path.`'),
          message: z.string().describe('Why the field was refused'),
        }),
      )
      .optional()
      .describe('Each refused field (validation_failed only)'),
    requestId: z.string().optional().describe('The request id (also the `X-Request-Id` header): quote it when reporting a problem'),
  })
  .describe('An RFC 9457 problem: every error the API answers')
  .openapi('Problem');

const SUCCESS_TEXT: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '204': 'No content' };

/** The problem codes an operation can answer: those of every route of its kind, and its own. */
export function operationErrors(
  def: Pick<RouteDef<z.ZodType, z.ZodType, z.ZodType>, 'scope' | 'method' | 'body' | 'errors' | 'path' | 'query'>,
): ErrorCode[] {
  const out = new Set<ErrorCode>(['validation_failed']);
  if (def.body) out.add('malformed_json');
  if (def.scope === 'tenant' || def.scope === 'platform') {
    out.add('unauthenticated').add('forbidden').add('rate_limited');
    if (def.method !== 'get') out.add('csrf_failed');
  }
  if (def.scope === 'tenant') {
    out.add('tenant_suspended');
    if (def.path.includes(':') || def.body || def.query) out.add('not_found');
    if (def.method === 'post') out.add('idempotency_conflict');
    if (def.method !== 'get') out.add('limit_exceeded');
  }
  for (const c of def.errors ?? []) out.add(c);
  out.add('unavailable').add('internal');
  return [...out];
}

export const pageOf = <T extends z.ZodType>(item: T) =>
  z
    .object({
      data: z.array(item).describe('This page’s items, newest first unless the operation says otherwise'),
      nextCursor: z.string().nullable().describe('Pass as `?cursor=` for the next page; null on the last page'),
    })
    .describe('One page of a list');

/** Collects routes: each one is mounted on Express and documented in OpenAPI from the same zod schemas. */
export class Routes {
  readonly registry = new OpenAPIRegistry();
  readonly list: RouteDef<z.ZodType, z.ZodType, z.ZodType>[] = [];

  constructor() {
    this.registry.registerComponent('securitySchemes', 'apiKey', {
      type: 'http',
      scheme: 'bearer',
      description: 'Tenant key `up_…` or the platform key',
    });
    this.registry.registerComponent('securitySchemes', 'memberToken', {
      type: 'http',
      scheme: 'bearer',
      description: 'Member session token `upm_…` from POST /v1/members/{member}/sessions; accepted only on /v1/me',
    });
    this.registry.register('Problem', problemSchema);
  }

  add<B extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown, P extends z.ZodType = z.ZodUnknown>(
    def: RouteDef<B, Q, P>,
  ): void {
    const fits: readonly AccessEntry[] =
      def.scope === 'tenant'
        ? [...TENANT_CALLERS, 'dashboard']
        : def.scope === 'platform'
          ? PLATFORM_CALLERS
          : def.scope === 'member'
            ? MEMBER_CALLERS
            : ['anyone'];
    if (def.access.length === 0 || def.access.some((c) => !fits.includes(c))) {
      throw new Error(`${def.method.toUpperCase()} ${def.path}: access ${JSON.stringify(def.access)} does not fit scope ${def.scope}`);
    }
    if (
      def.replica &&
      (!(def.method === 'get' || def.roles === 'read') || def.referenceKey || (def.scope !== 'tenant' && def.scope !== 'member'))
    ) {
      throw new Error(
        `${def.method.toUpperCase()} ${def.path}: only tenant or member reads (GET, or a POST of role class read) may run on the replica`,
      );
    }
    this.list.push(def as unknown as RouteDef<z.ZodType, z.ZodType, z.ZodType>);
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(def.responses)) {
      const text = SUCCESS_TEXT[status] ?? `${status}`;
      responses[status] = schema ? { description: text, content: { 'application/json': { schema } } } : { description: text };
      if (def.csv && schema && status.startsWith('2')) {
        (responses[status] as { content: Record<string, unknown> }).content['text/csv'] = { schema: z.string().describe(def.csv) };
      }
    }
    const errors = operationErrors(def);
    const byStatus = new Map<number, ErrorCode[]>();
    for (const c of errors) byStatus.set(ERROR_STATUS[c], [...(byStatus.get(ERROR_STATUS[c]) ?? []), c]);
    for (const [status, codes] of [...byStatus].sort((a, b) => a[0] - b[0])) {
      responses[String(status)] ??= {
        description: codes.map((c) => `\`${c}\` (${ERROR_DOCS[c].title}, ${errorDocPath(c)})`).join('; '),
        content: { 'application/problem+json': { schema: problemSchema } },
      };
    }
    this.registry.registerPath({
      method: def.method,
      path: def.path.replace(/:([A-Za-z]+)/g, '{$1}'),
      operationId: operationIdFor(def.method, def.path, def.operationId),
      summary: def.summary,
      description: [def.description, accessSentence(def.scope, callersOf(def))].filter(Boolean).join('\n\n'),
      'x-unionpoint-access': callersOf(def),
      'x-unionpoint-errors': errors,
      tags: def.tags,
      ...(def.scope === 'tenant' || def.scope === 'platform'
        ? { security: [{ apiKey: [] }] }
        : def.scope === 'member'
          ? { security: [{ memberToken: [] }] }
          : {}),
      request: {
        ...(def.body ? { body: { content: { 'application/json': { schema: def.body } }, required: true } } : {}),
        ...(def.stream
          ? {
              body: {
                content: Object.fromEntries(def.stream.contentTypes.map((t) => [t, { schema: def.stream!.schema }])),
                required: true,
              },
            }
          : {}),
        ...(def.query ? { query: def.query as unknown as z.ZodObject } : {}),
        ...(def.params ? { params: def.params as unknown as z.ZodObject } : {}),
      },
      responses: responses as never,
    });
  }
}

/**
 * Every string that comes in (values and keys, at any depth) must be clean text: a NUL or an
 * unpaired surrogate would reach Postgres and fail there. Checked here once for every route,
 * whatever its contract says, before the contract runs.
 */
function uncleanText(value: unknown, path: string[], out: FieldError[], depth = 0): void {
  if (out.length >= 20 || depth > 64) return;
  if (typeof value === 'string') {
    if (!isCleanText(value)) out.push({ path: path.join('.'), message: CLEAN_TEXT_MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => uncleanText(v, [...path, String(i)], out, depth + 1));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!isCleanText(k)) out.push({ path: [...path, '(key)'].join('.'), message: CLEAN_TEXT_MESSAGE });
      else uncleanText(v, [...path, k], out, depth + 1);
    }
  }
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> {
  const unclean: FieldError[] = [];
  uncleanText(value, where === 'body' ? [] : [where], unclean);
  if (unclean.length)
    throw new AppError('validation_failed', `The ${where} did not validate`, {
      errors: unclean.map((e) => ({ ...e, path: e.path || where })),
    });
  if (!schema) return value as z.infer<T>;
  const r = schema.safeParse(value);
  if (!r.success)
    throw new AppError('validation_failed', `The ${where} did not validate`, {
      errors: zodToFieldErrors(r.error, where === 'body' ? undefined : where),
    });
  return r.data;
}

/**
 * Builds the Express handler for one route definition: validate, run, reply. A tenant POST
 * with an Idempotency-Key runs the whole handler in one tenant transaction that starts with the
 * key's claim and stores the reply at COMMIT (see idempotency.ts): every `tx()` of the handler
 * is that transaction.
 */
export function routeHandler(def: RouteDef<z.ZodType, z.ZodType, z.ZodType>, deps: ApiDeps): RequestHandler {
  const caches = localCaches(deps);
  const useCase = operationIdFor(def.method, def.path, def.operationId);
  return (req, res) =>
    tracingEnabled()
      ? inSpan(useCase, { 'unionpoint.operation': useCase, 'http.route': def.path }, () => handle(req, res))
      : handle(req, res);
  async function handle(req: Request, res: Response): Promise<void> {
    // Who may call comes first: a refused caller gets 403 whatever it sent.
    checkAccess(def, req.principal);
    if (def.stream) {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!def.stream.contentTypes.includes(type)) {
        throw new AppError(
          'unsupported_media_type',
          `Send the body as ${def.stream.contentTypes.join(' or ')} (one JSON record a line), not ${type || 'no Content-Type'}`,
        );
      }
    }
    const keyed = (def.scope === 'tenant' || def.scope === 'member') && !def.secretReply && !def.stream ? idempotentRequest(req) : null;
    const body = def.body ? parse(def.body, req.body ?? undefined, 'body') : undefined;
    const idempotent = keyed ?? (def.referenceKey ? referenceRequest(req, def.path, def.referenceKey(body)) : null);
    const query = parse(def.query, { ...req.query }, 'query');
    const params = parse(def.params, { ...req.params }, 'path');
    const principal = req.principal;
    const ctx = principal?.kind === 'tenant' || principal?.kind === 'member' ? principal.ctx : (undefined as unknown as TenantContext);
    // `code:<store code>` wherever a storeId is accepted: resolved to the id here, once, so
    // use cases only see ids (one indexed read, only for requests that use a code).
    if (ctx) await resolveStoreCodes(deps, ctx, body, query);
    const run = (tx: HandlerInput<unknown, unknown, unknown>['tx']) =>
      def.handler({ body, query, params, req, res, deps, ctx, principal, tx });
    let reply: Reply;
    if (idempotent) {
      const r = await runIdempotent(deps, ctx, idempotent, (t) => {
        attachLocalCaches(t, caches);
        return run((fn) => fn(t));
      });
      if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
      reply = r;
    } else {
      const replica = def.replica && deps.replica && (await deps.replica.usable(principal?.rateKey)) ? deps.replica : null;
      reply = await run((fn, options) => {
        if (!ctx) throw new Error('tx() is only available on tenant routes');
        const onPrimary = () =>
          withTenant(
            deps.db.prisma,
            ctx.tenantId,
            (t) => {
              attachLocalCaches(t, caches);
              return fn(t);
            },
            options,
          );
        if (!replica) return onPrimary();
        const onReplica = (t: Tx) => {
          markReplicaRead(t);
          return fn(t);
        };
        return replica.read(ctx.tenantId, onReplica, options, onPrimary);
      });
    }
    // The caller's next reads must see this write: the primary's for the replica's lag bound.
    if (
      deps.replica &&
      !def.replica &&
      def.method !== 'get' &&
      reply.status < 400 &&
      principal &&
      (def.scope === 'tenant' || def.scope === 'member')
    ) {
      await deps.replica.wrote(principal.rateKey);
    }
    for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
    if (reply.text !== undefined) res.status(reply.status).send(reply.text);
    else if (reply.body === undefined) res.status(reply.status).end();
    else sendJson(req, res, reply.status, reply.body);
  }
}
