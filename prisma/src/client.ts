import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';
import { databaseUrl, poolConfigFromUrl } from './connection.ts';
import { resetPrepared, type PipelineStatement } from './pipeline.ts';
import { currentTraceparent, inSpan, SpanKind, sqlOperation, statementAttribute, tracingEnabled } from './telemetry.ts';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './unavailable.ts';
import { assertOpenState, boundTransaction, commitWith, flushBegin, prismaAfterCommit, runCallbacks, serial, tenantTx, TransactionUnavailableError, type Queryable, type TenantTxState } from './tenant-transaction.ts';

/** The role tenant work runs as: no BYPASSRLS, so forced RLS applies. See the isolation migration. */
export const APP_ROLE = 'unionpoint_app';

export interface CreateDbOptions {
  url?: string;
  /** Pool size; defaults to DATABASE_POOL_SIZE or 10. */
  max?: number;
  /** How long a transaction waits for a pooled connection (default 30 s); a replica fails over sooner. */
  connectionWaitMs?: number;
}

/**
 * Finds a `tenantId` key whose value is `undefined` anywhere in a where clause. Prisma treats
 * `undefined` as "no filter", so `where: {tenantId: ctx.tenantId}` with a missing tenant would
 * silently match every tenant's rows.
 */
export function hasUndefinedTenantFilter(where: unknown, depth = 0): boolean {
  if (where === null || typeof where !== 'object' || depth > 8) return false;
  for (const [key, value] of Object.entries(where)) {
    if (key === 'tenantId' && value === undefined) return true;
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      if (hasUndefinedTenantFilter(value, depth + 1)) return true;
    }
  }
  return false;
}

export class UndefinedTenantFilterError extends Error {
  constructor(model: string, operation: string) {
    super(`Refused ${model}.${operation}: its where clause has tenantId: undefined`);
    this.name = 'UndefinedTenantFilterError';
  }
}

type AdapterTx = Queryable & { options: { usePhantomQuery: boolean }; commit(): Promise<void>; rollback(): Promise<void> };
type Adapter = Queryable & { client: unknown; startTransaction(isolationLevel?: unknown): Promise<AdapterTx> };

/** How long a request waits for a pooled connection before the API answers 503. */
const MAX_WAIT_MS = 30_000;

/** What withTenant needs to run a tenant transaction without Prisma's pipeline, per client. */
interface FastPath {
  pool: pg.Pool;
  /** The pg adapter, once Prisma has connected it (its queryable logic and type parsers). */
  adapter: Adapter | null;
}
const fastPaths = new WeakMap<object, FastPath>();

/**
 * Bound Prisma transactions in flight. While an AsyncLocalStorage is enabled, Node (20) runs a
 * hook on every promise the process creates; `boundTransaction` is only read while one of
 * these transactions starts, so it is disabled whenever none is in flight (`run` enables it
 * again), and requests that make no model call do not pay for it.
 */
let boundInFlight = 0;
function unbind(): void {
  if (--boundInFlight === 0) boundTransaction.disable();
}

/**
 * Wraps the pg adapter so that a Prisma transaction started inside `boundTransaction` (the
 * model calls of a withTenant use case) runs on the tenant transaction's open connection:
 * no second connection, no BEGIN (already sent), and COMMIT / ROLLBACK left to withTenant
 * (phantom queries for Prisma's transaction manager).
 */
function bindableAdapter(factory: PrismaPg, fast: FastPath): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = (await connect()) as unknown as Adapter;
    fast.adapter = adapter;
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel?: unknown) => {
      const bound = boundTransaction.getStore();
      if (!bound || bound.used) return start(isolationLevel);
      bound.used = true;
      const { state } = bound;
      const tx = Object.create(state.queryable) as AdapterTx;
      tx.queryRaw = (q) => serial(state, async () => (assertOpenState(state), state.queryable.queryRaw(q)));
      tx.executeRaw = (q) => serial(state, async () => (assertOpenState(state), state.queryable.executeRaw(q)));
      tx.options = { usePhantomQuery: true };
      tx.commit = async () => {};
      tx.rollback = async () => {};
      return tx;
    };
    return adapter as unknown as Awaited<ReturnType<PrismaPg['connect']>>;
  };
  return factory;
}

