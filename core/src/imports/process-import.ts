import { Prisma, queryBatch, withTenant, type Db, type Tx } from '@unionpoint/db';
import { systemContext, type TenantContext } from '../shared/context.ts';
import { AppError, isIntegerOverflow } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { writeHistoryGrowthSql } from '../growth/index.ts';
import { identitiesOwnersSql, insertImportedIdentitiesSql, lockMemberRefsSql } from '../identities/index.ts';
import { insertImportedMembersSql } from '../members/index.ts';
import { existingOrdersSql, insertImportedOrdersSql, memberOrderHistorySql } from '../orders/index.ts';
import { openLotsSql, PointsKind, writeHistoryPointsSql, type OpenLot } from '../points/index.ts';
import { getProgram } from '../program/index.ts';
import { getLadder, writeTierHistorySql } from '../tiers/index.ts';
import type { ImportKind } from './imports.contract.ts';
import {
  emptyRows,
  LocalClock,
  replayBalances,
  replayOrders,
  type BalanceRecord,
  type MemberState,
  type OrderRecord,
  type ReplayRows,
} from './replay.ts';

export interface ProcessImportOptions {
  /** Lines applied per batch, one transaction each (a member's lines are never split: a batch ends before the member that would pass it). */
  batchSize?: number;
  /** The clock (opening balances are credited at it). */
  now?: () => Date;
  /** Called after each committed batch (progress; tests use it to simulate a crash). */
  afterBatch?: (progress: { processed: number; imported: number; skipped: number; cursor: string }) => void | Promise<void>;
}

export interface ImportOutcome {
  status: 'completed' | 'failed' | 'skipped';
  processed: number;
  imported: number;
  skipped: number;
}

type Line = { line: number; key: string; record: unknown };
type BatchResult = { imported: number; skipped: number; errors: { line: number; message: string }[] };

/** Never equal to a live request's hash, so the same externalId sent live later is 409, not a replay. */
const importHash = (importId: string) => `import:${importId}`;

async function memberStates(tx: Tx, ctx: TenantContext, memberIds: string[], withOrders: boolean): Promise<Map<string, MemberState>> {
  const statements = [
    Prisma.sql`SELECT id, tier_code AS "tierCode", growth, points_balance AS balance, flagged FROM members WHERE tenant_id = ${ctx.tenantId} AND id = ANY(${memberIds}::text[])`,
    openLotsSql(ctx, memberIds),
    ...(withOrders ? [memberOrderHistorySql(ctx, memberIds)] : []),
  ];
  const [members, lots, orders] = (await queryBatch(tx, statements)) as [
    { id: string; tierCode: string; growth: number; balance: number; flagged: boolean }[],
    OpenLot[],
    { memberId: string; amountCents: number; completedAt: Date; refunds: { amountCents: number; at: string }[] }[] | undefined,
  ];
  const out = new Map<string, MemberState>();
  for (const m of members)
    out.set(m.id, { memberId: m.id, tierCode: m.tierCode, growth: m.growth, balance: m.balance, flagged: m.flagged, lots: [], orders: [] });
  for (const l of lots)
    out.get(l.memberId)?.lots.push({ id: l.id, entryId: l.entryId, remaining: l.remaining, earnedAt: new Date(l.earnedAt) });
  for (const o of orders ?? []) {
    out.get(o.memberId)?.orders.push({
      amountCents: o.amountCents,
      completedAt: new Date(o.completedAt),
      refunds: o.refunds.map((r) => ({ amountCents: r.amountCents, at: new Date(r.at) })),
    });
  }
  return out;
}

function writeRows(ctx: TenantContext, rows: ReplayRows): Prisma.Sql[] {
  return [
    ...insertImportedOrdersSql(ctx, rows.orders, rows.refunds),
    ...writeHistoryPointsSql(ctx, {
      entries: rows.entries,
      lots: rows.lots,
      lotRemaining: [...rows.lotRemaining].map(([id, remaining]) => ({ id, remaining })),
      balances: [...rows.balanceDelta].map(([memberId, delta]) => ({ memberId, delta })),
    }),
    ...writeHistoryGrowthSql(ctx, rows.growth),
    ...writeTierHistorySql(ctx, rows.tierChanges, { move: true }),
  ].filter((s): s is Prisma.Sql => s !== null);
}

