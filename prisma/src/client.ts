import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';
import { databaseUrl, poolConfigFromUrl } from './connection.ts';

/** The role tenant work runs as: no BYPASSRLS, so forced RLS applies. See the isolation migration. */
export const APP_ROLE = 'unionpoint_app';

export interface CreateDbOptions {
  url?: string;
  /** Pool size; defaults to DATABASE_POOL_SIZE or 10. */
  max?: number;
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

const SET_TENANT_SQL = `SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)`;
const STRING_ARG = { scalarType: 'string', arity: 'scalar' } as const;

/** The tenant the next transaction started in this async context is for (see withTenant). */
const pendingTenant = new AsyncLocalStorage<{ tenantId: string; applied: boolean }>();

type AdapterTx = { executeRaw(q: { sql: string; args: unknown[]; argTypes: unknown[] }): Promise<number>; rollback(): Promise<void> };
type Adapter = { startTransaction(isolationLevel?: unknown): Promise<AdapterTx> };

/**
 * Wraps the pg adapter so that the transaction withTenant opens gets its tenant settings right
 * after BEGIN, on the adapter's own connection, instead of as a Prisma raw query (which goes
 * through the client's request pipeline: serialisation, the query compiler, the interpreter).
 * Applied once per withTenant scope, to the first transaction it starts (its own); withTenant
 * falls back to a raw query when it was not applied.
 */
function tenantAwareAdapter(factory: PrismaPg): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = (await connect()) as unknown as Adapter;
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel?: unknown) => {
      const tx = await start(isolationLevel);
      const scope = pendingTenant.getStore();
      if (scope && !scope.applied) {
        try {
          await tx.executeRaw({ sql: SET_TENANT_SQL, args: [scope.tenantId, APP_ROLE], argTypes: [STRING_ARG, STRING_ARG] });
        } catch (err) {
          await tx.executeRaw({ sql: 'ROLLBACK', args: [], argTypes: [] }).catch(() => {});
          await tx.rollback().catch(() => {});
          throw err;
        }
        scope.applied = true;
      }
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
  const pool = new pg.Pool(poolConfigFromUrl(url, { max }));
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => {});
  const prisma = makeClient(tenantAwareAdapter(new PrismaPg(pool)));
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
  isolationLevel?: 'ReadCommitted' | 'RepeatableRead' | 'Serializable';
}

/**
 * Runs `fn` in one transaction scoped to one tenant: `app.tenant_id` is set and the role
 * switched to the app role for this transaction only (set_config(..., true) = SET LOCAL), in
 * one round trip. Everything the use case writes (rows, ledger entries, outbox events)
 * commits or rolls back together.
 */
export async function withTenant<T>(
  prisma: DbClient,
  tenantId: string,
  fn: (tx: Tx) => Promise<T>,
  options: WithTenantOptions = {},
): Promise<T> {
  if (!tenantId) throw new Error('withTenant needs a tenant id');
  const scope = { tenantId, applied: false };
  return pendingTenant.run(scope, () =>
    prisma.$transaction(
      async (tx) => {
        // Normally already done by the adapter right after BEGIN (tenantAwareAdapter); a client
        // built on another adapter gets the same settings as a raw query.
        if (!scope.applied) {
          scope.applied = true;
          await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true), set_config('role', ${APP_ROLE}, true)`;
        }
        return fn(tx as Tx);
      },
      {
        // Under a burst, requests queue for a pooled connection (and then for the member row
        // lock): waiting beats failing. Past this, the API answers 503 with Retry-After.
        maxWait: 30_000,
        timeout: options.timeoutMs ?? 20_000,
        ...(options.isolationLevel ? { isolationLevel: options.isolationLevel } : {}),
      },
    ),
  );
}