function makeClient(adapter: PrismaPg) {
  return new PrismaClient({ adapter }).$extends({
    name: 'tenant-guard',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const where = (args as { where?: unknown } | undefined)?.where;
          if (where !== undefined && hasUndefinedTenantFilter(where)) {
            throw new UndefinedTenantFilterError(model, operation);
          }
          return query(args);
        },
      },
    },
  });
}

export type DbClient = ReturnType<typeof makeClient>;
/** The client handed to code running inside a transaction. */
export type Tx = Omit<DbClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export interface Db {
  /** Owner connection: platform-level work only (named `unsafe…` at its call sites). */
  prisma: DbClient;
  /** The same pool, for raw set-based SQL outside Prisma (benchmarks, bulk jobs). */
  pool: pg.Pool;
  close(): Promise<void>;
}

export function createDb(options: CreateDbOptions = {}): Db {
  const url = options.url ?? databaseUrl();
  const max = options.max ?? Number(process.env.DATABASE_POOL_SIZE ?? 10);
  const pool = new pg.Pool(poolConfigFromUrl(url, { max, connectionTimeoutMillis: options.connectionWaitMs ?? MAX_WAIT_MS }));
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => {});
  // Nor one that is checked out: pg-pool removes its idle listener for the time of a checkout,
  // and a client whose server goes away between two statements (57P01 on a restart) emits
  // 'error' with nobody listening. Every client keeps this one for its whole life; code holding
  // a client still learns of the failure from its next query (the client is not queryable) and
  // pg-pool destroys a non-queryable client on release.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    if (tracingEnabled()) traceClientQueries(client);
  });
  const fast: FastPath = { pool, adapter: null };
  const prisma = makeClient(bindableAdapter(new PrismaPg(pool), fast));
  fastPaths.set(prisma, fast);
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

export interface WithTenantOptions {
  timeoutMs?: number;
  /**
   * The use case only reads: each round trip of raw statements is a read-only transaction of
   * its own, `BEGIN READ ONLY`, the tenant settings, the statements and COMMIT in one pipeline
   * (in READ COMMITTED one transaction across round trips would give its statements nothing
   * more); a write is refused by Postgres. Model calls open one real (read-only) transaction
   * for the rest.
   */
  readOnly?: boolean;
  isolationLevel?: 'ReadCommitted' | 'RepeatableRead' | 'Serializable';
}

/**
 * The tenant setting as a literal `SET LOCAL` statement (not `set_config($1)`): a database
 * sharded by tenant (Citus, docs/SCALING.md) forwards a SET LOCAL sent inside an explicit
 * BEGIN to the nodes the transaction reaches (`citus.propagate_set_commands = 'local'`), and
 * never a set_config() call. The id is quoted as a string literal (quotes doubled;
 * standard_conforming_strings is on, so a backslash is an ordinary character).
 */
export function setTenantSql(tenantId: string): string {
  if (!tenantId || tenantId.includes('\0')) throw new Error('withTenant needs a tenant id');
  return `SET LOCAL app.tenant_id = '${tenantId.replaceAll("'", "''")}'`;
}
/** Switches to the app role for the transaction (RLS applies from here). */
export const SET_APP_ROLE_SQL = `SET LOCAL ROLE ${APP_ROLE}`;

/** The statements that put a transaction in a tenant's scope, right after its BEGIN. */
function tenantSettings(tenantId: string): PipelineStatement[] {
  return [
    { text: setTenantSql(tenantId), values: [], named: false },
    { text: SET_APP_ROLE_SQL, values: [] },
  ];
}

const SET_TRACE_PARENT_SQL = `SELECT set_config('app.trace_parent', $1, true)`;

const ISOLATION_SQL = { ReadCommitted: 'READ COMMITTED', RepeatableRead: 'REPEATABLE READ', Serializable: 'SERIALIZABLE' } as const;