/** Members: created with their join date in the entry tier, identities bound, the enrolled history row. */
async function applyMembers(tx: Tx, ctx: TenantContext, lines: Line[]): Promise<BatchResult> {
  const ladder = await getLadder(tx, ctx);
  const entry = ladder[0];
  if (!entry) throw new AppError('business_rule', 'The tenant has no tier ladder');
  const errors: BatchResult['errors'] = [];
  let skipped = 0;
  type Rec = {
    unionId: string;
    joinedAt: string;
    openIds: { storeId: string; openId: string }[];
    profile: { name?: string; phone?: string; email?: string; birthday?: string };
  };
  const first = new Map<string, Line & { rec: Rec }>();
  for (const l of lines) {
    const rec = l.record as Rec;
    const seen = first.get(rec.unionId);
    if (seen) errors.push({ line: l.line, message: `unionId '${rec.unionId}' is on line ${seen.line} already` });
    else first.set(rec.unionId, { ...l, rec });
  }
  const candidates = [...first.values()];
  const pairs = candidates.flatMap((c) => c.rec.openIds);
  const [known, owners] = (await queryBatch(tx, [
    Prisma.sql`SELECT union_id FROM members WHERE tenant_id = ${ctx.tenantId} AND union_id = ANY(${candidates.map((c) => c.rec.unionId)}::text[])`,
    identitiesOwnersSql(ctx, pairs.length ? pairs : [{ storeId: '', openId: '' }]),
  ])) as [{ union_id: string }[], { store_id: string; open_id: string }[]];
  const knownIds = new Set(known.map((k) => k.union_id));
  const taken = new Set(owners.map((o) => `${o.store_id}\u0000${o.open_id}`));
  const toInsert: (Line & { rec: Rec; id: string })[] = [];
  for (const c of candidates) {
    if (knownIds.has(c.rec.unionId)) {
      skipped++;
      continue;
    }
    const clash = c.rec.openIds.find((o) => taken.has(`${o.storeId}\u0000${o.openId}`));
    if (clash) {
      errors.push({ line: c.line, message: `openId '${clash.openId}' is bound to another member in that store` });
      continue;
    }
    for (const o of c.rec.openIds) taken.add(`${o.storeId}\u0000${o.openId}`);
    toInsert.push({ ...c, id: newId('mem') });
  }
  if (toInsert.length === 0) return { imported: 0, skipped: skipped + errors.length, errors };
  const inserted = await tx.$queryRaw<{ id: string; union_id: string }[]>(
    insertImportedMembersSql(
      ctx,
      toInsert.map((m) => ({
        id: m.id,
        unionId: m.rec.unionId,
        name: m.rec.profile.name ?? null,
        phone: m.rec.profile.phone ?? null,
        email: m.rec.profile.email ?? null,
        birthday: m.rec.profile.birthday ?? null,
        tierCode: entry.code,
        joinedAt: new Date(m.rec.joinedAt),
      })),
    ),
  );
  const done = new Set(inserted.map((r) => r.id));
  const created = toInsert.filter((m) => done.has(m.id));
  // A member enrolled live meanwhile (same unionId) is left alone.
  skipped += toInsert.length - created.length;
  const statements = [
    insertImportedIdentitiesSql(
      ctx,
      created.flatMap((m) =>
        m.rec.openIds.map((o) => ({
          id: newId('idn'),
          memberId: m.id,
          storeId: o.storeId,
          openId: o.openId,
          at: new Date(m.rec.joinedAt),
        })),
      ),
    ),
    ...writeTierHistorySql(
      ctx,
      created.map((m) => ({
        id: newId('tch'),
        memberId: m.id,
        from: null,
        to: entry.code,
        reason: 'enrolled',
        at: new Date(m.rec.joinedAt),
      })),
      { move: false },
    ),
  ].filter((s): s is Prisma.Sql => s !== null);
  if (statements.length) await queryBatch(tx, statements);
  return { imported: created.length, skipped: skipped + errors.length, errors };
}

