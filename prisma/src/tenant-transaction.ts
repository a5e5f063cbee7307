// The tenant transaction behind withTenant: one pooled pg connection, BEGIN and the tenant
// settings sent with the first statement, raw SQL straight on that connection as prepared
// statements (pipeline.ts), and Prisma's model API on the same connection only when a use case
// asks for it.
//
// Why: every statement sent through the Prisma client, raw ones included, pays its request
// pipeline (serialisation, query compiler, plan interpreter, transaction manager): about
// 0.5 ms of CPU against 0.1 ms on the bare driver. The hot paths (orders, quotes, check-ins)
// are raw SQL, so they run here at the driver's cost, with the exact result types Prisma's
// `$queryRaw` gives (bigint for int8, Decimal for numeric, Date for timestamps, parsed JSON).
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import { ColumnTypeEnum, type ColumnType } from '@prisma/driver-adapter-utils';
import { Prisma } from './generated/prisma/client.ts';
import { runPipeline, type PipelineStatement, type RawResult } from './pipeline.ts';

type ArgType = { scalarType: string; arity: 'scalar' | 'list'; dbType?: string };
type SqlQuery = { sql: string; args: unknown[]; argTypes: ArgType[] };
type ResultSet = { columnNames: string[]; columnTypes: ColumnType[]; rows: unknown[][] };
/** The pg adapter's queryable (queryRaw / executeRaw with its type parsers and argument mapping). */
export interface Queryable {
  queryRaw(q: SqlQuery): Promise<ResultSet>;
  executeRaw(q: SqlQuery): Promise<number>;
}

/** A query failed in Postgres: `code` is the SQLSTATE (23505 unique violation, 42501 permission denied…). */
export class DbQueryError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined, cause: unknown) {
    super(message, { cause });
    this.name = 'DbQueryError';
    this.code = code;
  }
}

/** Thrown when a transaction cannot start or finish in time; the API maps P2028 to 503. */
export class TransactionUnavailableError extends Error {
  readonly code = 'P2028';
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'TransactionUnavailableError';
  }
}

export interface TenantTxState {
  conn: pg.PoolClient;
  queryable: Queryable;
  /** Why the transaction no longer takes queries (committed, rolled back, timed out), or null. */
  closed: string | null;
  /** Prisma's interactive transaction on this connection, started on the first model call. */
  prismaTx: Promise<unknown> | null;
  finishPrisma: ((ok: boolean) => void) | null;
  prismaDone: Promise<unknown> | null;
  /** The last statement sent: statements go one after another (Promise.all in a use case too). */
  tail: Promise<unknown>;
  /** Writes whose results nobody reads, sent with COMMIT in one round trip (see deferStatement). */
  deferred: PipelineStatement[];
  /** BEGIN and the tenant settings until they are sent, with the first statement; then null. */
  begin: PipelineStatement[] | null;
  /**
   * Read-only use case: until a real transaction is needed, each round trip is a read-only
   * transaction of its own: this prefix (BEGIN READ ONLY and the tenant settings), the
   * statements, and COMMIT before the Sync.
   */
  readOnlyPrefix: PipelineStatement[] | null;
  /** A pipeline failed part-way: the connection's prepared statements are reset on release. */
  resetPrepared: boolean;
  /** Run once COMMIT has succeeded (see afterCommit); dropped on rollback. */
  afterCommit: (() => void)[];
}

/** How a tenant transaction's Tx exposes its state to deferStatement. */
export const TENANT_TX_STATE = Symbol('tenantTxState');

// The last instant formatted: a request's statements mostly carry the same instant (its `at`).
let lastFormattedTime = Number.NaN;
let lastFormatted = '';

