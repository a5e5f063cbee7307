// Captures every statement the app sends to Postgres and checks each one that touches a tenant
// table: it must name tenant_id in an equality for every tenant table it reads or writes (so a
// database sharded by tenant_id routes it to one shard), and it must never set tenant_id.
//
// How: each pooled connection's socket writes are read when the connection is first acquired:
// every Parse message (extended protocol: the app's pipelines and Prisma's statements) and
// every simple Query, so the text recorded is exactly what went on the wire. The check is a heuristic on the text,
// not a SQL parser (docs/SCALING.md "Citus" lists its limits): string literals and quotes are
// removed, every `FROM` / `JOIN` / `UPDATE` / `INTO` of a tenant table is found with its alias,
// and that alias (or the table's name, or a bare column when the statement names one table)
// must appear in `… .tenant_id = …` or `… = … .tenant_id`; an INSERT must list tenant_id among
// its columns. `SET … tenant_id =` (UPDATE, ON CONFLICT DO UPDATE) is refused outright.
import type pg from 'pg';
import { onSocketWrites } from './socket-writes.ts';

/** What a check found wrong with one statement. */
export interface FilterProblem {
  statement: string;
  problem: string;
}

/**
 * Statements allowed without a tenant filter, each with its reason: the lookups by secret
 * (API.md "Lookups by secret": an API key or a member token resolved by its hash, through the
 * plain index on hash; on Citus the one statement that visits every shard).
 */
export const UNFILTERED_ALLOWED: { reason: string; test: RegExp }[] = [
  { reason: 'API key lookup by secret', test: /\bfrom api_keys k join tenants t on t\.id = k\.tenant_id where k\.hash = \$1\b/ },
  {
    reason: 'member token lookup by secret',
    test: /\bfrom member_sessions s join tenants t on t\.id = s\.tenant_id\b.* where s\.hash = \$1\b/,
  },
];

const KEYWORDS = new Set(
  'where on set join left right inner outer full cross natural group order limit offset values select returning using for union except intersect having window as lateral default on conflict do nothing update delete insert into from with and or not'.split(
    ' ',
  ),
);

/** The statement as the check reads it: no comments, literals, quotes or schema prefix; one line, lower case. */
export function normalise(text: string): string {
  return text
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "'?'")
    .replace(/"/g, '')
    .replace(/\bpublic\./gi, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Every reference to one of `tables` in the statement: the table and the name it goes by. */
export function tableReferences(sql: string, tables: ReadonlySet<string>): { table: string; alias: string; kind: string; index: number }[] {
  const out: { table: string; alias: string; kind: string; index: number }[] = [];
  for (const m of sql.matchAll(/\b(from|join|update|into)\s+([a-z_][a-z0-9_]*)(\s*\()?(?:\s+(?:as\s+)?([a-z_][a-z0-9_]*))?/g)) {
    const [, kind, table, call, next] = m;
    if ((call && kind !== 'into') || !tables.has(table!)) continue;
    const alias = !call && next && !KEYWORDS.has(next) ? next : table!;
    out.push({ table: table!, alias, kind: kind!, index: m.index });
  }
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The problems of one statement (none when it touches no tenant table). */
export function checkStatement(text: string, tenantTables: ReadonlySet<string>): FilterProblem[] {
  const sql = normalise(text);
  const refs = tableReferences(sql, tenantTables);
  if (!refs.length) return [];
  const problems: string[] = [];
  // Setting tenant_id: in an UPDATE's SET list or an upsert's DO UPDATE SET list.
  for (const m of sql.matchAll(/\bset\b(.*?)(?=\bwhere\b|\breturning\b|\bfrom\b|$)/g)) {
    if (/(^|,)\s*(?:[a-z_]+\.)?tenant_id\s*=/.test(m[1]!)) problems.push('sets tenant_id');
  }
  if (UNFILTERED_ALLOWED.some((a) => a.test.test(sql))) return problems.map((problem) => ({ statement: text, problem }));
  const single = new Set(refs.map((r) => r.alias)).size === 1;
  const prismaStatement = text.includes('"public".');
  // Where the next table is named: a bare `tenant_id = …` between a table and the next one is
  // that table's (its own WHERE or ON).
  const allRefs = [...sql.matchAll(/\b(?:from|join|update|into)\s+[a-z_]/g)].map((m) => m.index);
  for (const r of refs) {
    if (r.kind === 'into') {
      const columns = /^\s*(?:as\s+[a-z_]+\s*)?\(([^)]*)\)/.exec(sql.slice(r.index + `into ${r.table}`.length));
      if (!columns || !/(^|,)\s*tenant_id\s*(,|$)/.test(columns[1]!)) problems.push(`inserts into ${r.table} without a tenant_id column`);
      continue;
    }
    const a = escape(r.alias);
    const qualified = new RegExp(`\\b${a}\\.tenant_id\\s*=(?!\\s*(?:any|all|some)\\b)|=\\s*${a}\\.tenant_id\\b`);
    const bare = /(^|[^.a-z_])tenant_id\s*=\s*(\$\d+|'\?'|[a-z_]+\.tenant_id\b)/;
    const segment = sql.slice(r.index, allRefs.find((i) => i > r.index) ?? sql.length);
    if (qualified.test(sql) || (r.alias === r.table && (bare.test(segment) || (single && bare.test(sql))))) continue;
    // Prisma's batched relation loads list the parent rows' tenant ids (`tenant_id IN ($1,$2)`,
    // every one the transaction's tenant): pruned by Citus to that tenant's shard.
    if (prismaStatement && new RegExp(`\\b${a}\\.tenant_id in \\((\\$\\d+|null)(,\\s*\\$\\d+)*\\)`).test(sql)) continue;
    problems.push(`${r.kind} ${r.table}${r.alias !== r.table ? ` ${r.alias}` : ''} without a tenant_id equality`);
  }
  return [...new Set(problems)].map((problem) => ({ statement: text, problem }));
}

/**
 * The statement texts in a chunk written to a Postgres socket: each Parse message ('P': name,
 * then text) and each simple Query ('Q': text). A chunk holds whole messages (node-postgres's
 * own writes, or a pipeline written at once).
 */
export function statementTexts(chunk: Buffer): string[] {
  const texts: string[] = [];
  let at = 0;
  while (at + 5 <= chunk.length) {
    const type = chunk[at]!;
    const length = chunk.readInt32BE(at + 1);
    const body = at + 5;
    const end = at + 1 + length;
    if (length < 4 || end > chunk.length) break;
    if (type === 0x51) texts.push(chunk.toString('utf8', body, chunk.indexOf(0, body)));
    if (type === 0x50) {
      const nameEnd = chunk.indexOf(0, body);
      texts.push(chunk.toString('utf8', nameEnd + 1, chunk.indexOf(0, nameEnd + 1)));
    }
    at = end;
  }
  return texts;
}

/** Records the text of every statement sent on the pool's connections from now on. */
export function captureStatements(pool: pg.Pool): { statements: Set<string> } {
  const capture = { statements: new Set<string>() };
  onSocketWrites(pool, (chunk) => {
    for (const text of statementTexts(chunk)) capture.statements.add(text);
  });
  return capture;
}