type RawOrder = {
  externalId: string;
  member: string;
  storeId: string;
  amountCents: number;
  completedAt: string;
  refunds: { refundId: string; amountCents: number; at: string }[];
};
type RawBalance = { member: string; points: number; reference: string; expiresAt: string | null };

/** Resolves and locks the batch's members; lines naming nobody are reported. */
async function resolveMembers<T extends { member: string; storeId?: string }>(
  tx: Tx,
  ctx: TenantContext,
  lines: Line[],
  errors: BatchResult['errors'],
): Promise<Map<string, (Line & { rec: T })[]>> {
  const refs = new Map<string, { ref: string; storeId: string | null }>();
  const refKey = (r: T) => `${r.member}\u0000${r.member.startsWith('openid:') ? (r.storeId ?? '') : ''}`;
  for (const l of lines) {
    const r = l.record as T;
    refs.set(refKey(r), { ref: r.member, storeId: r.member.startsWith('openid:') ? (r.storeId ?? null) : null });
  }
  const list = [...refs.values()];
  const rows = await tx.$queryRaw<{ ref: string; store_id: string; member_id: string }[]>(lockMemberRefsSql(ctx, list));
  const found = new Map(rows.map((r) => [`${r.ref}\u0000${r.ref.startsWith('openid:') ? r.store_id : ''}`, r.member_id]));
  const byMember = new Map<string, (Line & { rec: T })[]>();
  for (const l of lines) {
    const rec = l.record as T;
    const memberId = found.get(refKey(rec));
    if (!memberId) {
      errors.push({
        line: l.line,
        message: `member: no member '${rec.member}'${rec.member.startsWith('openid:') ? ' in that store' : ''} (import the members first)`,
      });
      continue;
    }
    const list = byMember.get(memberId) ?? [];
    list.push({ ...l, rec });
    byMember.set(memberId, list);
  }
  return byMember;
}

/** Orders with refunds, replayed per member in event time (replay.ts), written set-based. */
async function applyOrders(tx: Tx, ctx: TenantContext, importId: string, lines: Line[]): Promise<BatchResult> {
  const errors: BatchResult['errors'] = [];
  let skipped = 0;
  const [program, ladder] = await Promise.all([getProgram(tx, ctx), getLadder(tx, ctx)]);
  const byMember = await resolveMembers<RawOrder>(tx, ctx, lines, errors);
  const all = [...byMember.values()].flat();
  const existing = all.length
    ? await tx.$queryRaw<{ store_id: string; external_id: string }[]>(
        existingOrdersSql(
          ctx,
          all.map((l) => ({ storeId: l.rec.storeId, externalId: l.rec.externalId })),
        ),
      )
    : [];
  const seen = new Map(existing.map((e) => [`${e.store_id}\u0000${e.external_id}`, 0]));
  const states = await memberStates(tx, ctx, [...byMember.keys()], program.qualificationModel !== 'growth');
  const rows = emptyRows();
  const clock = new LocalClock(program.timezone, program.expiry.months);
  let imported = 0;
  for (const [memberId, mine] of byMember) {
    const records: OrderRecord[] = [];
    for (const l of mine.sort((a, b) => a.line - b.line)) {
      const at = claimRecord(seen, `${l.rec.storeId}\u0000${l.rec.externalId}`, l.line);
      if (at === 'imported') {
        skipped++;
        continue;
      }
      if (at !== null) {
        errors.push({ line: l.line, message: `externalId '${l.rec.externalId}' of that store is on line ${at} already` });
        continue;
      }
      records.push({
        line: l.line,
        externalId: l.rec.externalId,
        storeId: l.rec.storeId,
        amountCents: l.rec.amountCents,
        completedAt: new Date(l.rec.completedAt),
        refunds: l.rec.refunds.map((f) => ({ refundId: f.refundId, amountCents: f.amountCents, at: new Date(f.at) })),
      });
    }
    if (records.length === 0) continue;
    replayOrders(program, ladder, states.get(memberId)!, records, rows, importHash(importId), clock);
    imported += records.length;
  }
  const statements = writeRows(ctx, rows);
  if (statements.length) await queryBatch(tx, statements);
  // Lines whose member is missing count as skipped too (their errors are in `errors`).
  return { imported, skipped: skipped + errors.length, errors };
}

