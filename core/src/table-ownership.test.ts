import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One owner per table: every table is written only by the module that owns it (the module table
 * of docs/ARCHITECTURE.md); other modules go through its use cases or its exported SQL
 * builders. This test scans the sources of core, api, worker and infra for SQL writes
 * (INSERT INTO / UPDATE … SET / DELETE FROM / MERGE INTO, in Prisma.sql or plain template
 * strings) and Prisma model writes, and fails when a file writes a table its module does not own.
 * `members` is owned by column group (the "Columns of members" table): UPDATE members SET and
 * Prisma member.update data are checked column by column.
 */

const ROOT = resolve(import.meta.dirname, '../..');

/** The owner of each table. Must equal the module table of docs/ARCHITECTURE.md. */
const TABLE_OWNERS: Record<string, string> = {
  tenants: 'tenants',
  stores: 'stores',
  users: 'auth',
  api_keys: 'auth',
  session: 'auth',
  members: 'members',
  identities: 'identities',
  programs: 'program',
  tiers: 'tiers',
  tier_changes: 'tiers',
  benefit_usages: 'benefits',
  benefits: 'benefits',
  benefit_grants: 'benefits',
  entitlement_uses: 'benefits',
  benefit_packs: 'benefits',
  gift_grants: 'benefits',
  coupon_templates: 'coupons',
  coupons: 'coupons',
  rewards: 'rewards',
  plans: 'plans',
  member_plans: 'plans',
  plan_events: 'plans',
  audit_log: 'audit',
  outbox_events: 'webhooks',
  webhook_endpoints: 'webhooks',
  webhook_deliveries: 'webhooks',
  webhook_attempts: 'webhooks',
  retention_runs: 'retention',
  keep_tier_gifts: 'retention',
  recompute_runs: 'recompute',
  idempotency_records: 'idempotency',
  points_ledger: 'points',
  points_lots: 'points',
  points_lot_uses: 'points',
  growth_ledger: 'growth',
  orders: 'orders',
  order_refunds: 'orders',
  activities: 'activities',
  check_ins: 'activities',
  rfm_snapshots: 'analytics',
  imports: 'imports',
  import_lines: 'imports',
  tasks: 'tasks',
  task_events: 'tasks',
  task_progress: 'tasks',
  referrals: 'tasks',
  campaigns: 'campaigns',
  campaign_applications: 'campaigns',
  member_sessions: 'sessions',
  inbox_messages: 'inbox',
};

/** Columns of `members` owned by another module than `members`. Must equal the docs table. */
const MEMBER_COLUMN_OWNERS: Record<string, string> = {
  points_balance: 'points',
  growth: 'growth',
  tier_code: 'tiers',
  tier_since: 'tiers',
  trial_until: 'tiers',
  protected_until: 'tiers',
  flagged: 'orders',
  flagged_at: 'orders',
  merged_into_id: 'merges',
  merged_at: 'merges',
};
/** Bookkeeping every writer of a row sets. */
const ANY_WRITER_COLUMNS = new Set(['updated_at']);

function docsOwners(): { tables: Record<string, string>; memberColumns: Record<string, string> } {
  const doc = readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
  const section = (title: string) => {
    const start = doc.indexOf(title);
    if (start < 0) throw new Error(`docs/ARCHITECTURE.md has no "${title}"`);
    const rest = doc.slice(start + title.length);
    const end = rest.search(/\n#{2,3} /);
    return end < 0 ? rest : rest.slice(0, end);
  };
  const rows = (text: string) =>
    text
      .split('\n')
      .filter((l) => /^\| `[a-z_]+` \|/.test(l))
      .map((l) => l.split('|').map((c) => c.trim()));
  const tables: Record<string, string> = {};
  for (const [, mod, owns] of rows(section('## Modules (core/src)'))) {
    // Only the part before a parenthesis names owned tables ("— (`members.merged_into_id`)").
    for (const m of owns!.split('(')[0]!.matchAll(/`([a-z_]+)`/g)) tables[m[1]!] = mod!.replaceAll('`', '');
  }
  const memberColumns: Record<string, string> = {};
  for (const [, column, owner] of rows(section('### Columns of `members`'))) {
    memberColumns[column!.replaceAll('`', '')] = owner!.replaceAll('`', '');
  }
  return { tables, memberColumns };
}

function modelTables(): Map<string, string> {
  const dir = join(ROOT, 'prisma/schema');
  const out = new Map<string, string>();
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.prisma')) continue;
    const text = readFileSync(join(dir, f), 'utf8');
    for (const m of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
      const table = /@@map\("(\w+)"\)/.exec(m[2]!)?.[1];
      if (table) out.set(m[1]![0]!.toLowerCase() + m[1]!.slice(1), table);
    }
  }
  return out;
}

function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'test' || name === 'dist') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|mts|mjs|js)$/.test(name) && !/\.test\.ts$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const ws of ['core', 'api', 'worker', 'infra']) walk(join(ROOT, ws));
  return out;
}

/** The module a file belongs to: core/src/<module>/…, else the workspace (api, worker, infra). */
function moduleOf(file: string): string {
  const rel = relative(ROOT, file).split('/');
  if (rel[0] === 'core' && rel[1] === 'src' && rel.length > 3) return rel[2]!;
  return rel[0]!;
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

/** The text from `from` up to the matching close of the bracket at `from`. */
function balanced(text: string, from: number): string {
  const open = text[from]!;
  const close = open === '{' ? '}' : open === '(' ? ')' : ']';
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === open) depth++;
    else if (text[i] === close && --depth === 0) return text.slice(from + 1, i);
  }
  return text.slice(from + 1);
}

