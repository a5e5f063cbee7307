// withTenant: the tenant settings sent with BEGIN, transaction-local; raw SQL on the
// transaction's connection with Prisma's result types; model calls on the same transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, withTenant, afterCommit, deferStatement, leadStatement, queryBatch, APP_ROLE, Prisma, type Db } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';
import { boundTransaction } from '../src/tenant-transaction.ts';

let database: TestDatabase;
let db: Db;
type Settings = { tenant: string | null; role: string };
const settings = `SELECT current_setting('app.tenant_id', true) AS tenant, current_user AS role`;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb({ url: database.url, max: 3 });
  await db.prisma.$transaction(async (tx) => {
    await tx.tenant.create({ data: { id: 'tenant-t', slug: 'tenant-t', name: 'T' } });
    await tx.$executeRaw`SELECT set_config('app.tenant_id', 'tenant-t', true)`;
    await tx.tier.create({ data: { tenantId: 'tenant-t', code: 'bronze', name: 'Bronze', rank: 0 } });
  });
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

describe('withTenant', () => {
  it('runs as the app role with app.tenant_id set, for its transaction only', async () => {
    const inside = await withTenant(db.prisma, 'tenant-x', (tx) => tx.$queryRawUnsafe<Settings[]>(settings));
    expect(inside[0]).toEqual({ tenant: 'tenant-x', role: APP_ROLE });
    // The pooled connection is back to the owner role with no tenant afterwards.
    const c = await db.pool.connect();
    try {
      for (let i = 0; i < 3; i++) {
        const after = (await c.query<Settings>(settings)).rows[0]!;
        expect(after.role).not.toBe(APP_ROLE);
        expect(after.tenant || null).toBeNull();
      }
    } finally {
      c.release();
    }
  });

  it('sends the tenant as a literal SET LOCAL: any id arrives as it is, quotes and backslashes included', async () => {
    for (const id of ["ten_o'brien", 'ten_back\\slash', "x'; SET LOCAL ROLE postgres; --"]) {
      const inside = await withTenant(db.prisma, id, (tx) => tx.$queryRawUnsafe<Settings[]>(settings));
      expect(inside[0]).toEqual({ tenant: id, role: APP_ROLE });
      const ro = await withTenant(db.prisma, id, (tx) => tx.$queryRawUnsafe<Settings[]>(settings), { readOnly: true });
      expect(ro[0]).toEqual({ tenant: id, role: APP_ROLE });
    }
  });

  it('a read-only round trip that fails is rolled back: no connection is left in an aborted block', async () => {
    for (let i = 0; i < 6; i++) {
      await expect(withTenant(db.prisma, 'tenant-t', (tx) => tx.$queryRaw`SELECT 1 / 0 AS boom`, { readOnly: true })).rejects.toMatchObject(
        { code: '22012' },
      );
    }
    const after = await Promise.all(
      Array.from({ length: 6 }, () =>
        withTenant(db.prisma, 'tenant-t', (tx) => tx.$queryRawUnsafe<Settings[]>(settings), { readOnly: true }),
      ),
    );
    expect(after.map((r) => r[0]!.tenant)).toEqual(Array(6).fill('tenant-t'));
  });

  it('concurrent calls each see their own tenant', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `tenant-${i}`);
    const seen = await Promise.all(ids.map((id) => withTenant(db.prisma, id, (tx) => tx.$queryRawUnsafe<Settings[]>(settings))));
    expect(seen.map((r) => r[0]!.tenant)).toEqual(ids);
  });

  it('a transaction started inside the scope on the root client does not inherit the tenant', async () => {
    const nested = await withTenant(db.prisma, 'tenant-y', async () =>
      db.prisma.$transaction(async (tx) => tx.$queryRawUnsafe<Settings[]>(settings)),
    );
    expect(nested[0]!.role).not.toBe(APP_ROLE);
    expect(nested[0]!.tenant || null).toBeNull();
  });

  it('a failing use case rolls back and the settings do not leak', async () => {
    await expect(withTenant(db.prisma, 'tenant-z', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const plain = await db.prisma.$queryRawUnsafe<Settings[]>(settings);
    expect(plain[0]!.role).not.toBe(APP_ROLE);
  });

  it("raw SQL returns exactly what Prisma's $queryRaw returns, for every column type used", async () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    const sql = Prisma.sql`
      SELECT 1::int AS i4, 9007199254740993::bigint AS i8, count(*) AS n, 12.50::numeric AS num, sum(x)::numeric AS summed,
             ${at}::timestamptz AS ts, '2026-02-28'::date AS d, '{"a": [1, "b"]}'::jsonb AS j, true AS b, 'text' AS t,
             ARRAY['x', 'y'] AS ta, ARRAY[1, 2] AS ia, NULL::int AS nil, 1.5::float8 AS f, ${[1, 2, 3]}::int[] AS passed,
             ${12345678901234n}::bigint AS big_in, ${JSON.stringify({ k: 'v' })}::jsonb AS json_in
      FROM (VALUES (1), (2)) v(x)`;
    const viaPrisma = await db.prisma.$queryRaw<Record<string, unknown>[]>(sql);
    const viaTenant = await withTenant(db.prisma, 'tenant-t', (tx) => tx.$queryRaw<Record<string, unknown>[]>(sql));
    expect(viaTenant).toEqual(viaPrisma);
    const row = viaTenant[0]!;
    expect(row.i8).toBe(9007199254740993n);
    expect(row.n).toBe(2n);
    expect(row.num).toBeInstanceOf(Prisma.Decimal);
    expect(String(row.summed)).toBe('3');
    expect((row.ts as Date).toISOString()).toBe(at.toISOString());
    expect((row.d as Date).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(row.j).toEqual({ a: [1, 'b'] });
    expect(row.passed).toEqual([1, 2, 3]);
    expect(row.big_in).toBe(12345678901234n);
  });

  it('once a type is known, rows are decoded without the adapter and still equal $queryRaw, for every built-in type', async () => {
    const at = new Date('2024-02-29T23:59:59.999Z');
    const sql = Prisma.sql`
      SELECT 7::int2 AS i2, 1::int AS i4, (-9007199254740993)::bigint AS i8, 2.5::float4 AS f4, 1e-7::float8 AS f8,
             12.50::numeric AS num, '$12.50'::money AS m, ${at}::timestamptz AS ts, '2024-02-29 23:59:59.5'::timestamp AS tsl,
             '2024-02-29'::date AS d, '13:14:15.5'::time AS tm, '13:14:15+08'::timetz AS tmz, '{"a": null}'::json AS js,
             '[1, {"b": 2}]'::jsonb AS jb, false AS b, 'x'::char(3) AS bp, 'v'::varchar AS vc, 'n'::name AS nm, 42::oid AS o,
             '\\x00ff10'::bytea AS by, '11111111-2222-3333-4444-555555555555'::uuid AS u, '10.0.0.1/8'::inet AS ip,
             ARRAY[1, NULL]::int4[] AS ia, ARRAY[1, 2]::int8[] AS la, ARRAY[1.5, NULL]::numeric[] AS na, ARRAY[true, false] AS ba,
             ARRAY['a', NULL, 'c"d'] AS ta, ARRAY['2024-02-29', '2025-01-01']::date[] AS da, ARRAY[${at}::timestamptz] AS tsa,
             ARRAY['{"k": 1}'::jsonb] AS ja, ARRAY['\\x01'::bytea] AS bya, ARRAY['11111111-2222-3333-4444-555555555555'::uuid] AS ua,
             NULL::timestamptz AS nts, NULL::jsonb AS njs, NULL::int8[] AS nla, x AS dup, x + 1 AS dup
      FROM (VALUES (1), (2)) v(x)`;
    const viaPrisma = await db.prisma.$queryRaw<Record<string, unknown>[]>(sql);
    // The first call learns the types through the adapter; the later ones decode directly.
    for (let i = 0; i < 3; i++) {
      const viaTenant = await withTenant(db.prisma, 'tenant-t', (tx) => tx.$queryRaw<Record<string, unknown>[]>(sql));
      expect(viaTenant).toEqual(viaPrisma);
      const [batch] = await withTenant(db.prisma, 'tenant-t', (tx) => queryBatch(tx, [sql]));
      expect(batch).toEqual(viaPrisma);
    }
    expect(viaPrisma[0]!.i8).toBe(-9007199254740993n);
    expect(viaPrisma[1]!.dup).toBe(3);
  });

  it('a type the adapter refuses is still refused once the other types are known', async () => {
    await withTenant(db.prisma, 'tenant-t', (tx) => tx.$queryRaw`SELECT 1::int AS i`);
    await expect(withTenant(db.prisma, 'tenant-t', (tx) => tx.$queryRaw`SELECT 1::int AS i, '(1,2)'::point AS p`)).rejects.toThrow();
    await expect(db.prisma.$queryRaw`SELECT 1::int AS i, '(1,2)'::point AS p`).rejects.toThrow();
  });

  it('model calls and raw SQL share one transaction, and a failure rolls both back', async () => {
    const seen = await withTenant(db.prisma, 'tenant-t', async (tx) => {
      await tx.$executeRaw`INSERT INTO members (tenant_id, id, union_id, tier_code, updated_at) VALUES ('tenant-t', 'm-raw', 'u-raw', 'bronze', now())`;
      await tx.member.create({ data: { tenantId: 'tenant-t', id: 'm-model', unionId: 'u-model', tierCode: 'bronze' } });
      const both = await tx.member.findMany({ where: { tenantId: 'tenant-t' }, select: { id: true }, orderBy: { id: 'asc' } });
      const raw = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM members ORDER BY id`;
      return { both: both.map((m) => m.id), raw: raw.map((m) => m.id) };
    });
    expect(seen).toEqual({ both: ['m-model', 'm-raw'], raw: ['m-model', 'm-raw'] });

    await expect(
      withTenant(db.prisma, 'tenant-t', async (tx) => {
        await tx.$executeRaw`INSERT INTO members (tenant_id, id, union_id, tier_code, updated_at) VALUES ('tenant-t', 'm-gone1', 'u-gone1', 'bronze', now())`;
        await tx.member.create({ data: { tenantId: 'tenant-t', id: 'm-gone2', unionId: 'u-gone2', tierCode: 'bronze' } });
        throw new Error('use case failed');
      }),
    ).rejects.toThrow('use case failed');
    expect(await db.prisma.member.count({ where: { id: { in: ['m-gone1', 'm-gone2'] } } })).toBe(0);
  });

  it('model calls of concurrent transactions each bind to their own transaction, and the binding (a promise hook on every promise) is off once none is in flight', async () => {
    // Node's AsyncLocalStorage reports whether it is enabled (its hook runs) on `enabled`.
    const enabled = () => (boundTransaction as unknown as { enabled: boolean }).enabled;
    const during: boolean[] = [];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        withTenant(db.prisma, 'tenant-t', async (tx) => {
          await tx.member.create({ data: { tenantId: 'tenant-t', id: `m-conc-${i}`, unionId: `u-conc-${i}`, tierCode: 'bronze' } });
          during.push(enabled());
          // Raw SQL of the same transaction sees the model call's uncommitted row.
          const [row] = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM members WHERE id = ${`m-conc-${i}`}`;
          if (i % 2 === 1) throw new Error(`rolled back ${i}`);
          return row!.n;
        }),
      ),
    );
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([
      1,
      'rolled back 1',
      1,
      'rolled back 3',
      1,
      'rolled back 5',
    ]);
    expect(during).toEqual([true, true, true, true, true, true]);
    const kept = await db.prisma.member.findMany({
      where: { id: { startsWith: 'm-conc-' } },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    expect(kept.map((m) => m.id)).toEqual(['m-conc-0', 'm-conc-2', 'm-conc-4']);
    await db.prisma.member.deleteMany({ where: { id: { startsWith: 'm-conc-' } } });
    expect(enabled()).toBe(false);
    // Raw-only transactions never turn it on.
    await withTenant(db.prisma, 'tenant-t', (tx) => tx.$queryRaw`SELECT 1 AS one`);
    expect(enabled()).toBe(false);
  });

  it('statements started together run one after another on the connection', async () => {
    const got = await withTenant(db.prisma, 'tenant-t', (tx) =>
      Promise.all([
        tx.$queryRaw<{ v: number }[]>`SELECT 1 AS v FROM pg_sleep(0.02)`,
        tx.member.count(),
        tx.$queryRaw<{ v: number }[]>`SELECT 2 AS v`,
        tx.$executeRaw`UPDATE members SET name = 'x' WHERE id = 'm-raw'`,
      ]),
    );
    expect([got[0][0]!.v, got[1], got[2][0]!.v, got[3]]).toEqual([1, 2, 2, 1]);
  });

  it('a database error keeps its SQLSTATE and message, and rolls back', async () => {
    const err = (await withTenant(db.prisma, 'tenant-t', async (tx) => {
      await tx.$executeRaw`UPDATE members SET name = 'changed' WHERE id = 'm-raw'`;
      await tx.$executeRaw`INSERT INTO members (tenant_id, id, union_id, tier_code, updated_at) VALUES ('tenant-t', 'm-raw', 'dup', 'bronze', now())`;
    }).catch((e: unknown) => e as { code?: string; message: string })) as { code?: string; message: string };
    expect(err).toMatchObject({ code: '23505', name: 'DbQueryError' });
    expect(err.message).toMatch(/duplicate key/);
    const row = await db.prisma.member.findFirst({ where: { id: 'm-raw' } });
    expect(row?.name).toBe('x');
  });

  it('isolation level, and a transaction past its timeout is refused with P2028 and rolled back', async () => {
    const level = await withTenant(
      db.prisma,
      'tenant-t',
      (tx) => tx.$queryRaw<{ l: string }[]>`SELECT current_setting('transaction_isolation') AS l`,
      {
        isolationLevel: 'RepeatableRead',
      },
    );
    expect(level[0]!.l).toBe('repeatable read');
    await expect(
      withTenant(
        db.prisma,
        'tenant-t',
        async (tx) => {
          await tx.$executeRaw`UPDATE members SET name = 'late' WHERE id = 'm-raw'`;
          await new Promise((r) => setTimeout(r, 150));
          await tx.$executeRaw`UPDATE members SET name = 'later' WHERE id = 'm-raw'`;
        },
        { timeoutMs: 50 },
      ),
    ).rejects.toThrow(/closed: timed out/);
    await expect(
      withTenant(db.prisma, 'tenant-t', async () => new Promise((r) => setTimeout(r, 120)), { timeoutMs: 50 }),
    ).rejects.toMatchObject({ code: 'P2028' });
    const row = await db.prisma.member.findFirst({ where: { id: 'm-raw' } });
    expect(row?.name).toBe('x');
  });

  it('the pool is intact afterwards: every connection back, as the owner role', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => db.prisma.$queryRawUnsafe<Settings[]>(settings)));
    for (const r of results) expect(r[0]!.role).not.toBe(APP_ROLE);
    expect(db.pool.totalCount).toBeLessThanOrEqual(3);
    expect(db.pool.waitingCount).toBe(0);
  });

  it('deferred writes go with the commit, values intact, and a failing one rolls everything back', async () => {
    const odd = `it's a "quote" \\ back\\slash ${'\u00e9'} $1 ; DROP`;
    const at = new Date('2026-01-02T03:04:05.006Z');
    const seenInside = await withTenant(db.prisma, 'tenant-t', async (tx) => {
      await tx.$executeRaw`UPDATE members SET name = 'before' WHERE id = 'm-raw'`;
      await deferStatement(
        tx,
        Prisma.sql`UPDATE members SET name = ${odd}, birthday = ${'2000-02-29'}::date, trial_until = ${at}::timestamptz, points_balance = ${7} WHERE id = ${'m-raw'} AND union_id = ANY(${['u-raw', 'x']}::text[])`,
      );
      return (await tx.$queryRaw<{ name: string }[]>`SELECT name FROM members WHERE id = 'm-raw'`)[0]!.name;
    });
    expect(seenInside).toBe('before');
    const row = await db.prisma.member.findFirst({ where: { id: 'm-raw' } });
    expect(row).toMatchObject({ name: odd, pointsBalance: 7 });
    expect(row!.trialUntil!.toISOString()).toBe(at.toISOString());
    expect(row!.birthday!.toISOString().slice(0, 10)).toBe('2000-02-29');

    await expect(
      withTenant(db.prisma, 'tenant-t', async (tx) => {
        await tx.$executeRaw`UPDATE members SET name = 'lost' WHERE id = 'm-raw'`;
        await deferStatement(tx, Prisma.sql`UPDATE members SET name = 'lost too' WHERE id = 'm-model'`);
        await deferStatement(
          tx,
          Prisma.sql`INSERT INTO members (tenant_id, id, union_id, tier_code, updated_at) VALUES ('tenant-t', 'm-raw', 'again', 'bronze', now())`,
        );
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const after = await db.prisma.member.findMany({ where: { id: { in: ['m-raw', 'm-model'] } }, orderBy: { id: 'asc' } });
    expect(after.map((m) => m.name)).toEqual([null, odd]);
  });

  it('read-only: each round trip its own read-only transaction (BEGIN READ ONLY, the settings, COMMIT), writes refused, model calls in a read-only transaction', async () => {
    const seen = await withTenant(
      db.prisma,
      'tenant-t',
      async (tx) => {
        const a = await tx.$queryRaw<Settings[]>`SELECT current_setting('app.tenant_id', true) AS tenant, current_user AS role`;
        const b = await tx.$queryRaw<
          { ro: string; n: bigint }[]
        >`SELECT current_setting('transaction_read_only') AS ro, count(*) AS n FROM members`;
        const count = await tx.member.count();
        const c = await tx.$queryRaw<
          { ro: string; txid: string }[]
        >`SELECT current_setting('transaction_read_only') AS ro, txid_current_if_assigned()::text AS txid`;
        return { a: a[0], b: b[0], count, c: c[0] };
      },
      { readOnly: true },
    );
    expect(seen.a).toEqual({ tenant: 'tenant-t', role: APP_ROLE });
    expect(seen.b).toEqual({ ro: 'on', n: 2n });
    expect(seen.count).toBe(2);
    expect(seen.c!.ro).toBe('on');
    await expect(
      withTenant(db.prisma, 'tenant-t', (tx) => tx.$executeRaw`UPDATE members SET name = 'ro' WHERE id = 'm-raw'`, { readOnly: true }),
    ).rejects.toThrow(/read-only transaction/);
    expect((await db.prisma.member.findFirst({ where: { id: 'm-raw' } }))!.name).not.toBe('ro');
    const plain = await db.prisma.$queryRawUnsafe<Settings[]>(settings);
    expect(plain[0]!.role).not.toBe(APP_ROLE);
    expect(plain[0]!.tenant || null).toBeNull();
  });

  it('a batch runs in one round trip in order, each statement seeing the ones before; a failure part-way leaves every connection usable', async () => {
    const [inserted, seen] = await withTenant(db.prisma, 'tenant-t', (tx) =>
      queryBatch(tx, [
        Prisma.sql`UPDATE members SET name = ${'batched'} WHERE id = ${'m-model'} RETURNING id`,
        Prisma.sql`SELECT name, ${7}::int AS n, ${new Date('2026-05-06T07:08:09.010Z')}::timestamptz AS at FROM members WHERE id = ${'m-model'}`,
      ]),
    );
    expect(inserted).toEqual([{ id: 'm-model' }]);
    expect(seen).toEqual([{ name: 'batched', n: 7, at: new Date('2026-05-06T07:08:09.010Z') }]);

    // A statement never prepared before, then a failing one: the first one's Parse took effect
    // on the server, its client-side record did not; the connection is reset on release.
    const fresh = (i: number) => Prisma.sql`SELECT ${i}::int + 1 AS v, 'fresh statement' AS label`;
    for (let round = 0; round < 4; round++) {
      await expect(
        withTenant(db.prisma, 'tenant-t', (tx) =>
          queryBatch(tx, [
            fresh(round),
            Prisma.sql`INSERT INTO members (tenant_id, id, union_id, tier_code, updated_at) VALUES ('tenant-t', 'm-raw', 'dup', 'bronze', now())`,
          ]),
        ),
      ).rejects.toMatchObject({ code: '23505' });
    }
    const again = await Promise.all(
      Array.from({ length: 6 }, (_, i) => withTenant(db.prisma, 'tenant-t', (tx) => tx.$queryRaw<{ v: number }[]>(fresh(i)))),
    );
    expect(again.map((r) => r[0]!.v)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('afterCommit runs once COMMIT has succeeded, and never after a rollback', async () => {
    const seen: string[] = [];
    await withTenant(db.prisma, 'tenant-t', async (tx) => {
      await tx.$executeRaw`UPDATE members SET name = 'committed' WHERE id = 'm-raw'`;
      afterCommit(tx, () => seen.push('first'));
      afterCommit(tx, () => {
        throw new Error('ignored: the commit happened');
      });
      afterCommit(tx, () => seen.push('second'));
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual(['first', 'second']);
    await expect(
      withTenant(db.prisma, 'tenant-t', async (tx) => {
        afterCommit(tx, () => seen.push('rolled back'));
        await tx.$executeRaw`UPDATE members SET name = 'lost' WHERE id = 'm-raw'`;
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(seen).toEqual(['first', 'second']);
    expect((await db.prisma.member.findFirst({ where: { id: 'm-raw' } }))!.name).toBe('committed');
  });

  it('a lead statement goes first, with BEGIN, and its failure fails the first statement and rolls back', async () => {
    const first = await withTenant(db.prisma, 'tenant-t', async (tx) => {
      await leadStatement(tx, Prisma.sql`UPDATE members SET name = ${'led'} WHERE id = ${'m-raw'}`);
      return tx.$queryRaw<{ name: string; role: string }[]>`SELECT name, current_user AS role FROM members WHERE id = 'm-raw'`;
    });
    // Ran before the use case's first statement, as the app role (after the settings).
    expect(first).toEqual([{ name: 'led', role: APP_ROLE }]);
    await expect(
      withTenant(db.prisma, 'tenant-t', async (tx) => {
        await leadStatement(
          tx,
          Prisma.sql`INSERT INTO members (tenant_id, id, union_id, tier_code, updated_at) VALUES ('tenant-t', 'm-raw', 'dup', 'bronze', now())`,
        );
        await tx.$executeRaw`UPDATE members SET name = 'never' WHERE id = 'm-model'`;
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await db.prisma.member.findFirst({ where: { id: 'm-model' } }))!.name).not.toBe('never');
    await expect(
      withTenant(db.prisma, 'tenant-t', async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        await leadStatement(tx, Prisma.sql`SELECT 2`);
      }),
    ).rejects.toThrow(/after the transaction has sent its first statement/);
  });
});