function formatDateTime(date: Date): string {
  const time = date.getTime();
  if (time === lastFormattedTime) return lastFormatted;
  // As the pg adapter sends a Date parameter (UTC, no zone).
  const pad = (n: number, z = 2) => String(n).padStart(z, '0');
  const ms = date.getUTCMilliseconds();
  const text = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}`;
  lastFormattedTime = time;
  lastFormatted = text;
  return text;
}

/** A statement with its values as the pg adapter would send them. */
export function statementOf(sql: Prisma.Sql | { text: string; values: unknown[] }): PipelineStatement {
  const given = sql.values;
  const values: unknown[] = new Array(given.length);
  for (let i = 0; i < given.length; i++) {
    const v = given[i];
    // Strings, numbers and booleans go as they are (argOf would return them unchanged).
    values[i] =
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? v
        : v instanceof Date
          ? formatDateTime(v)
          : wireValue(argOf(v)[0]);
  }
  return { text: sql.text, values };
}

function wireValue(arg: unknown): unknown {
  if (arg instanceof Date) return formatDateTime(arg);
  if (Array.isArray(arg)) return arg.map((v) => (v instanceof Date ? formatDateTime(v) : v));
  return arg;
}

/**
 * A write whose result the use case does not need (an outbox insert, a stored response): in a
 * tenant transaction it is sent together with COMMIT, in the same round trip, and fails the
 * commit if it fails; elsewhere it runs at once. Never defer a write the same transaction
 * reads back.
 */
export async function deferStatement(tx: unknown, sql: Prisma.Sql): Promise<void> {
  const state = (tx as Record<symbol, TenantTxState | undefined>)[TENANT_TX_STATE];
  if (!state) {
    await (tx as { $executeRaw(sql: Prisma.Sql): Promise<number> }).$executeRaw(sql);
    return;
  }
  assertOpen(state);
  if (state.readOnlyPrefix) throw new Error('deferStatement in a read-only tenant transaction');
  state.deferred.push(statementOf(sql));
}

/**
 * Callbacks of transactions that run through Prisma's own `$transaction` (a client not made by
 * createDb): withTenant runs them after that transaction has committed.
 */
export const prismaAfterCommit = new WeakMap<object, (() => void)[]>();

/**
 * Runs `fn` once the transaction has committed, and never if it rolls back: the place for
 * effects outside the database that must not see uncommitted state (dropping this process's
 * cached config or API keys). Outside a transaction it runs at once. A callback that throws is
 * ignored: the commit has happened.
 */
export function afterCommit(tx: unknown, fn: () => void): void {
  const state = (tx as Record<symbol, TenantTxState | undefined>)[TENANT_TX_STATE];
  if (state) {
    assertOpen(state);
    state.afterCommit.push(fn);
    return;
  }
  const callbacks = prismaAfterCommit.get(tx as object);
  if (callbacks) callbacks.push(fn);
  else runCallbacks([fn]);
}

export function runCallbacks(callbacks: (() => void)[]): void {
  for (const fn of callbacks) {
    try {
      fn();
    } catch {
      // Committed already: a failing cache drop must not turn the commit into an error.
    }
  }
}

/**
 * A statement that must be the transaction's first (an Idempotency-Key claim): it is sent with
 * BEGIN and the tenant settings, in the round trip of the use case's own first statement, so it
 * adds none. Its result is not read; if it fails, the use case's first statement fails with its
 * error and the transaction rolls back. Throws once a statement has been sent. Outside a
 * tenant transaction it runs at once.
 */
export async function leadStatement(tx: unknown, sql: Prisma.Sql): Promise<void> {
  const state = (tx as Record<symbol, TenantTxState | undefined>)[TENANT_TX_STATE];
  if (!state) {
    await (tx as { $executeRaw(sql: Prisma.Sql): Promise<number> }).$executeRaw(sql);
    return;
  }
  assertOpen(state);
  if (state.readOnlyPrefix) throw new Error('leadStatement in a read-only tenant transaction');
  if (!state.begin) throw new Error('leadStatement after the transaction has sent its first statement');
  state.begin.push(statementOf(sql));
}

/** Runs `run` after every statement already sent on this transaction's connection. */
export function assertOpenState(state: TenantTxState): void {
  assertOpen(state);
}

export function serial<T>(state: TenantTxState, run: () => Promise<T>): Promise<T> {
  const next = state.tail.then(run, run);
  state.tail = next.catch(() => {});
  return next;
}

/**
 * Set only around the `$transaction` call that binds Prisma to an open tenant transaction:
 * the adapter's startTransaction then hands out that connection instead of a new one.
 */
export const boundTransaction = new AsyncLocalStorage<{ state: TenantTxState; used: boolean }>();

function argOf(value: unknown): [unknown, ArgType] {
  if (value === null || value === undefined) return [null, { scalarType: 'unknown', arity: 'scalar' }];
  if (value instanceof Date) return [value, { scalarType: 'datetime', arity: 'scalar' }];
  if (typeof value === 'bigint') return [value.toString(), { scalarType: 'bigint', arity: 'scalar' }];
  if (Prisma.Decimal.isDecimal(value)) return [(value as Prisma.Decimal).toString(), { scalarType: 'decimal', arity: 'scalar' }];
  if (Buffer.isBuffer(value)) return [value, { scalarType: 'bytes', arity: 'scalar' }];
  if (ArrayBuffer.isView(value))
    return [Buffer.from(value.buffer, value.byteOffset, value.byteLength), { scalarType: 'bytes', arity: 'scalar' }];
  if (Array.isArray(value)) {
    const items = value.map((v) => argOf(v));
    const first = items.find(([v]) => v !== null);
    return [items.map(([v]) => v), { scalarType: first ? first[1].scalarType : 'unknown', arity: 'list' }];
  }
  return [value, { scalarType: typeof value === 'object' ? 'json' : typeof value, arity: 'scalar' }];
}

/** The value Prisma's `$queryRaw` returns for one cell of the adapter's result set. */
function cell(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case ColumnTypeEnum.Int32:
      return Math.trunc(Number(value));
    case ColumnTypeEnum.Int64:
      return BigInt(typeof value === 'number' ? Math.trunc(value) : (value as string));
    case ColumnTypeEnum.Numeric:
      return new Prisma.Decimal(value as string);
    case ColumnTypeEnum.DateTime:
    case ColumnTypeEnum.Date:
      return new Date(value as string);
    case ColumnTypeEnum.Time:
      return new Date(`1970-01-01T${value as string}Z`);
    case ColumnTypeEnum.Json:
      return typeof value === 'string' ? JSON.parse(value) : value;
    case ColumnTypeEnum.Boolean:
      return typeof value === 'boolean' ? value : value === 'true' || value === '1' || value === 1;
    case ColumnTypeEnum.Bytes:
      return Array.isArray(value) ? new Uint8Array(value as number[]) : value;
    case ColumnTypeEnum.Int32Array:
      return (value as unknown[]).map((v) => cell(v, ColumnTypeEnum.Int32));
    case ColumnTypeEnum.Int64Array:
      return (value as unknown[]).map((v) => cell(v, ColumnTypeEnum.Int64));
    case ColumnTypeEnum.NumericArray:
      return (value as unknown[]).map((v) => cell(v, ColumnTypeEnum.Numeric));
    case ColumnTypeEnum.DateTimeArray:
      return (value as unknown[]).map((v) => cell(v, ColumnTypeEnum.DateTime));
    case ColumnTypeEnum.DateArray:
      return (value as unknown[]).map((v) => cell(v, ColumnTypeEnum.Date));
    case ColumnTypeEnum.TimeArray:
      return (value as unknown[]).map((v) => cell(v, ColumnTypeEnum.Time));
    case ColumnTypeEnum.JsonArray:
      return (value as unknown[]).map((v) => cell(v, ColumnTypeEnum.Json));
    case ColumnTypeEnum.BooleanArray:
      return (value as unknown[]).map((v) => cell(v, ColumnTypeEnum.Boolean));
    case ColumnTypeEnum.BytesArray:
      return (value as unknown[]).map((v) => cell(v, ColumnTypeEnum.Bytes));
    default:
      return value;
  }
}

export function rowsOf(result: ResultSet): Record<string, unknown>[] {
  const { columnNames, columnTypes, rows } = result;
  const out: Record<string, unknown>[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const obj: Record<string, unknown> = {};
    for (let j = 0; j < columnNames.length; j++) obj[columnNames[j]!] = cell(row[j], columnTypes[j]!);
    out[i] = obj;
  }
  return out;
}

function driverError(error: unknown): never {
  const cause = (error as { cause?: { originalCode?: string; originalMessage?: string; kind?: string } }).cause;
  if (error instanceof Error && error.name === 'DriverAdapterError' && cause) {
    throw new DbQueryError(cause.originalMessage ?? error.message ?? String(cause.kind), cause.originalCode, error);
  }
  // node-postgres's DatabaseError: SQLSTATE in `code`.
  const pgError = error as { code?: unknown; severity?: unknown; message?: string };
  if (error instanceof Error && typeof pgError.code === 'string' && pgError.severity !== undefined) {
    throw new DbQueryError(error.message, pgError.code, error);
  }
  throw error;
}

/** `tx.$queryRaw\`…\`` and `tx.$queryRaw(Prisma.sql\`…\`)` both arrive here as one Sql. */
function sqlOf(args: unknown[]): Prisma.Sql {
  const [first, ...values] = args;
  if (first instanceof Prisma.Sql) return first;
  if (Array.isArray(first) && 'raw' in (first as object)) return new Prisma.Sql(first as readonly string[], values);
  throw new TypeError('$queryRaw / $executeRaw take a tagged template or a Prisma.sql fragment; use the Unsafe variants for strings');
}

