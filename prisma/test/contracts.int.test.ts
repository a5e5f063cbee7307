// Contracts with Prisma, its pg adapter (and our patch of it) and node-postgres that prisma/src
// relies on and that are not (or not clearly) public API: each test is named after one
// behaviour and asserts it directly, against the real database, so that an upgrade that
// changes it fails here instead of in production. See prisma/README.md, "Contracts".
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../src/generated/prisma/client.ts';
import { poolConfigFromUrl } from '../src/connection.ts';
import { resetPrepared, runPipeline } from '../src/pipeline.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

type SqlQuery = { sql: string; args: unknown[]; argTypes: unknown[] };
type ResultSet = { columnNames: string[]; columnTypes: number[]; rows: unknown[][] };
type AdapterTx = {
  options: { usePhantomQuery: boolean };
  queryRaw(q: SqlQuery): Promise<ResultSet>;
  executeRaw(q: SqlQuery): Promise<number>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
};
type Adapter = {
  client: unknown;
  queryRaw(q: SqlQuery): Promise<ResultSet>;
  executeRaw(q: SqlQuery): Promise<number>;
  executeScript(script: string): Promise<void>;
  startTransaction(isolationLevel?: unknown): Promise<AdapterTx>;
  dispose(): Promise<void>;
};
const q = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

let database: TestDatabase;
let pool: pg.Pool;
let adapter: Adapter;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool(poolConfigFromUrl(database.url, { max: 4 }));
  adapter = (await new PrismaPg(pool).connect()) as unknown as Adapter;
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

async function withConn<T>(fn: (conn: pg.PoolClient) => Promise<T>): Promise<T> {
  const conn = await pool.connect();
  try {
    return await fn(conn);
  } finally {
    conn.release();
  }
}