/**
 * Runs `fn` in one transaction scoped to one tenant: `app.tenant_id` is set and the role
 * switched to the app role for this transaction only (literal SET LOCAL statements inside the
 * explicit BEGIN), in the same round trip as BEGIN. Everything the use case writes (rows, ledger entries, outbox
 * events) commits or rolls back together. Raw SQL runs on the connection directly; model
 * calls go through Prisma on the same connection (see tenant-transaction.ts).
 */
export async function withTenant<T>(
  prisma: DbClient,
  tenantId: string,
  fn: (tx: Tx) => Promise<T>,
  options: WithTenantOptions = {},
): Promise<T> {
  if (!tracingEnabled()) return withTenantUntraced(prisma, tenantId, fn, options);
  return inSpan('tenant transaction', { 'unionpoint.tenant_id': tenantId, 'db.system': 'postgresql', 'unionpoint.read_only': options.readOnly === true }, () =>
    withTenantUntraced(prisma, tenantId, fn, options),
  );
}

async function withTenantUntraced<T>(prisma: DbClient, tenantId: string, fn: (tx: Tx) => Promise<T>, options: WithTenantOptions): Promise<T> {
  if (!tenantId) throw new Error('withTenant needs a tenant id');
  const fast = fastPaths.get(prisma);
  if (!fast) return withTenantThroughPrisma(prisma, tenantId, fn, options);
  if (!fast.adapter) await prisma.$connect();
  const timeoutMs = options.timeoutMs ?? 20_000;

  let conn: pg.PoolClient;
  try {
    conn = await fast.pool.connect();
  } catch (e) {
    if (e instanceof Error && /timeout/i.test(e.message)) throw new TransactionUnavailableError('No database connection became free in time', e);
    if (isDatabaseUnavailable(e)) throw new DatabaseUnavailableError('The database is not reachable', e);
    throw e;
  }
  const isolation = options.isolationLevel ? ` ISOLATION LEVEL ${ISOLATION_SQL[options.isolationLevel]}` : '';
  const settings = tenantSettings(tenantId);
  // Not sent yet: BEGIN and the settings go with the first statement (one round trip).
  const begin = [{ text: `BEGIN${isolation}${options.readOnly ? ' READ ONLY' : ''}`, values: [] as unknown[] }, ...settings];
  // Traced: the transaction's span context, for the outbox rows it writes (their trace_parent
  // column defaults to it), sent with BEGIN (no round trip of its own).
  const traceparent = currentTraceparent();
  if (traceparent) begin.push({ text: SET_TRACE_PARENT_SQL, values: [traceparent] });
  // Read-only: each round trip is a whole read-only transaction of its own (BEGIN READ ONLY,
  // the settings, the statements, COMMIT before the Sync), so nothing is left open between
  // two round trips and no COMMIT costs one of its own.
  const readOnlyPrefix = options.readOnly && !options.isolationLevel ? [{ text: 'BEGIN READ ONLY', values: [] }, ...settings] : null;
  // Prisma's own statements (model calls) run on the connection unnamed; raw ones go through
  // the pipeline (prepared per connection).
  const queryable = Object.create(fast.adapter!) as Queryable & { client: unknown };
  queryable.client = conn;
  const state: TenantTxState = { conn, queryable, closed: null, prismaTx: null, finishPrisma: null, prismaDone: null, tail: Promise.resolve(), deferred: [], begin, readOnlyPrefix, resetPrepared: false, afterCommit: [] };
  // The connection may fail between two statements (the server restarts): the transaction
  // is then over, and the client is destroyed on release instead of going back to the pool.
  let lost: Error | undefined;
  const onConnectionError = (err: Error) => {
    lost ??= err;
    state.closed ??= 'the database connection was lost';
  };
  conn.on('error', onConnectionError);
  const startPrisma = () => {
    state.prismaTx ??= new Promise((resolve, reject) => {
      // Prisma's statements go through the adapter: BEGIN must be on the connection first.
      void serial(state, () => flushBegin(state)).catch(() => {});
      const until = new Promise<boolean>((r) => (state.finishPrisma = r));
      boundInFlight++;
      state.prismaDone = boundTransaction
        .run({ state, used: false }, () =>
          prisma.$transaction(
            async (ptx) => {
              resolve(ptx);
              if (!(await until)) throw new RollbackSignal();
            },
            { maxWait: MAX_WAIT_MS, timeout: timeoutMs },
          ),
        )
        .then(
          () => (unbind(), null),
          // Kept, not rethrown: nothing may be awaiting this promise yet.
          (e: unknown) => {
            unbind();
            reject(e);
            return e instanceof RollbackSignal ? null : e;
          },
        );
    });
    return state.prismaTx as Promise<Record<string, unknown>>;
  };
  const settlePrisma = async (ok: boolean) => {
    if (!state.prismaTx) return;
    state.finishPrisma?.(ok);
    const error = await state.prismaDone;
    if (error) throw error;
  };

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    state.closed ??= `timed out after ${timeoutMs} ms`;
  }, timeoutMs);
  let broken: Error | undefined;
  try {
    const result = await fn(tenantTx(state, startPrisma) as Tx);
    await settlePrisma(true);
    if (timedOut) throw new TransactionUnavailableError(`The transaction timed out after ${timeoutMs} ms`);
    state.closed = 'committed';
    await state.tail;
    // Deferred writes and COMMIT in one round trip: an error in any of them stops the rest
    // (the transaction is then rolled back below). Nothing sent at all: nothing to commit.
    await commitWith(state);
    runCallbacks(state.afterCommit);
    return result;
  } catch (e) {
    state.closed ??= 'rolled back';
    await settlePrisma(false).catch(() => {});
    await state.tail;
    if (state.begin === null && !lost) await conn.query('ROLLBACK').catch((err: Error) => (broken = err));
    if (lost || isDatabaseUnavailable(e)) {
      // Rolled back by the server (or never begun): the client may retry the request as is.
      lost ??= e as Error;
      if (!(e instanceof DatabaseUnavailableError)) throw new DatabaseUnavailableError('The database connection was lost during the transaction', e);
    }
    throw e;
  } finally {
    clearTimeout(timer);
    broken ??= lost;
    if (state.resetPrepared && !broken) await resetPrepared(conn).catch((err: Error) => (broken = err));
    conn.removeListener('error', onConnectionError);
    conn.release(broken);
  }
}

