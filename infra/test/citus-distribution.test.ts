// The Citus distribution script knows every table of the Prisma schema: each tenant table
// (a model with `tenantId`) is distributed by tenant_id colocated with members, each platform
// table is a reference table, and a migration written after the script's layout (from
// 20261203000000 on) that creates a tenant table distributes it (up_distribute_tenant_table)
// before any foreign key of its own. A new table missing from infra/citus/distribute.sql, or
// given its keys before its distribution, fails here (docs/SCALING.md "Citus").
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const script = readFileSync(path.join(root, 'infra/citus/distribute.sql'), 'utf8');
const schemaDir = path.join(root, 'prisma/schema');
const migrationsDir = path.join(root, 'prisma/migrations');

/** Platform tables: one copy on every node. `users` has a tenant_id (null for platform staff). */
const REFERENCE_TABLES = ['tenants', 'users'];
/** Platform tables left on the coordinator: the dashboard's login sessions (see the script). */
const COORDINATOR_TABLES = ['session'];
/** The migration that set the layout; later ones follow the rule. */
const FIRST_RULED_MIGRATION = '20261203000000';

interface Model {
  name: string;
  table: string;
  tenant: boolean;
}

function models(): Model[] {
  const out: Model[] = [];
  for (const file of readdirSync(schemaDir).filter((f) => f.endsWith('.prisma'))) {
    const text = readFileSync(path.join(schemaDir, file), 'utf8');
    for (const m of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
      const body = m[2]!;
      const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? m[1]!;
      out.push({ name: m[1]!, table, tenant: /^\s+tenantId\s/m.test(body) });
    }
  }
  return out;
}

const statements = (fn: string) =>
  [...script.matchAll(new RegExp(`^SELECT ${fn}\\('(\\w+)'(.*)\\);$`, 'gm'))].map((m) => ({ table: m[1]!, rest: m[2]! }));

describe('infra/citus/distribute.sql', () => {
  const all = models();
  const distributed = statements('create_distributed_table');
  const references = statements('create_reference_table').map((s) => s.table);

  it('reads the Prisma schema (a check over nothing proves nothing)', () => {
    expect(all.length).toBeGreaterThan(40);
    expect(all.filter((m) => m.tenant).length).toBeGreaterThan(35);
  });

  it('makes the platform tables reference tables, before any distributed table', () => {
    expect(references).toEqual(REFERENCE_TABLES);
    expect(script.indexOf('create_reference_table')).toBeLessThan(script.indexOf('create_distributed_table'));
    const platform = all
      .filter((m) => !m.tenant || REFERENCE_TABLES.includes(m.table))
      .map((m) => m.table)
      .sort();
    expect(platform).toEqual([...REFERENCE_TABLES, ...COORDINATOR_TABLES].sort());
    for (const table of COORDINATOR_TABLES) expect(script).not.toMatch(new RegExp(`create_(reference|distributed)_table\\('${table}'`));
  });

  it('distributes every tenant table of the schema by tenant_id, members first and the rest colocated with it', () => {
    const tenantTables = all
      .filter((m) => m.tenant && !REFERENCE_TABLES.includes(m.table))
      .map((m) => m.table)
      .sort();
    expect(distributed.map((d) => d.table).sort()).toEqual(tenantTables);
    expect(distributed[0]).toEqual({ table: 'members', rest: ", 'tenant_id'" });
    for (const d of distributed.slice(1)) expect(d.rest, d.table).toBe(", 'tenant_id', colocate_with => 'members'");
    expect(new Set(distributed.map((d) => d.table)).size).toBe(distributed.length);
  });

  it('drops the foreign keys before distributing and puts them back after', () => {
    const drop = script.indexOf('DROP CONSTRAINT');
    const add = script.indexOf('ADD CONSTRAINT');
    expect(drop).toBeGreaterThan(0);
    expect(drop).toBeLessThan(script.indexOf('create_reference_table'));
    expect(add).toBeGreaterThan(script.lastIndexOf('create_distributed_table'));
  });

  it('a migration from the layout on distributes each tenant table it creates before giving it a foreign key', () => {
    const ruled = readdirSync(migrationsDir).filter((d) => /^\d{14}_/.test(d) && d.slice(0, 14) >= FIRST_RULED_MIGRATION);
    expect(ruled.length).toBeGreaterThan(0);
    const problems = ruled.flatMap((dir) =>
      distributionProblems(dir, readFileSync(path.join(migrationsDir, dir, 'migration.sql'), 'utf8')),
    );
    expect(problems).toEqual([]);
  });

  it('the migration rule bites: a table never distributed, a key inside CREATE TABLE, a key before the distribution', () => {
    const table = (name: string, extra = '') =>
      `CREATE TABLE "${name}" (\n  "tenant_id" TEXT NOT NULL,\n  "id" TEXT NOT NULL${extra}\n);\n`;
    const fk = (name: string) =>
      `ALTER TABLE "${name}" ADD CONSTRAINT "${name}_fk" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON UPDATE RESTRICT;\n`;
    const good = table('good') + "SELECT up_distribute_tenant_table('good');\n" + fk('good');
    expect(distributionProblems('m', good)).toEqual([]);
    expect(distributionProblems('m', table('never') + fk('never'))).toEqual(['m: never is never passed to up_distribute_tenant_table()']);
    expect(
      distributionProblems(
        'm',
        table('inline', ',\n  FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id")') + "SELECT up_distribute_tenant_table('inline');\n",
      ),
    ).toEqual(['m: inline has a foreign key inside its CREATE TABLE (add it after up_distribute_tenant_table)']);
    expect(distributionProblems('m', table('early') + fk('early') + "SELECT up_distribute_tenant_table('early');\n")).toEqual([
      'm: early gets a foreign key before up_distribute_tenant_table()',
    ]);
    expect(distributionProblems('m', 'CREATE TABLE "platform" (\n  "id" TEXT NOT NULL\n);\n')).toEqual([]);
  });
});

/** What breaks the rule in one migration: each tenant table it creates is distributed, then keyed. */
function distributionProblems(dir: string, sql: string): string[] {
  const problems: string[] = [];
  for (const m of sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?"?(\w+)"?\s*\(([\s\S]*?)\n\);/g)) {
    const [, table, columns] = m;
    if (!/"?tenant_id"?\s/.test(columns!) || REFERENCE_TABLES.includes(table!)) continue;
    const after = sql.slice(m.index + m[0].length);
    const distribute = after.search(new RegExp(`up_distribute_tenant_table\\('"?${table}"?'\\)`));
    if (distribute < 0) {
      problems.push(`${dir}: ${table} is never passed to up_distribute_tenant_table()`);
      continue;
    }
    if (/REFERENCES/.test(columns!))
      problems.push(`${dir}: ${table} has a foreign key inside its CREATE TABLE (add it after up_distribute_tenant_table)`);
    const fk = after.search(new RegExp(`ALTER TABLE "?${table}"?[^;]*FOREIGN KEY`));
    if (fk >= 0 && fk < distribute) problems.push(`${dir}: ${table} gets a foreign key before up_distribute_tenant_table()`);
  }
  return problems;
}
