// The tenant-filter check itself (tenant-filters.ts): what it accepts and what it refuses, so
// the integration run that feeds it every statement of a journey can be trusted.
import { describe, expect, it } from 'vitest';
import { checkStatement, statementTexts } from './tenant-filters.ts';

const TABLES = new Set(['members', 'orders', 'points_ledger', 'tiers', 'api_keys', 'member_sessions']);
const problems = (sql: string) => checkStatement(sql, TABLES).map((p) => p.problem);

describe('checkStatement', () => {
  it('accepts statements that filter every tenant table on tenant_id equality', () => {
    expect(problems('SELECT 1')).toEqual([]);
    expect(problems(`SET LOCAL app.tenant_id = 'ten_1'`)).toEqual([]);
    expect(problems('SELECT * FROM members WHERE tenant_id = $1 AND id = $2')).toEqual([]);
    expect(
      problems(
        'SELECT "public"."members"."id" FROM "public"."members" WHERE ("public"."members"."tenant_id" = $1 AND "public"."members"."id" = $2)',
      ),
    ).toEqual([]);
    expect(
      problems(
        'SELECT m.id, (SELECT x.response FROM orders x WHERE x.tenant_id = m.tenant_id AND x.id = $2) FROM members m WHERE m.tenant_id = $1',
      ),
    ).toEqual([]);
    expect(
      problems('UPDATE members SET points_balance = members.points_balance + 1 FROM m WHERE members.tenant_id = $1 AND members.id = $2'),
    ).toEqual([]);
    expect(
      problems(
        'INSERT INTO "public"."tiers" ("tenant_id","code","name") VALUES ($1,$2,$3) ON CONFLICT ("tenant_id","code") DO UPDATE SET "name" = $4',
      ),
    ).toEqual([]);
    expect(problems('INSERT INTO points_ledger (tenant_id, id, delta) VALUES ($1, $2, $3)')).toEqual([]);
    expect(problems('SELECT k.id, t.status FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.hash = $1')).toEqual([]);
  });

  it('refuses a tenant table read or written without a tenant_id equality', () => {
    expect(problems('SELECT * FROM members WHERE id = $1')).toEqual(['from members without a tenant_id equality']);
    expect(problems('SELECT * FROM members m JOIN orders o ON o.member_id = m.id WHERE m.tenant_id = $1')).toEqual([
      'join orders o without a tenant_id equality',
    ]);
    expect(problems('SELECT * FROM members m LEFT JOIN orders x ON x.tenant_id = ANY($1) WHERE m.tenant_id = $2')).toEqual([
      'join orders x without a tenant_id equality',
    ]);
    expect(problems('DELETE FROM orders WHERE id = $1')).toEqual(['from orders without a tenant_id equality']);
    expect(problems('INSERT INTO points_ledger (id, delta) VALUES ($1, $2)')).toEqual([
      'inserts into points_ledger without a tenant_id column',
    ]);
    expect(problems('SELECT * FROM member_sessions WHERE hash = $1')).toEqual(['from member_sessions without a tenant_id equality']);
  });

  it('refuses any statement that sets tenant_id, in an UPDATE or an upsert', () => {
    expect(problems('UPDATE tiers SET tenant_id = $1, name = $2 WHERE tenant_id = $1 AND code = $3')).toEqual(['sets tenant_id']);
    expect(
      problems(
        'INSERT INTO "public"."tiers" ("tenant_id","code") VALUES ($1,$2) ON CONFLICT ("tenant_id","code") DO UPDATE SET "name" = $3, "tenant_id" = $4',
      ),
    ).toEqual(['sets tenant_id']);
    expect(problems("UPDATE members SET name = 'tenant_id = 1' WHERE tenant_id = $1")).toEqual([]);
  });
});

describe('checkStatement, scopes', () => {
  it('reads a bare tenant_id as the filter of the table it follows', () => {
    expect(
      problems(
        'WITH m AS (SELECT 1 FROM members WHERE tenant_id = $1 AND EXISTS (SELECT 1 FROM orders WHERE tenant_id = $2)) SELECT 1 FROM m',
      ),
    ).toEqual([]);
    expect(
      problems('WITH m AS (SELECT 1 FROM members WHERE tenant_id = $1 AND EXISTS (SELECT 1 FROM orders WHERE id = $2)) SELECT 1 FROM m'),
    ).toEqual(['from orders without a tenant_id equality']);
  });

  it("takes Prisma's relation loads by the parents' tenant ids, and only Prisma's", () => {
    expect(
      problems(
        'SELECT "public"."orders"."id" FROM "public"."orders" WHERE ("public"."orders"."tenant_id" IN ($1,$2) AND "public"."orders"."member_id" IN ($3,$4))',
      ),
    ).toEqual([]);
    expect(problems('SELECT id FROM orders WHERE orders.tenant_id IN ($1, $2)')).toEqual(['from orders without a tenant_id equality']);
  });
});

describe('statementTexts (what the capture reads off the wire)', () => {
  const message = (type: string, body: Buffer) => {
    const head = Buffer.alloc(5);
    head.write(type, 0);
    head.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([head, body]);
  };
  const cstr = (s: string) => Buffer.from(`${s}\0`, 'utf8');
  it('finds every Parse and simple Query in a chunk of whole messages, and nothing else', () => {
    const chunk = Buffer.concat([
      message('P', Buffer.concat([cstr('up_a'), cstr('SELECT 1 FROM members WHERE tenant_id = $1'), Buffer.from([0, 0])])),
      message('B', Buffer.concat([cstr(''), cstr('up_a'), Buffer.from([0, 0, 0, 0, 0, 1, 0, 0])])),
      message('P', Buffer.concat([cstr(''), cstr("SET LOCAL app.tenant_id = 't-1'"), Buffer.from([0, 0])])),
      message('S', Buffer.alloc(0)),
    ]);
    expect(statementTexts(chunk)).toEqual(['SELECT 1 FROM members WHERE tenant_id = $1', "SET LOCAL app.tenant_id = 't-1'"]);
    expect(statementTexts(message('Q', cstr('BEGIN; SELECT ’多字节’')))).toEqual(['BEGIN; SELECT ’多字节’']);
    expect(statementTexts(Buffer.from([0x53, 0, 0, 0, 4]))).toEqual([]);
  });
});