/** Top-level parts of a comma list, skipping nested brackets and `${…}`. */
function topLevelParts(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of list) {
    if ('({['.includes(ch)) depth++;
    if (')}]'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

/** Columns assigned by an UPDATE … SET clause starting at `from` (after SET). */
function setColumns(text: string, from: number): string[] {
  const rest = text.slice(from);
  const end = rest.search(/\b(FROM|WHERE|RETURNING)\b|`/);
  const clause = end < 0 ? rest : rest.slice(0, end);
  return topLevelParts(clause)
    .map((p) => /^\s*([a-z_]+)\s*=/.exec(p)?.[1])
    .filter((c): c is string => Boolean(c));
}

interface Write {
  file: string;
  line: number;
  table: string;
  column?: string;
  writer: string;
}

function ownerOf(table: string, column: string | undefined): string | undefined {
  if (table === 'members' && column) return ANY_WRITER_COLUMNS.has(column) ? undefined : (MEMBER_COLUMN_OWNERS[column] ?? 'members');
  return TABLE_OWNERS[table];
}

function scan(file: string, text: string, models: Map<string, string>): Write[] {
  const writer = moduleOf(file);
  const line = (i: number) => text.slice(0, i).split('\n').length;
  const writes: Write[] = [];
  const tables = new Set(Object.keys(TABLE_OWNERS));
  const add = (i: number, table: string, columns?: string[]) => {
    if (!tables.has(table)) return;
    if (table === 'members' && columns) {
      for (const column of columns) writes.push({ file, line: line(i), table, column, writer });
    } else writes.push({ file, line: line(i), table, writer });
  };
  for (const m of text.matchAll(/\bINSERT\s+INTO\s+([a-z_]+)/gi)) add(m.index, m[1]!.toLowerCase());
  for (const m of text.matchAll(/\bDELETE\s+FROM\s+([a-z_]+)/gi)) add(m.index, m[1]!.toLowerCase());
  for (const m of text.matchAll(/\bMERGE\s+INTO\s+([a-z_]+)/gi)) add(m.index, m[1]!.toLowerCase());
  for (const m of text.matchAll(/\bUPDATE\s+([a-z_]+)(?:\s+(?:AS\s+)?(?!SET\b)[a-z_]+)?\s+SET\b/gi)) {
    const table = m[1]!.toLowerCase();
    add(m.index, table, table === 'members' ? setColumns(text, m.index + m[0].length) : undefined);
  }
  const ops = 'create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert|delete|deleteMany';
  for (const m of text.matchAll(new RegExp(`\\.(\\w+)\\s*\\.\\s*(${ops})\\s*\\(`, 'g'))) {
    const table = models.get(m[1]!);
    if (!table) continue;
    if (table === 'members' && /^update/.test(m[2]!)) {
      const args = balanced(text, m.index + m[0].length - 1);
      const data = /\bdata\s*:\s*\{/.exec(args);
      const keys = data ? topLevelParts(balanced(args, data.index + data[0].length - 1)).map((p) => /^\s*(\w+)\s*[:,]?/.exec(p)?.[1]) : [];
      add(m.index, table, keys.filter((k): k is string => Boolean(k)).map(snake));
    } else add(m.index, table);
  }
  return writes;
}

describe('one owner per table', () => {
  it('the ownership map is the module table of docs/ARCHITECTURE.md', () => {
    const docs = docsOwners();
    expect(docs.tables).toEqual(TABLE_OWNERS);
    expect(docs.memberColumns).toEqual(MEMBER_COLUMN_OWNERS);
  });

  it('every table of the Prisma schema has an owner', () => {
    const tables = [...modelTables().values()].sort();
    expect(tables).toEqual(Object.keys(TABLE_OWNERS).sort());
  });

  it('the scanner sees SQL and Prisma writes, members by column', () => {
    const models = modelTables();
    const found = scan(
      join(ROOT, 'core/src/orders/x.ts'),
      [
        'sql`INSERT INTO points_ledger (a) VALUES (1)`',
        'sql`UPDATE members m SET flagged = true, growth = m.growth + 1, updated_at = now() WHERE id = 1`',
        "`DELETE FROM member_plans WHERE x` ON CONFLICT DO UPDATE SET a = 1",
        'tx.tierChange.create({ data: {} }); tx.member.update({ where: {}, data: { pointsBalance: 1, name } })',
      ].join('\n'),
      models,
    );
    expect(found.map((w) => `${w.table}${w.column ? '.' + w.column : ''}`)).toEqual([
      'points_ledger',
      'member_plans',
      'members.flagged',
      'members.growth',
      'members.updated_at',
      'tier_changes',
      'members.points_balance',
      'members.name',
    ]);
    expect(found.filter((w) => ownerOf(w.table, w.column) !== undefined && ownerOf(w.table, w.column) !== w.writer).map((w) => w.table + (w.column ?? ''))).toEqual([
      'points_ledger',
      'member_plans',
      'membersgrowth',
      'tier_changes',
      'memberspoints_balance',
      'membersname',
    ]);
  });

  it('no module writes a table (or a members column) it does not own', () => {
    const models = modelTables();
    const violations = sources()
      .flatMap((file) => scan(file, readFileSync(file, 'utf8'), models))
      .filter((w) => {
        const owner = ownerOf(w.table, w.column);
        return owner !== undefined && owner !== w.writer;
      })
      .map((w) => `${relative(ROOT, w.file)}:${w.line} (${w.writer}) writes ${w.table}${w.column ? '.' + w.column : ''}, owned by ${ownerOf(w.table, w.column)}`);
    expect(violations).toEqual([]);
  });
});