class RollbackSignal extends Error {}

/** A client not made by createDb: the same settings through Prisma's own transaction. */
async function withTenantThroughPrisma<T>(prisma: DbClient, tenantId: string, fn: (tx: Tx) => Promise<T>, options: WithTenantOptions): Promise<T> {
  const callbacks: (() => void)[] = [];
  const result = await prisma.$transaction(
    async (tx) => {
      prismaAfterCommit.set(tx, callbacks);
      await tx.$executeRawUnsafe(setTenantSql(tenantId));
      await tx.$executeRawUnsafe(SET_APP_ROLE_SQL);
      return fn(tx as Tx);
    },
    {
      // Under a burst, requests queue for a pooled connection (and then for the member row
      // lock): waiting beats failing. Past this, the API answers 503 with Retry-After.
      maxWait: MAX_WAIT_MS,
      timeout: options.timeoutMs ?? 20_000,
      ...(options.isolationLevel ? { isolationLevel: options.isolationLevel } : {}),
    },
  );
  runCallbacks(callbacks);
  return result;
}

/**
 * With tracing on, each promise-style query on a pooled connection is a client span (the
 * pipelines of tenant transactions have their own, in pipeline.ts).
 */
function traceClientQueries(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
    const [config] = args;
    const submittable = config !== null && typeof config === 'object' && typeof (config as { submit?: unknown }).submit === 'function';
    if (!tracingEnabled() || submittable || args.some((a) => typeof a === 'function')) return query(...args);
    const text = typeof config === 'string' ? config : String((config as { text?: string } | null)?.text ?? '');
    return inSpan(sqlOperation(text), { 'db.system': 'postgresql', 'db.statement': statementAttribute(text) }, () => query(...args) as Promise<unknown>, { kind: SpanKind.CLIENT });
  };
}
