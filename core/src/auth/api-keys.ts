import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DbClient, Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, notFound, forbidden } from '../shared/errors.ts';
import { base58, newId } from '../shared/ids.ts';
import { decodeCursor, afterCursor, toPage, type Page, type PageQuery } from '../shared/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { announceChange } from '../shared/config-cache.ts';

export const API_KEY_PREFIX = 'up_';

/** `up_` + base58 of 32 random bytes. Only its sha256 is stored. */
export function generateApiKey(): { key: string; hash: string; start: string } {
  const key = API_KEY_PREFIX + base58(randomBytes(32));
  return { key, hash: hashApiKey(key), start: key.slice(0, 10) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Constant-time comparison of two secrets through their digests. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export interface ResolvedApiKey {
  keyId: string;
  tenantId: string;
  storeId: string | null;
  tenantStatus: 'active' | 'suspended';
}

/**
 * Looks a raw key up by its hash across tenants (the tenant is not known yet: this is what
 * establishes it). Revoked and unknown keys resolve to null.
 */
export async function unsafeResolveApiKey(prisma: DbClient, rawKey: string): Promise<ResolvedApiKey | null> {
  if (!rawKey.startsWith(API_KEY_PREFIX) || rawKey.length > 128) return null;
  // Runs on every request: one indexed raw read (no ORM query planning on the hot path).
  const rows = await prisma.$queryRaw<
    { id: string; tenant_id: string; store_id: string | null; revoked_at: Date | null; last_used_at: Date | null; status: 'active' | 'suspended' }[]
  >`SELECT k.id, k.tenant_id, k.store_id, k.revoked_at, k.last_used_at, t.status::text AS status
    FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
    WHERE k.hash = ${hashApiKey(rawKey)}`;
  const row = rows[0];
  if (!row || row.revoked_at) return null;
  // lastUsedAt is informational: refresh at most once a minute, off the request's critical path.
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    void prisma.$executeRaw`UPDATE api_keys SET last_used_at = now() WHERE tenant_id = ${row.tenant_id} AND id = ${row.id}`.catch(() => {});
  }
  return { keyId: row.id, tenantId: row.tenant_id, storeId: row.store_id, tenantStatus: row.status };
}

export interface ApiKeyDto {
  id: string;
  name: string;
  prefix: string;
  storeId: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

type ApiKeyRow = { id: string; name: string; start: string; storeId: string | null; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };
const toDto = (r: ApiKeyRow): ApiKeyDto => ({
  id: r.id,
  name: r.name,
  prefix: r.start,
  storeId: r.storeId,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  revokedAt: r.revokedAt?.toISOString() ?? null,
});

export async function createApiKey(
  tx: Tx,
  ctx: TenantContext,
  input: { name: string; storeId?: string | null | undefined },
): Promise<ApiKeyDto & { key: string }> {
  if (input.storeId) {
    const store = await tx.store.findUnique({ where: { tenantId_id: { tenantId: ctx.tenantId, id: input.storeId } } });
    if (!store) {
      // A bare store code is the usual slip: name the id it should have been.
      const byCode = await tx.store.findUnique({ where: { tenantId_code: { tenantId: ctx.tenantId, code: input.storeId } }, select: { id: true } });
      const message = byCode
        ? `Not a store id; the store with code '${input.storeId}' has id ${byCode.id} (or send code:${input.storeId})`
        : 'No such store: send a store id such as sto_…, or code:<store code> (GET /v1/stores lists both)';
      throw new AppError('validation_failed', `Unknown store. ${message}`, { errors: [{ path: 'storeId', message }] });
    }
  }
  if (ctx.boundStoreId) throw new AppError('forbidden', 'A store-bound key cannot create API keys');
  const { key, hash, start } = generateApiKey();
  const row = await tx.apiKey.create({
    data: { tenantId: ctx.tenantId, id: newId('key'), name: input.name, start, hash, storeId: input.storeId ?? null },
  });
  await recordAudit(tx, ctx, { action: 'api_key.created', targetType: 'api_key', targetId: row.id, after: toDto(row) });
  return { ...toDto(row), key };
}

export async function listApiKeys(tx: Tx, ctx: TenantContext, page: PageQuery): Promise<Page<ApiKeyDto>> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot list API keys');
  const rows = await tx.apiKey.findMany({
    where: { tenantId: ctx.tenantId, ...afterCursor(decodeCursor(page.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  return toPage(rows, page.limit, toDto, (r) => r.createdAt);
}

/**
 * The first key of a new tenant (onboarding): not audited on its own, tenant.created covers it.
 */
export async function createFirstApiKey(tx: Tx, ctx: TenantContext, key: { name: string; start: string; hash: string }): Promise<{ id: string }> {
  return tx.apiKey.create({ data: { tenantId: ctx.tenantId, id: newId('key'), name: key.name, start: key.start, hash: key.hash }, select: { id: true } });
}

/**
 * Ensures the tenant has a working key `key` under `name` (the demo seed's printed key): creates
 * it with `id`, or gives the existing one back this key's hash and un-revokes it.
 */
export async function ensureNamedApiKey(tx: Tx, ctx: TenantContext, input: { id: string; name: string; key: string }): Promise<void> {
  const hash = hashApiKey(input.key);
  const start = input.key.slice(0, 10);
  const existing = await tx.apiKey.findFirst({ where: { tenantId: ctx.tenantId, name: input.name } });
  if (!existing) {
    await tx.apiKey.create({ data: { tenantId: ctx.tenantId, id: input.id, name: input.name, start, hash, storeId: null } });
  } else if (existing.hash !== hash || existing.revokedAt) {
    await tx.apiKey.update({ where: { tenantId_id: { tenantId: ctx.tenantId, id: existing.id } }, data: { hash, start, revokedAt: null } });
  }
}

/** Revokes at once: the next request with the key is refused. */
export async function revokeApiKey(tx: Tx, ctx: TenantContext, id: string): Promise<ApiKeyDto> {
  if (ctx.boundStoreId) throw new AppError('forbidden', 'A store-bound key cannot revoke API keys');
  const row = await tx.apiKey.findUnique({ where: { tenantId_id: { tenantId: ctx.tenantId, id } } });
  if (!row) throw notFound('API key');
  if (row.revokedAt) return toDto(row);
  const updated = await tx.apiKey.update({
    where: { tenantId_id: { tenantId: ctx.tenantId, id } },
    data: { revokedAt: new Date() },
  });
  // Every API process drops its cached resolution of this tenant's keys (this one right after commit).
  await announceChange(tx, 'unionpoint_auth', ctx.tenantId);
  await recordAudit(tx, ctx, { action: 'api_key.revoked', targetType: 'api_key', targetId: id, before: toDto(row), after: toDto(updated) });
  return toDto(updated);
}