function assertOpen(state: TenantTxState): void {
  if (state.closed) throw new Error(`Transaction already closed: ${state.closed}`);
}

/**
 * Sends statements in one round trip (a pipeline), preceded by BEGIN and the tenant settings
 * while they are unsent (or by the read-only settings, each time), and reads each statement's
 * result with the adapter's type parsers and column types: the rows `$queryRaw` would give.
 */
async function send(state: TenantTxState, statements: PipelineStatement[], closing = false): Promise<RawResult[]> {
  if (!closing) assertOpen(state);
  const readOnly = state.readOnlyPrefix !== null;
  const prefix = state.readOnlyPrefix ?? state.begin ?? [];
  if (!readOnly) state.begin = null;
  let results: RawResult[];
  try {
    ({ results } = await runPipeline(state.conn, readOnly ? [...prefix, ...statements, COMMIT] : [...prefix, ...statements]));
  } catch (e) {
    if ((e as { pipelineParsedSome?: boolean }).pipelineParsedSome) state.resetPrepared = true;
    // A read-only round trip failed inside its BEGIN: the block is left aborted until ROLLBACK.
    if (readOnly) await state.conn.query('ROLLBACK').catch(() => (state.closed ??= 'its rollback failed'));
    // The settings may not be in force: nothing else may run on this connection.
    if (prefix.length && !state.readOnlyPrefix) state.closed ??= 'its first statement failed';
    return driverError(e);
  }
  return results.slice(prefix.length, prefix.length + statements.length);
}

