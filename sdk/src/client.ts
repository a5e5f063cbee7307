import { randomUUID } from 'node:crypto';
import type { operations } from './generated/api-types.ts';
import { OPERATIONS, type OperationName } from './generated/operations.ts';
import { UnionpointError, UnionpointNetworkError, type Problem } from './errors.ts';

type Op<K extends OperationName> = operations[K];
type Params<K extends OperationName> = Op<K> extends { parameters: { path: infer P } } ? P : never;
type Query<K extends OperationName> = Op<K> extends { parameters: { query?: infer Q } } ? Q : never;
type Body<K extends OperationName> =
  Op<K> extends { requestBody: { content: { 'application/json': infer B } } }
    ? B
    : Op<K> extends { requestBody?: { content: { 'application/json': infer B } } }
      ? B | undefined
      : never;
type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : R extends { content?: never } ? undefined : never;
type Responses<K extends OperationName> = Op<K> extends { responses: infer R } ? R : never;
/** The success body of an operation (its first documented 2xx). */
export type Result<K extends OperationName> =
  Responses<K> extends { 200: infer R }
    ? JsonOf<R>
    : Responses<K> extends { 201: infer R }
      ? JsonOf<R>
      : Responses<K> extends { 202: infer R }
        ? JsonOf<R>
        : unknown;

type Need<N extends string, T> = [T] extends [never] ? { [k in N]?: never } : [undefined] extends [T] ? { [k in N]?: T } : { [k in N]: T };
/** What an operation takes: `params` (path), `query` and `body`, each required when the operation requires it. */
export type Input<K extends OperationName> = Need<'params', Params<K>> & { query?: Query<K> } & Need<'body', Body<K>>;
type ItemOf<K extends OperationName> = Result<K> extends { data: (infer I)[]; nextCursor: string | null } ? I : never;
/** Operations that answer a page (`{data, nextCursor}`). */
export type ListOperation = { [K in OperationName]: [ItemOf<K>] extends [never] ? never : K }[OperationName];

export interface RequestOptions {
  /** Sent as `Idempotency-Key`; writes get a random one by default, reused by every retry. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface ClientOptions {
  /** The API's origin, e.g. `http://localhost:4000`. */
  baseUrl: string;
  /** A tenant key `up_…` (or the platform key for platform operations). */
  apiKey?: string;
  /** Retries on 429, 503 and network errors (default 3), after `Retry-After` when the API sends one. */
  maxRetries?: number;
  /** First back-off without a `Retry-After`, doubled on each retry (default 250 ms); a `Retry-After` is capped at `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  fetch?: typeof fetch;
  /** How to wait between retries (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}

type Methods = {
  [K in OperationName]: (
    ...args: Partial<Input<K>> extends Input<K> ? [input?: Input<K>, options?: RequestOptions] : [input: Input<K>, options?: RequestOptions]
  ) => Promise<Result<K>>;
};

export type UnionpointClient = Methods & {
  /** Calls an operation by name (what every method does). */
  request<K extends OperationName>(name: K, input?: Input<K>, options?: RequestOptions): Promise<Result<K>>;
  /** Every item of a list operation, page after page (follows `nextCursor`). */
  paginate<K extends ListOperation>(name: K, input?: Input<K>, options?: RequestOptions): AsyncGenerator<ItemOf<K>>;
};

const RETRY_STATUSES = new Set([429, 503]);

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function buildUrl(
  baseUrl: string,
  template: string,
  params: Record<string, unknown> | undefined,
  query: Record<string, unknown> | undefined,
): string {
  const path = template.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) => {
    const v = params?.[name];
    if (v === undefined || v === null) throw new TypeError(`Missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(v));
  });
  const url = new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
  return url.toString();
}

/**
 * A typed client: every operation of the API as a method named by its operationId, writes
 * with an automatic Idempotency-Key (safe to retry), retries on 429/503/network errors
 * respecting Retry-After, problems thrown as UnionpointError with their `code`.
 */
export function createClient(options: ClientOptions): UnionpointClient {
  const doFetch = options.fetch ?? globalThis.fetch;
  const maxRetries = options.maxRetries ?? 3;
  const baseDelay = options.retryDelayMs ?? 250;
  const maxDelay = options.maxRetryDelayMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function request<K extends OperationName>(name: K, input?: Input<K>, req: RequestOptions = {}): Promise<Result<K>> {
    const op = OPERATIONS[name];
    if (!op) throw new TypeError(`Unknown operation ${String(name)}`);
    const i = (input ?? {}) as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
    const url = buildUrl(options.baseUrl, op.path, i.params, i.query);
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...req.headers };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    // One key for every attempt of this call: a retry after a lost answer never writes twice.
    if (op.write) headers['idempotency-key'] = req.idempotencyKey ?? randomUUID();
    let body: string | undefined;
    if (i.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(i.body);
    }
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await doFetch(url, { method: op.method, headers, body, signal: req.signal });
      } catch (error) {
        if (req.signal?.aborted || attempt >= maxRetries)
          throw new UnionpointNetworkError(`${op.method} ${op.path}: ${(error as Error).message}`, { cause: error });
        await sleep(Math.min(maxDelay, baseDelay * 2 ** attempt));
        continue;
      }
      if (RETRY_STATUSES.has(res.status) && attempt < maxRetries) {
        await res.body?.cancel();
        await sleep(Math.min(maxDelay, retryAfterMs(res.headers.get('retry-after')) ?? baseDelay * 2 ** attempt));
        continue;
      }
      const text = await res.text();
      if (!res.ok) {
        let problem: Problem;
        try {
          problem = JSON.parse(text) as Problem;
        } catch {
          problem = { type: '', title: res.statusText, status: res.status, code: 'internal', detail: text.slice(0, 500) } as Problem;
        }
        throw new UnionpointError(problem);
      }
      return (text ? JSON.parse(text) : undefined) as Result<K>;
    }
  }

  async function* paginate<K extends ListOperation>(name: K, input?: Input<K>, req?: RequestOptions): AsyncGenerator<ItemOf<K>> {
    const base = (input ?? {}) as { query?: Record<string, unknown> };
    let cursor: string | null | undefined;
    do {
      const query = { ...(base.query ?? {}), ...(cursor ? { cursor } : {}) };
      const page = (await request(name, { ...base, query } as Input<K>, req)) as unknown as {
        data: ItemOf<K>[];
        nextCursor: string | null;
      };
      yield* page.data;
      cursor = page.nextCursor;
    } while (cursor);
  }

  const client = { request, paginate } as UnionpointClient;
  for (const name of Object.keys(OPERATIONS) as OperationName[]) {
    (client as unknown as Record<string, unknown>)[name] = (input?: Input<typeof name>, req?: RequestOptions) => request(name, input, req);
  }
  return client;
}