describe('node-postgres', () => {
  it('client.query(submittable) hands the connection to submit() and feeds RowDescription, DataRow (raw text) and CommandComplete per statement', async () => {
    await withConn(async (conn) => {
      await conn.query('CREATE TEMP TABLE contract_a (n int)');
      const { results } = await runPipeline(conn, [
        { text: `SELECT 9007199254740993::int8 AS big, 'x'::text AS s`, values: [] },
        { text: 'INSERT INTO contract_a VALUES ($1), ($2)', values: [1, 2] },
        { text: 'SELECT count(*) AS n FROM contract_a', values: [] },
      ]);
      expect(results.map((r) => [r.command, r.rowCount])).toEqual([
        ['SELECT', 1],
        ['INSERT', 2],
        ['SELECT', 1],
      ]);
      expect(results[0]!.fields.map((f) => [f.name, f.dataTypeID])).toEqual([
        ['big', 20],
        ['s', 25],
      ]);
      expect(results[0]!.rows).toEqual([['9007199254740993', 'x']]);
      expect(results[2]!.rows).toEqual([['2']]);
    });
  });

  it('a value that cannot be serialised fails the pipeline before anything is sent: nothing runs, the connection stays usable', async () => {
    await withConn(async (conn) => {
      await conn.query('CREATE TEMP TABLE contract_s (n int)');
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const failed = await runPipeline(conn, [
        { text: 'INSERT INTO contract_s VALUES (1)', values: [] },
        { text: 'SELECT $1::jsonb AS j', values: [circular] },
      ]).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(TypeError);
      expect((failed as { pipelineParsedSome?: boolean }).pipelineParsedSome).toBe(false);
      expect((await conn.query('SELECT count(*)::int AS n FROM contract_s')).rows[0]).toEqual({ n: 0 });
      const { results } = await runPipeline(conn, [{ text: 'INSERT INTO contract_s VALUES (2) RETURNING n', values: [] }]);
      expect(results[0]!.rows).toEqual([['2']]);
    });
  });

  it('a pipeline goes to the socket as one write, whatever its number of statements', async () => {
    await withConn(async (conn) => {
      const stream = (conn as unknown as { connection: { stream: { write(chunk: Buffer): boolean } } }).connection.stream;
      const write = stream.write.bind(stream);
      const writes: number[] = [];
      stream.write = (chunk: Buffer) => (writes.push(chunk.length), write(chunk));
      try {
        const { results } = await runPipeline(
          conn,
          Array.from({ length: 12 }, (_, i) => ({ text: `SELECT $1::int + ${i} AS n`, values: [i] })),
        );
        expect(results.map((r) => r.rows[0]![0])).toEqual(Array.from({ length: 12 }, (_, i) => String(2 * i)));
      } finally {
        stream.write = write;
      }
      expect(writes).toHaveLength(1);
    });
  });

  it('a named statement is described once per connection: later runs send no Describe and keep its columns; resetPrepared describes it again', async () => {
    await withConn(async (conn) => {
      const stream = (conn as unknown as { connection: { stream: { write(chunk: Buffer): boolean } } }).connection.stream;
      const write = stream.write.bind(stream);
      // Message types of what each pipeline wrote: a type byte, then a length that counts itself.
      const types: string[][] = [];
      stream.write = (chunk: Buffer) => {
        const t: string[] = [];
        for (let at = 0; at < chunk.length; at += 1 + chunk.readInt32BE(at + 1)) t.push(String.fromCharCode(chunk[at]!));
        types.push(t);
        return write(chunk);
      };
      const statements = [
        { text: 'SELECT $1::int AS n, $2::text AS label, now() AS at', values: [7, 'seven'] },
        { text: 'SELECT 1 WHERE false', values: [] },
        { text: 'SELECT $1::text AS unnamed', values: ['u'], named: false },
      ];
      try {
        const first = await runPipeline(conn, statements);
        const second = await runPipeline(conn, statements);
        await resetPrepared(conn);
        const third = await runPipeline(conn, statements);
        for (const { results } of [first, second, third]) {
          expect(results[0]!.fields.map((f) => [f.name, f.dataTypeID])).toEqual([
            ['n', 23],
            ['label', 25],
            ['at', 1184],
          ]);
          expect(results[0]!.rows[0]!.slice(0, 2)).toEqual(['7', 'seven']);
          expect(results[1]!.fields.map((f) => f.name)).toEqual(['?column?']);
          expect(results[1]!.rows).toEqual([]);
          expect(results[2]!.fields.map((f) => f.name)).toEqual(['unnamed']);
        }
      } finally {
        stream.write = write;
      }
      const [first, second, , third] = types;
      // First run: Parse, Bind, Describe, Execute per statement; then only the unnamed one is
      // parsed and described; after the reset, all again.
      expect(first).toEqual(['P', 'B', 'D', 'E', 'P', 'B', 'D', 'E', 'P', 'B', 'D', 'E', 'S']);
      expect(second).toEqual(['B', 'E', 'B', 'E', 'P', 'B', 'D', 'E', 'S']);
      expect(third).toEqual(first);
    });
  });

  it('an error in a pipeline skips the rest up to Sync, rolls back its implicit transaction, carries SQLSTATE and severity, and leaves the connection usable', async () => {
    await withConn(async (conn) => {
      await conn.query('CREATE TEMP TABLE contract_b (n int)');
      const failed = await runPipeline(conn, [
        { text: 'INSERT INTO contract_b VALUES (1)', values: [] },
        { text: 'INSERT INTO contract_missing VALUES (1)', values: [] },
        { text: 'INSERT INTO contract_b VALUES (2)', values: [] },
      ]).catch((e: unknown) => e);
      expect(failed).toMatchObject({ code: '42P01', severity: 'ERROR', pipelineParsedSome: true });
      expect((await conn.query('SELECT count(*)::int AS n FROM contract_b')).rows[0]).toEqual({ n: 0 });
    });
  });

  it('named statements are tracked in connection.parsedStatements, pg skips Parse for a known name, and resetPrepared makes it parse again', async () => {
    await withConn(async (conn) => {
      const connection = (conn as unknown as { connection: { parsedStatements: Record<string, string> } }).connection;
      await conn.query({ name: 'up_contract', text: 'SELECT 1 AS one' });
      expect(connection.parsedStatements.up_contract).toBe('SELECT 1 AS one');
      // Server forgets, client remembers: pg sends Bind without Parse and the server refuses.
      await conn.query('DEALLOCATE ALL');
      await expect(conn.query({ name: 'up_contract', text: 'SELECT 1 AS one' })).rejects.toMatchObject({ code: '26000' });
      await resetPrepared(conn);
      expect(connection.parsedStatements).toEqual({});
      expect((await conn.query({ name: 'up_contract', text: 'SELECT 1 AS one' })).rows).toEqual([{ one: 1 }]);
    });
  });

  it('pool.connect() rejects with a message matching /timeout/ once connectionTimeoutMillis passes with every client busy', async () => {
    const small = new pg.Pool(poolConfigFromUrl(database.url, { max: 1, connectionTimeoutMillis: 100 }));
    const held = await small.connect();
    try {
      await expect(small.connect()).rejects.toThrow(/timeout/i);
    } finally {
      held.release();
      await small.end();
    }
  });

  it('release(error) destroys the client instead of returning it to the pool', async () => {
    const small = new pg.Pool(poolConfigFromUrl(database.url, { max: 1 }));
    try {
      const pid = async (c: pg.PoolClient) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const a = await small.connect();
      const first = await pid(a);
      a.release();
      const b = await small.connect();
      expect(await pid(b)).toBe(first); // a plain release pools the connection
      b.release(new Error('broken'));
      const c = await small.connect();
      expect(await pid(c)).not.toBe(first);
      c.release();
    } finally {
      await small.end();
    }
  });
});