const COMMIT: PipelineStatement = { text: 'COMMIT', values: [] };

/**
 * What the adapter's queryRaw and `cell` make of a built-in type's text, by type oid, learned
 * from the adapter itself (its type parser and column type for that oid) the first time a
 * result carries the type. User-defined types (oid >= 16384) are never learned: the adapter
 * may hand those to a user-defined parser.
 */
interface Decoder {
  parse: (text: string) => unknown;
  type: ColumnType;
}
const FIRST_NORMAL_OBJECT_ID = 16384;
const decoders = new Map<number, Decoder>();
let adapterTypes: { getTypeParser(oid: number, format: string): (v: string) => unknown } | null = null;

function learn(raw: RawResult, set: ResultSet): void {
  if (!adapterTypes) return;
  raw.fields.forEach((f, j) => {
    const type = set.columnTypes[j];
    if (f.dataTypeID < FIRST_NORMAL_OBJECT_ID && type !== undefined && !decoders.has(f.dataTypeID)) {
      decoders.set(f.dataTypeID, { parse: adapterTypes!.getTypeParser(f.dataTypeID, 'text'), type });
    }
  });
}

/**
 * The rows `$queryRaw` gives for one raw result: `cell(parser(text))` per value with the
 * adapter's own parser and column type of each column's type, without a pass through the
 * adapter per result once every type of the result is known; otherwise (a type seen for the
 * first time, or user-defined) through the adapter, as before.
 */
async function decode(state: TenantTxState, raw: RawResult): Promise<Record<string, unknown>[]> {
  const { fields, rows } = raw;
  const columns: Decoder[] = new Array(fields.length);
  for (let j = 0; j < fields.length; j++) {
    const d = decoders.get(fields[j]!.dataTypeID);
    if (!d) {
      const set = await resultSet(state, raw);
      learn(raw, set);
      return rowsOf(set);
    }
    columns[j] = d;
  }
  const out: Record<string, unknown>[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const obj: Record<string, unknown> = {};
    for (let j = 0; j < fields.length; j++) {
      const v = row[j];
      obj[fields[j]!.name] = v === null || v === undefined ? null : cell(columns[j]!.parse(v), columns[j]!.type);
    }
    out[i] = obj;
  }
  return out;
}

/** The adapter's path for one result (decode's reference and fallback); exported for its test. */
export async function decodeThroughAdapter(state: TenantTxState, raw: RawResult): Promise<Record<string, unknown>[]> {
  return rowsOf(await resultSet(state, raw));
}
export { decode as decodeRawResult };

