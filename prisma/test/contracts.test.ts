// Contracts with Prisma and node-postgres that need no database: the parts of their private or
// loosely documented surface that prisma/src builds on (see prisma/README.md, "Contracts").
// An upgrade that changes one of them fails here, not in production.
import { createRequire } from 'node:module';
import pg from 'pg';
import { ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import { describe, expect, it } from 'vitest';
import { Prisma } from '../src/generated/prisma/client.ts';

describe('Prisma.sql (statementOf sends .text and .values; every SQL builder nests fragments)', () => {
  it('Prisma.sql numbers its placeholders $1…$n in .text and flattens nested fragments, join, raw and empty into .values', () => {
    const inner = Prisma.sql`m.tenant_id = ${'t1'} AND m.id IN (${Prisma.join(['a', 'b'])})`;
    const sql = Prisma.sql`SELECT ${Prisma.raw('m.id')} FROM members m WHERE ${inner} AND m.points >= ${10}${Prisma.empty}`;
    expect(sql.text).toBe('SELECT m.id FROM members m WHERE m.tenant_id = $1 AND m.id IN ($2,$3) AND m.points >= $4');
    expect(sql.values).toEqual(['t1', 'a', 'b', 10]);
    expect(sql.strings).toEqual(['SELECT m.id FROM members m WHERE m.tenant_id = ', ' AND m.id IN (', ',', ') AND m.points >= ', '']);
  });

  it('new Prisma.Sql(templateStrings, values) from a tagged call equals Prisma.sql (how tx.$queryRaw`…` arrives)', () => {
    const tag = (strings: TemplateStringsArray, ...values: unknown[]) => new Prisma.Sql(strings, values);
    const a = tag`SELECT ${1}::int AS n, ${Prisma.sql`${'x'}::text`} AS s`;
    const b = Prisma.sql`SELECT ${1}::int AS n, ${Prisma.sql`${'x'}::text`} AS s`;
    expect(a).toBeInstanceOf(Prisma.Sql);
    expect([a.text, a.values]).toEqual([b.text, b.values]);
    expect(a.text).toBe('SELECT $1::int AS n, $2::text AS s');
  });

  it('Prisma.Decimal.isDecimal recognises Prisma decimals (argument mapping sends them as strings)', () => {
    expect(Prisma.Decimal.isDecimal(new Prisma.Decimal('1.50'))).toBe(true);
    expect(Prisma.Decimal.isDecimal('1.50')).toBe(false);
    expect(new Prisma.Decimal('1.50').toString()).toBe('1.5');
  });
});

describe('@prisma/driver-adapter-utils (cell() maps each column type to $queryRaw’s value)', () => {
  it('ColumnTypeEnum has every column type cell() switches on, each a distinct number', () => {
    const used = [
      'Int32',
      'Int64',
      'Numeric',
      'DateTime',
      'Date',
      'Time',
      'Json',
      'Boolean',
      'Bytes',
      'Text',
      'Int32Array',
      'Int64Array',
      'NumericArray',
      'DateTimeArray',
      'DateArray',
      'TimeArray',
      'JsonArray',
      'BooleanArray',
      'BytesArray',
    ] as const;
    const values = used.map((name) => ColumnTypeEnum[name]);
    for (const v of values) expect(typeof v).toBe('number');
    expect(new Set(values).size).toBe(used.length);
  });
});

describe('node-postgres internals (pipeline.ts)', () => {
  it('pg/lib/utils.js exports prepareValue, which serialises parameters as pg sends them', () => {
    const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue(v: unknown): unknown };
    expect(typeof prepareValue).toBe('function');
    expect(prepareValue(['a', 'b'])).toBe('{"a","b"}');
    expect(prepareValue([1, null])).toBe('{"1",NULL}');
    expect(prepareValue({ a: 1 })).toBe('{"a":1}');
    expect(prepareValue(5)).toBe('5');
    expect(prepareValue(true)).toBe('true');
    expect(prepareValue(null)).toBeNull();
    expect(Buffer.isBuffer(prepareValue(Buffer.from('x')))).toBe(true);
  });

  it('pg.Connection has the extended-protocol writers the pipeline calls (parse, bind, describe, execute, sync)', () => {
    const proto = (pg as unknown as { Connection: { prototype: Record<string, unknown> } }).Connection.prototype;
    for (const method of ['parse', 'bind', 'describe', 'execute', 'sync']) expect(typeof proto[method], method).toBe('function');
  });
});