/**
 * A record's key against what is known of it (`seen`: 0 = imported by an earlier batch or
 * upload, N = taken by line N of this batch): 'imported' (skip it), the earlier line's number
 * (a repeat within the file), or null — then the key is taken for `line`.
 */
function claimRecord(seen: Map<string, number>, key: string, line: number): 'imported' | number | null {
  const at = seen.get(key);
  if (at === 0) return 'imported';
  if (at !== undefined) return at;
  seen.set(key, line);
  return null;
}

/** Opening balances, one credit each, idempotent per member and reference. */
async function applyBalances(tx: Tx, ctx: TenantContext, lines: Line[], now: Date): Promise<BatchResult> {
  const errors: BatchResult['errors'] = [];
  let skipped = 0;
  const program = await getProgram(tx, ctx);
  const byMember = await resolveMembers<RawBalance>(tx, ctx, lines, errors);
  const ids = [...byMember.keys()];
  const done = ids.length
    ? await tx.$queryRaw<{ member_id: string; idempotency_key: string }[]>`
        SELECT member_id, idempotency_key FROM points_ledger
        WHERE tenant_id = ${ctx.tenantId} AND member_id = ANY(${ids}::text[]) AND kind = ${PointsKind.OpeningBalance}`
    : [];
  const seen = new Map(done.map((d) => [`${d.member_id}\u0000${d.idempotency_key}`, 0]));
  const states = await memberStates(tx, ctx, ids, false);
  const rows = emptyRows();
  let imported = 0;
  for (const [memberId, mine] of byMember) {
    const records: BalanceRecord[] = [];
    for (const l of mine.sort((a, b) => a.line - b.line)) {
      const at = claimRecord(seen, `${memberId}\u0000${l.rec.reference}`, l.line);
      if (at === 'imported') {
        skipped++;
        continue;
      }
      if (at !== null) {
        errors.push({ line: l.line, message: `reference '${l.rec.reference}' of that member is on line ${at} already` });
        continue;
      }
      records.push({
        line: l.line,
        points: l.rec.points,
        reference: l.rec.reference,
        expiresAt: l.rec.expiresAt ? new Date(l.rec.expiresAt) : null,
      });
    }
    if (records.length === 0) continue;
    replayBalances(program, states.get(memberId)!, records, rows, now);
    imported += records.length;
  }
  const statements = writeRows(ctx, rows);
  if (statements.length) await queryBatch(tx, statements);
  return { imported, skipped: skipped + errors.length, errors };
}

type ImportState = {
  id: string;
  kind: ImportKind;
  status: string;
  cursor: string | null;
  processed: number;
  imported: number;
  skipped: number;
};

async function lockImport(tx: Tx, ctx: TenantContext, importId: string): Promise<ImportState | undefined> {
  const [row] = await tx.$queryRaw<ImportState[]>`
    SELECT id, kind, status, cursor, processed, imported, skipped FROM imports WHERE tenant_id = ${ctx.tenantId} AND id = ${importId} FOR UPDATE`;
  return row;
}

/**
 * Applies a received import to the end, batch by batch (about `batchSize` lines, whole members,
 * per transaction), resuming from its cursor: each batch's writes, its line errors and the advanced
 * cursor commit together, so a worker killed mid-batch leaves the batch to be done again and
 * nothing twice. Every line of one key is in one batch, so a member's history is replayed in
 * event time whatever the order of the file. Running it again after completion changes nothing.
 */