/** One raw result through the adapter's queryRaw (its type parsers and column types). */
async function resultSet(state: TenantTxState, raw: RawResult): Promise<ResultSet> {
  const q = Object.create(state.queryable) as Queryable & { client: unknown };
  q.client = {
    async query(config: { types: { getTypeParser(oid: number, format: string): (v: string) => unknown } }) {
      adapterTypes ??= config.types;
      const parsers = raw.fields.map((f) => config.types.getTypeParser(f.dataTypeID, 'text'));
      const rows = raw.rows.map((r) => r.map((v, j) => (v === null ? null : parsers[j]!(v))));
      return { fields: raw.fields, rows, rowCount: raw.rowCount, command: raw.command };
    },
  };
  try {
    return await q.queryRaw({ sql: '', args: [], argTypes: [] });
  } catch (e) {
    return driverError(e);
  }
}

/** Sends BEGIN and the tenant settings on their own if no statement has taken them along yet. */
export async function flushBegin(state: TenantTxState): Promise<void> {
  state.readOnlyPrefix = null;
  if (!state.begin) return;
  await send(state, []);
}

/**
 * Deferred writes and COMMIT (with BEGIN first if nothing was sent yet), one round trip; the
 * caller has already closed the transaction to new statements.
 */
export async function commitWith(state: TenantTxState): Promise<void> {
  if (state.begin && !state.deferred.length) return; // nothing was sent: nothing to commit
  await send(state, [...state.deferred, COMMIT], true);
}

function query(state: TenantTxState, statement: PipelineStatement): Promise<Record<string, unknown>[]> {
  return serial(state, async () => decode(state, (await send(state, [statement]))[0]!));
}

function execute(state: TenantTxState, statement: PipelineStatement): Promise<number> {
  // Only the count: a statement returning void (pg_notify) has no column type to map.
  return serial(state, async () => (await send(state, [statement]))[0]!.rowCount ?? 0);
}

/**
 * The `Tx` a use case receives: raw SQL runs on the connection directly; anything else
 * (`tx.member.findMany`, `tx.order.aggregate`…) starts, once, Prisma's interactive transaction
 * bound to the same connection and goes through it, with the tenant guard extension.
 */
export function tenantTx(state: TenantTxState, startPrisma: () => Promise<Record<string, unknown>>): unknown {
  const raw: Record<string, unknown> = {
    $queryRaw: (...args: unknown[]) => query(state, statementOf(sqlOf(args))),
    $executeRaw: (...args: unknown[]) => execute(state, statementOf(sqlOf(args))),
    $queryRawUnsafe: (text: string, ...values: unknown[]) => query(state, statementOf({ text, values })),
    $executeRawUnsafe: (text: string, ...values: unknown[]) => execute(state, statementOf({ text, values })),
  };
  const delegates = new Map<PropertyKey, unknown>();
  return new Proxy(raw, {
    get(target, prop) {
      if (prop === TENANT_TX_STATE) return state;
      if (prop in target) return target[prop as string];
      if (prop === 'then' || typeof prop === 'symbol') return undefined;
      let delegate = delegates.get(prop);
      if (!delegate) {
        delegate = new Proxy(
          {},
          {
            get(_t, method) {
              if (method === 'then' || typeof method === 'symbol') return undefined;
              return async (...args: unknown[]) => {
                assertOpen(state);
                const ptx = await startPrisma();
                const model = ptx[prop] as Record<string, ((...a: unknown[]) => Promise<unknown>) | undefined>;
                const call = model?.[method];
                if (typeof call !== 'function') throw new TypeError(`tx.${String(prop)}.${method} is not a function`);
                return call.apply(model, args);
              };
            },
          },
        );
        delegates.set(prop, delegate);
      }
      return delegate;
    },
  });
}

/**
 * Several statements in one round trip (a pipeline of prepared statements), in order; each sees
 * what the ones before it wrote and, in READ COMMITTED, takes its own snapshot. Returns each
 * statement's rows with `$queryRaw`'s types. Outside a tenant transaction, one by one.
 */
export async function queryBatch(tx: unknown, sqls: Prisma.Sql[]): Promise<Record<string, unknown>[][]> {
  const state = (tx as Record<symbol, TenantTxState | undefined>)[TENANT_TX_STATE];
  if (!state) {
    const out: Record<string, unknown>[][] = [];
    for (const sql of sqls) out.push(await (tx as { $queryRaw(sql: Prisma.Sql): Promise<Record<string, unknown>[]> }).$queryRaw(sql));
    return out;
  }
  return serial(state, async () => {
    const results = await send(state, sqls.map(statementOf));
    const out: Record<string, unknown>[][] = [];
    for (const raw of results) out.push(await decode(state, raw));
    return out;
  });
}
