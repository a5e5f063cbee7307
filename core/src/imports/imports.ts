import { withTenant, type Db, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, forbidden, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { afterCursor, decodeCursor, toPage, type Page, type PageQuery } from '../shared/pagination.ts';
import { isInTimestampRange } from '../shared/zod.ts';
import { recordAudit } from '../audit/index.ts';
import { OPENID_PREFIX } from '../identities/index.ts';
import {
  balanceRecordSchema,
  IMPORT_ERRORS_SHOWN,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_LINE_BYTES,
  memberRecordSchema,
  orderRecordSchema,
  type CreateImportInput,
  type ImportDto,
  type ImportKind,
  type ImportListItemDto,
} from './imports.contract.ts';

type ImportRow = {
  id: string;
  kind: string;
  status: string;
  total: number;
  processed: number;
  imported: number;
  skipped: number;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

function toListItem(r: ImportRow): ImportListItemDto {
  return {
    id: r.id,
    kind: r.kind as ImportKind,
    status: r.status as ImportDto['status'],
    total: r.total,
    processed: r.processed,
    imported: r.imported,
    skipped: r.skipped,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

const adminOnly = (ctx: TenantContext) => {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot import history');
};

/** A new import awaiting its upload (audited). */
export async function createImport(tx: Tx, ctx: TenantContext, input: CreateImportInput): Promise<{ id: string; status: 'awaiting_data' }> {
  adminOnly(ctx);
  const id = newId('imp');
  await tx.import.create({ data: { tenantId: ctx.tenantId, id, kind: input.kind, requestedBy: `${ctx.actor.type}:${ctx.actor.id}` } });
  await recordAudit(tx, ctx, { action: 'import.created', targetType: 'import', targetId: id, after: { kind: input.kind } });
  return { id, status: 'awaiting_data' };
}

export async function getImport(tx: Tx, ctx: TenantContext, id: string): Promise<ImportDto> {
  adminOnly(ctx);
  const row = await tx.import.findFirst({ where: { tenantId: ctx.tenantId, id } });
  if (!row) throw notFound('Import');
  const errors = await tx.importLine.findMany({
    where: { tenantId: ctx.tenantId, importId: id, error: { not: null } },
    orderBy: { line: 'asc' },
    take: IMPORT_ERRORS_SHOWN,
    select: { line: true, error: true },
  });
  return { ...toListItem(row), errors: errors.map((e) => ({ line: e.line, message: e.error! })) };
}

export async function listImports(tx: Tx, ctx: TenantContext, page: PageQuery): Promise<Page<ImportListItemDto>> {
  adminOnly(ctx);
  const rows = await tx.import.findMany({
    where: { tenantId: ctx.tenantId, ...afterCursor(decodeCursor(page.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  return toPage(rows, page.limit, toListItem, (r) => r.createdAt);
}

/** One staged line: its grouping key and record, or why it is skipped. */
export interface StagedLine {
  line: number;
  key: string | null;
  record: unknown;
  error: string | null;
}

interface ParseContext {
  kind: ImportKind;
  stores: Map<string, string>;
  now: Date;
}

const zodMessage = (issues: { path: PropertyKey[]; message: string }[]) =>
  issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? `${i.path.map(String).join('.')}: ` : ''}${i.message}`)
    .join('; ');

const notFuture = (s: string, now: Date) => new Date(s).getTime() <= now.getTime();

/**
 * Parses and validates one line of an upload into its staged form: the record with store codes
 * turned into ids and times normalised, and the key its lines are applied under (the member).
 */
export function parseImportLine(pc: ParseContext, line: number, text: string): StagedLine {
  const bad = (error: string): StagedLine => ({ line, key: null, record: null, error });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return bad('not a JSON object');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return bad('not a JSON object');
  const store = (code: string) => pc.stores.get(code);
  switch (pc.kind) {
    case 'members': {
      const r = memberRecordSchema.safeParse(json);
      if (!r.success) return bad(zodMessage(r.error.issues));
      const m = r.data;
      if (!notFuture(m.joinedAt, pc.now)) return bad('joinedAt: must not be in the future');
      const openIds: { storeId: string; openId: string }[] = [];
      for (const o of m.openIds ?? []) {
        const storeId = store(o.storeCode);
        if (!storeId) return bad(`openIds: no store with code '${o.storeCode}'`);
        openIds.push({ storeId, openId: o.openId });
      }
      return {
        line,
        key: m.unionId,
        record: { unionId: m.unionId, joinedAt: new Date(m.joinedAt).toISOString(), openIds, profile: m.profile ?? {} },
        error: null,
      };
    }
    case 'orders': {
      const r = orderRecordSchema.safeParse(json);
      if (!r.success) return bad(zodMessage(r.error.issues));
      const o = r.data;
      const storeId = store(o.storeCode);
      if (!storeId) return bad(`storeCode: no store with code '${o.storeCode}'`);
      if (!notFuture(o.completedAt, pc.now)) return bad('completedAt: must not be in the future');
      const completedAt = new Date(o.completedAt);
      const refunds = o.refunds ?? [];
      const ids = new Set<string>();
      let total = 0;
      for (const [i, f] of refunds.entries()) {
        if (ids.has(f.refundId)) return bad(`refunds.${i}.refundId: '${f.refundId}' appears twice`);
        ids.add(f.refundId);
        const at = new Date(f.at);
        if (at < completedAt) return bad(`refunds.${i}.at: before the order completed`);
        if (!notFuture(f.at, pc.now)) return bad(`refunds.${i}.at: must not be in the future`);
        total += f.amountCents;
      }
      if (total > o.amountCents) return bad(`refunds: they total ${total}, above amountCents ${o.amountCents}`);
      if (o.member.startsWith(OPENID_PREFIX) && o.member.length === OPENID_PREFIX.length) return bad('member: empty openId');
      // openIds are per store: the key names the store too.
      const key = o.member.startsWith(OPENID_PREFIX) ? `${o.member}@${storeId}` : o.member;
      return {
        line,
        key,
        record: {
          externalId: o.externalId,
          member: o.member,
          storeId,
          amountCents: o.amountCents,
          completedAt: completedAt.toISOString(),
          refunds: refunds.map((f) => ({ refundId: f.refundId, amountCents: f.amountCents, at: new Date(f.at).toISOString() })),
        },
        error: null,
      };
    }
    case 'points_balances': {
      const r = balanceRecordSchema.safeParse(json);
      if (!r.success) return bad(zodMessage(r.error.issues));
      const b = r.data;
      if (b.member.startsWith(OPENID_PREFIX)) return bad('member: must be a unionId (a balance has no store to look an openId up in)');
      if (b.expiresAt && !isInTimestampRange(new Date(b.expiresAt))) return bad('expiresAt: out of range');
      return {
        line,
        key: b.member,
        record: {
          member: b.member,
          points: b.points,
          reference: b.reference,
          expiresAt: b.expiresAt ? new Date(b.expiresAt).toISOString() : null,
        },
        error: null,
      };
    }
  }
}

/** Splits a byte stream into lines (LF or CRLF) without holding more than one line. */
export async function* ndjsonLines(
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  limits: { maxBytes: number; maxLineBytes: number },
): AsyncGenerator<{ line: number; text: string | null }> {
  let total = 0;
  let line = 0;
  let parts: Buffer[] = [];
  let partLen = 0;
  let tooLong = false;
  const flush = function* (): Generator<{ line: number; text: string | null }> {
    line++;
    if (tooLong) {
      yield { line, text: null };
    } else {
      let buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, partLen);
      if (buf.length && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
      yield { line, text: buf.toString('utf8') };
    }
    parts = [];
    partLen = 0;
    tooLong = false;
  };
  for await (const raw of chunks) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    total += chunk.length;
    if (total > limits.maxBytes) throw new AppError('payload_too_large', `The upload is larger than ${limits.maxBytes} bytes`);
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl === -1 ? chunk.length : nl;
      if (!tooLong) {
        if (partLen + (end - start) > limits.maxLineBytes) {
          tooLong = true;
          parts = [];
          partLen = 0;
        } else if (end > start) {
          // Copied: the chunk's buffer may be reused by the stream.
          parts.push(Buffer.from(chunk.subarray(start, end)));
          partLen += end - start;
        }
      }
      if (nl === -1) break;
      yield* flush();
      start = nl + 1;
    }
  }
  if (partLen > 0 || tooLong) yield* flush();
}

/** Lines staged per statement while an upload streams in. */
const STAGE_CHUNK = 2000;

/**
 * Receives an import's NDJSON upload as a stream: each line is parsed and validated as it
 * arrives and staged in Postgres in chunks of STAGE_CHUNK lines, each chunk its own
 * transaction, so the file is never held in memory. A later upload of the same import (a retry
 * after a broken connection) takes over: its first step clears what the earlier one staged, and
 * the earlier one stops (409) at its next chunk. The last step marks the import `processing`,
 * which the worker's dispatcher picks up. Blank lines are not records (their numbers still count).
 */
export async function receiveImportData(
  db: Db,
  ctx: TenantContext,
  importId: string,
  body: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: { now?: Date; maxBytes?: number } = {},
): Promise<{ id: string; status: 'processing'; total: number; skipped: number }> {
  adminOnly(ctx);
  const now = options.now ?? new Date();
  const token = newId('upl');
  const t = ctx.tenantId;
  const lock = async (tx: Tx) => {
    const [row] = await tx.$queryRaw<{ kind: ImportKind; status: string; cursor: string | null }[]>`
      SELECT kind, status, cursor FROM imports WHERE tenant_id = ${t} AND id = ${importId} FOR UPDATE`;
    if (!row) throw notFound('Import');
    if (row.status !== 'awaiting_data')
      throw new AppError('conflict', `This import is ${row.status}: its data was uploaded already (start a new import for another file)`);
    return row;
  };
  const { kind, stores } = await withTenant(db.prisma, t, async (tx) => {
    const row = await lock(tx);
    await tx.$executeRaw`DELETE FROM import_lines WHERE tenant_id = ${t} AND import_id = ${importId}`;
    await tx.$executeRaw`UPDATE imports SET cursor = ${token}, updated_at = now() WHERE tenant_id = ${t} AND id = ${importId}`;
    const rows = await tx.$queryRaw<{ code: string; id: string }[]>`SELECT code, id FROM stores WHERE tenant_id = ${t}`;
    return { kind: row.kind, stores: new Map(rows.map((s) => [s.code, s.id])) };
  });
  const pc: ParseContext = { kind, stores, now };
  let staged: StagedLine[] = [];
  let total = 0;
  let skipped = 0;
  const stage = async (final: boolean) => {
    const batch = staged;
    staged = [];
    await withTenant(db.prisma, t, async (tx) => {
      const row = await lock(tx);
      if (row.cursor !== token) throw new AppError('conflict', 'Another upload of this import started; this one stopped');
      if (batch.length) {
        await tx.$executeRaw`
          INSERT INTO import_lines (tenant_id, import_id, line, key, record, error)
          SELECT i.tenant_id, i.id, x.line, x.key, x.record, x.error
          FROM imports i CROSS JOIN unnest(${batch.map((l) => l.line)}::int[], ${batch.map((l) => l.key)}::text[], ${batch.map((l) => (l.record === null ? null : JSON.stringify(l.record)))}::jsonb[],
                      ${batch.map((l) => l.error)}::text[]) AS x(line, key, record, error)
          -- The tenant from the import's row (on Citus an INSERT … SELECT then runs on the tenant's shard with RLS kept).
          WHERE i.tenant_id = ${t} AND i.id = ${importId}`;
      }
      if (final) {
        await tx.$executeRaw`
          UPDATE imports SET status = 'processing', total = ${total}, processed = ${skipped}, skipped = ${skipped}, cursor = NULL,
                 received_at = ${now}::timestamptz, heartbeat_at = NULL, updated_at = now()
          WHERE tenant_id = ${t} AND id = ${importId}`;
        await recordAudit(tx, ctx, {
          action: 'import.uploaded',
          targetType: 'import',
          targetId: importId,
          after: { kind, total, skipped },
        });
      }
    });
  };
  for await (const { line, text } of ndjsonLines(body, {
    maxBytes: options.maxBytes ?? IMPORT_MAX_BYTES,
    maxLineBytes: IMPORT_MAX_LINE_BYTES,
  })) {
    if (text !== null && text.trim() === '') continue;
    total++;
    const parsed =
      text === null
        ? { line, key: null, record: null, error: `longer than ${IMPORT_MAX_LINE_BYTES} bytes` }
        : parseImportLine(pc, line, text);
    if (parsed.error !== null) skipped++;
    staged.push(parsed);
    if (staged.length >= STAGE_CHUNK) await stage(false);
  }
  if (total === 0)
    throw new AppError('validation_failed', 'The upload holds no records (one JSON object a line)', {
      errors: [{ path: 'body', message: 'empty' }],
    });
  await stage(true);
  return { id: importId, status: 'processing', total, skipped };
}

/**
 * Imports the worker should run: processing ones nobody is working on (no heartbeat yet, or one
 * older than `staleAfterMs`: their worker died). Cross-tenant: the dispatcher's read.
 */
export async function unsafeFindRunnableImports(
  pool: Db['pool'],
  staleAfterMs = 120_000,
): Promise<{ tenantId: string; importId: string; cursor: string | null }[]> {
  const { rows } = await pool.query<{ tenant_id: string; id: string; cursor: string | null }>(
    `SELECT tenant_id, id, cursor FROM imports
     WHERE status = 'processing' AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $1::int / 1000.0))
     ORDER BY created_at LIMIT 100`,
    [Math.max(0, Math.min(2_147_483_647, Math.trunc(staleAfterMs)))],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, importId: r.id, cursor: r.cursor }));
}