export async function processImport(
  db: Db,
  tenantId: string,
  importId: string,
  options: ProcessImportOptions = {},
): Promise<ImportOutcome> {
  const ctx = systemContext(tenantId, 'imports');
  const batchSize = options.batchSize ?? 10_000;
  const now = options.now ?? (() => new Date());
  const started = await withTenant(db.prisma, tenantId, async (tx) => {
    const row = await lockImport(tx, ctx, importId);
    if (!row || row.status !== 'processing') return null;
    await tx.$executeRaw`UPDATE imports SET started_at = COALESCE(started_at, ${new Date()}::timestamptz), heartbeat_at = now(), updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${importId}`;
    return row;
  });
  if (!started) return { status: 'skipped', processed: 0, imported: 0, skipped: 0 };
  try {
    for (;;) {
      const step = await withTenant(
        db.prisma,
        tenantId,
        async (tx) => {
          // The import row lock serialises two workers on one import: the second sees the advanced cursor.
          const row = (await lockImport(tx, ctx, importId))!;
          if (row.status !== 'processing') return { done: true, row };
          // The next lines in key order, on the (import, key, line) index: `batchSize` of them,
          // less the last key's (it may go on past the limit), or all of one key that alone
          // passes the limit. Every line of a key is in one batch.
          const after = row.cursor ?? '';
          const next = await tx.$queryRaw<Line[]>`
            SELECT line, key, record FROM import_lines
            WHERE tenant_id = ${tenantId} AND import_id = ${importId} AND key > ${after}
            ORDER BY key, line LIMIT ${batchSize + 1}`;
          let lines = next;
          if (next.length > batchSize) {
            const cut = next[batchSize]!.key;
            lines = next.filter((l) => l.key !== cut);
            if (lines.length === 0) {
              lines = await tx.$queryRaw<Line[]>`
                SELECT line, key, record FROM import_lines WHERE tenant_id = ${tenantId} AND import_id = ${importId} AND key = ${cut} ORDER BY line`;
            }
          }
          if (lines.length === 0) {
            await tx.$executeRaw`UPDATE imports SET status = 'completed', finished_at = now(), heartbeat_at = now(), updated_at = now()
              WHERE tenant_id = ${tenantId} AND id = ${importId}`;
            return { done: true, row };
          }
          const last = lines[lines.length - 1]!.key;
          const result =
            row.kind === 'members'
              ? await applyMembers(tx, ctx, lines)
              : row.kind === 'orders'
                ? await applyOrders(tx, ctx, importId, lines)
                : await applyBalances(tx, ctx, lines, now());
          await queryBatch(tx, [
            ...(result.errors.length
              ? [
                  Prisma.sql`UPDATE import_lines l SET error = x.error
                    FROM unnest(${result.errors.map((e) => e.line)}::int[], ${result.errors.map((e) => e.message)}::text[]) AS x(line, error)
                    WHERE l.tenant_id = ${tenantId} AND l.import_id = ${importId} AND l.line = x.line`,
                ]
              : []),
            // The applied lines are not needed any more (errors stay for GET /v1/imports/:id).
            Prisma.sql`DELETE FROM import_lines WHERE tenant_id = ${tenantId} AND import_id = ${importId} AND key > ${row.cursor ?? ''} AND key <= ${last} AND error IS NULL`,
            Prisma.sql`UPDATE imports SET cursor = ${last}, processed = processed + ${lines.length}::int, imported = imported + ${result.imported}::int,
                         skipped = skipped + ${result.skipped}::int, heartbeat_at = now(), updated_at = now()
                       WHERE tenant_id = ${tenantId} AND id = ${importId}`,
          ]);
          return {
            done: false,
            row: {
              ...row,
              cursor: last,
              processed: row.processed + lines.length,
              imported: row.imported + result.imported,
              skipped: row.skipped + result.skipped,
            },
          };
        },
        { timeoutMs: 120_000 },
      );
      if (step.done) {
        const r = step.row;
        return { status: r.status === 'failed' ? 'failed' : 'completed', processed: r.processed, imported: r.imported, skipped: r.skipped };
      }
      await options.afterBatch?.({
        processed: step.row.processed,
        imported: step.row.imported,
        skipped: step.row.skipped,
        cursor: step.row.cursor!,
      });
    }
  } catch (error) {
    // A value past 2³¹−1 or a rule the data breaks fails the same way every time: the import
    // stops as failed with the reason instead of being retried for ever.
    if (!isIntegerOverflow(error) && !(error instanceof AppError)) throw error;
    const message = error instanceof AppError ? error.detail : 'a balance or amount would pass the largest allowed value (2147483647)';
    await withTenant(
      db.prisma,
      tenantId,
      (tx) =>
        tx.$executeRaw`UPDATE imports SET status = 'failed', error = ${message}, finished_at = now(), updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${importId}`,
    );
    return { status: 'failed', processed: 0, imported: 0, skipped: 0 };
  }
}