describe('@prisma/adapter-pg', () => {
  it('queryRaw runs on this.client: an object made from the adapter with its own client runs there (how withTenant pins it to one connection)', async () => {
    await withConn(async (conn) => {
      const pinned = Object.create(adapter) as Adapter;
      pinned.client = conn;
      const mine = await pinned.queryRaw(q('SELECT pg_backend_pid() AS pid'));
      const direct = (await conn.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      expect(mine.rows[0]![0]).toBe(direct);
    });
  });

  it('queryRaw calls client.query with rowMode "array" and types.getTypeParser(oid, "text"), and reads fields and rows of the result', async () => {
    let config: { rowMode?: string; types?: { getTypeParser(oid: number, format: string): (v: string) => unknown } } | undefined;
    const fake = Object.create(adapter) as Adapter;
    fake.client = {
      async query(c: typeof config) {
        config = c;
        return { fields: [{ name: 'n', dataTypeID: 20 }], rows: [['5']], rowCount: 1, command: 'SELECT' };
      },
    };
    const result = await fake.queryRaw(q('SELECT 5::int8 AS n'));
    expect(config?.rowMode).toBe('array');
    expect(typeof config?.types?.getTypeParser(20, 'text')).toBe('function');
    expect(result).toEqual({ columnNames: ['n'], columnTypes: [ColumnTypeEnum.Int64], rows: [['5']] });
  });

  it('maps OIDs to the column types cell() reads, "char" (18) and name (19) as Text by our patch', async () => {
    const r = await adapter.queryRaw(
      q(
        `SELECT 1::int4 a, 1::int8 b, 1.5::numeric c, now() d, '{}'::jsonb e, true f, 'x'::"char" g, 'n'::name h, '\\x01'::bytea i, ARRAY[1]::int4[] j, current_date k, '{}'::json l, 't'::text m`,
      ),
    );
    const T = ColumnTypeEnum;
    expect(r.columnTypes).toEqual([
      T.Int32,
      T.Int64,
      T.Numeric,
      T.DateTime,
      T.Json,
      T.Boolean,
      T.Text,
      T.Text,
      T.Bytes,
      T.Int32Array,
      T.Date,
      T.Json,
      T.Text,
    ]);
  });

  it('its type parsers give the raw forms cell() expects: int8 and numeric as exact strings, timestamps as parseable strings, json as text, int4 and bool as values', async () => {
    const r = await adapter.queryRaw(
      q(
        `SELECT 9007199254740993::int8 b, 1.50::numeric c, '2026-01-02T03:04:05.678Z'::timestamptz d, '{"x":1}'::jsonb e, 7::int4 a, true f`,
      ),
    );
    const [b, c, d, e, a, f] = r.rows[0]!;
    expect(b).toBe('9007199254740993');
    expect(c).toBe('1.50');
    expect(typeof d).toBe('string');
    expect(new Date(d as string).toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(typeof e).toBe('string');
    expect(JSON.parse(e as string)).toEqual({ x: 1 });
    expect([a, f]).toEqual([7, true]);
  });

  it('a Postgres error rejects as DriverAdapterError with cause.originalCode (SQLSTATE) and cause.originalMessage', async () => {
    const error = await adapter.queryRaw(q('SELECT * FROM contract_nowhere')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('DriverAdapterError');
    expect((error as { cause: unknown }).cause).toMatchObject({
      originalCode: '42P01',
      originalMessage: 'relation "contract_nowhere" does not exist',
    });
  });

  it('startTransaction sends BEGIN itself and says so with usePhantomQuery: false (the bound transaction overrides both)', async () => {
    const tx = await adapter.startTransaction();
    try {
      expect(tx.options).toEqual({ usePhantomQuery: false });
      const r = await tx.queryRaw(q(`SELECT now() = statement_timestamp() AS fresh`));
      expect(r.rows[0]![0]).toBe(false); // inside a transaction block: now() is the transaction's start
    } finally {
      await tx.executeRaw(q('ROLLBACK'));
      await tx.rollback();
    }
  });

  it('executeScript (patched) sends a script as one query, so DO $$…;…$$ blocks survive', async () => {
    await adapter.executeScript(`DO $$ BEGIN PERFORM 1; PERFORM 2; END $$; SELECT 1;`);
  });

  it('connectToShadowDb (patched) closes the shadow pool before dropping its database', async () => {
    const shadow = (await new PrismaPg(poolConfigFromUrl(database.url, { max: 1 })).connectToShadowDb()) as unknown as Adapter;
    const name = (await shadow.queryRaw(q('SELECT current_database() AS d'))).rows[0]![0] as string;
    expect(name).toMatch(/^prisma_migrate_shadow_db_/);
    await shadow.dispose();
    const left = await pool.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    expect(left.rowCount).toBe(0);
  });
});

describe('Prisma client with a driver adapter', () => {
  /** A client whose adapter hands out a transaction the test opened itself, as bindableAdapter does. */
  async function boundClient() {
    const factory = new PrismaPg(pool);
    const connect = factory.connect.bind(factory);
    const als = new AsyncLocalStorage<{ conn: pg.PoolClient }>();
    const log = { sql: [] as string[], commits: 0, rollbacks: 0, sawStore: [] as boolean[] };
    factory.connect = async () => {
      const a = (await connect()) as unknown as Adapter;
      a.startTransaction = async () => {
        const store = als.getStore();
        log.sawStore.push(store !== undefined);
        const pinned = Object.create(a) as AdapterTx & { client: unknown };
        pinned.client = store!.conn;
        const tx = Object.create(pinned) as AdapterTx;
        tx.queryRaw = (query) => (log.sql.push(query.sql), pinned.queryRaw(query));
        tx.executeRaw = (query) => (log.sql.push(query.sql), pinned.executeRaw(query));
        tx.options = { usePhantomQuery: true };
        tx.commit = async () => void log.commits++;
        tx.rollback = async () => void log.rollbacks++;
        return tx;
      };
      return a as unknown as Awaited<ReturnType<PrismaPg['connect']>>;
    };
    const prisma = new PrismaClient({ adapter: factory });
    return { prisma, als, log };
  }

  it('$transaction calls adapter.startTransaction in the caller’s async context, so an AsyncLocalStorage store set around it is visible', async () => {
    const { prisma, als, log } = await boundClient();
    await withConn(async (conn) => {
      await conn.query('BEGIN');
      await als.run({ conn }, () => prisma.$transaction(async (ptx) => ptx.tenant.count()));
      await conn.query('ROLLBACK');
    });
    expect(log.sawStore).toEqual([true]);
    await prisma.$disconnect();
  });

  it('with usePhantomQuery: true Prisma sends no BEGIN, COMMIT or ROLLBACK and calls commit() or rollback() once (COMMIT stays with withTenant)', async () => {
    const { prisma, als, log } = await boundClient();
    await withConn(async (conn) => {
      await conn.query('BEGIN');
      await als.run({ conn }, () =>
        prisma.$transaction(async (ptx) => {
          await ptx.tenant.create({ data: { id: 'ten_contract', slug: 'contract', name: 'C' } });
          return ptx.tenant.findMany({ where: { id: 'ten_contract' } });
        }),
      );
      expect(log).toMatchObject({ commits: 1, rollbacks: 0 });
      // Not committed by Prisma: the row is still only in our open transaction.
      expect((await pool.query(`SELECT 1 FROM tenants WHERE id = 'ten_contract'`)).rowCount).toBe(0);
      await expect(
        als.run({ conn }, () =>
          prisma.$transaction(async (ptx) => {
            await ptx.tenant.count();
            throw new Error('use case failed');
          }),
        ),
      ).rejects.toThrow('use case failed');
      expect(log).toMatchObject({ commits: 1, rollbacks: 1 });
      await conn.query('ROLLBACK');
    });
    expect(log.sql.length).toBeGreaterThan(0);
    expect(log.sql.filter((s) => /^\s*(BEGIN|COMMIT|ROLLBACK|SET TRANSACTION)/i.test(s))).toEqual([]);
    await prisma.$disconnect();
  });

  it('$transaction’s maxWait does not bound the wait for a pooled connection: the pool’s connectionTimeoutMillis does, with pg’s timeout error (withTenant maps it to P2028)', async () => {
    const small = new pg.Pool(poolConfigFromUrl(database.url, { max: 1, connectionTimeoutMillis: 300 }));
    const prisma = new PrismaClient({ adapter: new PrismaPg(small) });
    const held = await small.connect();
    try {
      const error = await prisma.$transaction(async (ptx) => ptx.tenant.count(), { maxWait: 50 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/timeout/i);
      expect((error as { code?: string }).code).not.toBe('P2028');
    } finally {
      held.release();
      await prisma.$disconnect();
      await small.end();
    }
  });

  it('an interactive transaction used after its timeout rejects with code P2028', async () => {
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    try {
      const error = await prisma
        .$transaction(
          async (ptx) => {
            await new Promise((r) => setTimeout(r, 200));
            return ptx.tenant.count();
          },
          { timeout: 50 },
        )
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'P2028' });
    } finally {
      await prisma.$disconnect();
    }
  });
});
