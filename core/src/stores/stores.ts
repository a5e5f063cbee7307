import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, conflict, isUniqueViolation } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { decodeCursor, afterCursor, toPage, type Page, type PageQuery } from '../shared/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import type { CreateStoreInput, StoreDto } from './stores.contract.ts';
import { STORE_CODE_PREFIX } from '../shared/zod.ts';

// `channel` is text in the database, held to the channel values by its CHECK constraint.
type StoreRow = { id: string; code: string; name: string; channel: string; createdAt: Date };
export const toStoreDto = (r: StoreRow): StoreDto => ({ id: r.id, code: r.code, name: r.name, channel: r.channel as StoreDto['channel'], createdAt: r.createdAt.toISOString() });

export async function createStore(tx: Tx, ctx: TenantContext, input: CreateStoreInput): Promise<StoreDto> {
  if (ctx.boundStoreId) throw new AppError('forbidden', 'A store-bound key cannot create stores');
  const exists = await tx.store.findUnique({ where: { tenantId_code: { tenantId: ctx.tenantId, code: input.code } } });
  if (exists) throw conflict(`A store with code ${input.code} exists`);
  try {
    const row = await tx.store.create({ data: { tenantId: ctx.tenantId, id: newId('sto'), ...input } });
    await recordAudit(tx, ctx, { action: 'store.created', targetType: 'store', targetId: row.id, after: toStoreDto(row) });
    return toStoreDto(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(`A store with code ${input.code} exists`);
    throw e;
  }
}

/** A new tenant's stores (onboarding, where tenant.created audits them): one row each. */
export async function createFirstStores(tx: Tx, ctx: TenantContext, inputs: CreateStoreInput[]): Promise<StoreDto[]> {
  const out: StoreDto[] = [];
  for (const input of inputs) out.push(toStoreDto(await tx.store.create({ data: { tenantId: ctx.tenantId, id: newId('sto'), ...input } })));
  return out;
}

export async function listStores(tx: Tx, ctx: TenantContext, page: PageQuery): Promise<Page<StoreDto>> {
  const rows = await tx.store.findMany({
    where: { tenantId: ctx.tenantId, ...afterCursor(decodeCursor(page.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  return toPage(rows, page.limit, toStoreDto, (r) => r.createdAt);
}

/**
 * The store a call acts in: a store-bound key's own store (another one is 403), else the
 * given storeId, which must exist in the tenant (404 otherwise).
 */
/**
 * The store a request acts for, without a database read: the key's bound store, else the
 * given id (required or not). `verify` says whether the id still has to be checked to exist.
 */
export function requestedStoreId(ctx: TenantContext, storeId: string | null | undefined, required: boolean): { id: string | null; verify: boolean } {
  if (ctx.boundStoreId) {
    if (storeId && storeId !== ctx.boundStoreId) throw new AppError('forbidden', 'This API key is bound to another store');
    return { id: ctx.boundStoreId, verify: false };
  }
  if (ctx.storeIds && ctx.storeIds.length > 0) {
    // A store-limited user is bound like a store-bound key, to any one of its stores; with
    // several, a write must say which (nothing is recorded outside them).
    if (storeId) {
      if (!ctx.storeIds.includes(storeId)) throw new AppError('forbidden', 'This user may act only for its own stores');
      return { id: storeId, verify: false };
    }
    if (ctx.storeIds.length === 1) return { id: ctx.storeIds[0]!, verify: false };
    throw new AppError('validation_failed', 'storeId is required for a user limited to several stores', { errors: [{ path: 'storeId', message: `One of ${ctx.storeIds.join(', ')}` }] });
  }
  if (!storeId) {
    if (required) throw new AppError('validation_failed', 'storeId is required with a tenant-wide key', { errors: [{ path: 'storeId', message: 'Required' }] });
    return { id: null, verify: false };
  }
  return { id: storeId, verify: true };
}

export async function resolveStoreId(tx: Tx, ctx: TenantContext, storeId: string | null | undefined, required: boolean): Promise<string | null> {
  const requested = requestedStoreId(ctx, storeId, required);
  if (!requested.verify) return requested.id;
  // Hot path (every order): one raw indexed read, no ORM query compilation.
  const [store] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM stores WHERE tenant_id = ${ctx.tenantId} AND id = ${requested.id}`;
  if (!store) throw await unknownStore(tx, ctx, requested.id!);
  return store.id;
}

/**
 * The refusal of a storeId that names no store, saying what to send instead: a bare store
 * code gets the id of the store with that code (the cold path: only after the id missed).
 */
export async function unknownStore(tx: Tx, ctx: TenantContext, storeId: string, path = 'storeId'): Promise<AppError> {
  const [byCode] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM stores WHERE tenant_id = ${ctx.tenantId} AND code = ${storeId}`;
  const detail = byCode
    ? `${path} must be a store id such as sto_…, or code:<store code>; the store with code '${storeId}' has id ${byCode.id} (or send code:${storeId})`
    : `No store with id '${storeId}' in this tenant. ${path} is a store id such as sto_…, or code:<store code>; GET /v1/stores lists the stores with their ids and codes`;
  return new AppError('not_found', detail);
}

/**
 * `code:<store code>` → the store's id (404 naming the code when there is none). The API
 * resolves such a reference before the use case, so use cases only ever see ids.
 */
export async function storeIdForCode(tx: Tx, ctx: TenantContext, ref: string): Promise<string> {
  const code = ref.slice(STORE_CODE_PREFIX.length);
  const [store] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM stores WHERE tenant_id = ${ctx.tenantId} AND code = ${code}`;
  if (!store) throw new AppError('not_found', `No store with code '${code}' in this tenant; GET /v1/stores lists the stores with their ids and codes`);
  return store.id;
}

/** Whether a storeId value is a `code:` reference. */
export const isStoreCodeRef = (v: unknown): v is string => typeof v === 'string' && v.startsWith(STORE_CODE_PREFIX);
