import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { requestedStoreId, resolveStoreId } from '../stores/index.ts';

export const OPENID_PREFIX = 'openid:';

export interface MemberRef {
  /** A unionId, or `openid:<openId>` (needs a store-bound key or a storeId). */
  ref: string;
  storeId?: string | null | undefined;
}

/**
 * Finds the member a path `:member` names, within the context's tenant. With `forUpdate`
 * the member row is locked for the rest of the transaction: every balance change takes this
 * lock first, so concurrent writers to one member serialise and cannot lose an update.
 */
export async function resolveMemberId(
  tx: Tx,
  ctx: TenantContext,
  ref: MemberRef,
  /** `checkStore`: a store id that must exist, checked in the locking statement (order intake). */
  options: { forUpdate?: boolean; checkStore?: string | null } = {},
): Promise<string> {
  const isOpenId = ref.ref.startsWith(OPENID_PREFIX);
  // A store-bound key naming another store is refused (403) even where a unionId makes the
  // store irrelevant to the lookup: it is never silently ignored. No read: the key carries it.
  if (ref.storeId) requestedStoreId(ctx, ref.storeId, false);
  // The unionId lock checks the store in its own statement; an openId is looked up in ref.storeId.
  if (options.checkStore && (isOpenId ? ref.storeId !== options.checkStore : !options.forUpdate)) {
    await resolveStoreId(tx, ctx, options.checkStore, true);
  }
  let memberId: string | undefined;
  if (isOpenId) {
    const openId = ref.ref.slice(OPENID_PREFIX.length);
    if (!openId) throw notFound('Member');
    const storeId = await resolveStoreId(tx, ctx, ref.storeId, false);
    if (!storeId) {
      throw new AppError('validation_failed', 'Addressing a member by openId needs a store-bound key or ?storeId=', {
        errors: [{ path: 'storeId', message: 'Required with openid:' }],
      });
    }
    // Raw statements on this hot path: no ORM query compilation.
    const [identity] = await tx.$queryRaw<{ member_id: string }[]>`
      SELECT member_id FROM identities WHERE tenant_id = ${ctx.tenantId} AND store_id = ${storeId} AND open_id = ${openId}`;
    memberId = identity?.member_id;
  } else {
    // A merged member's unionId is an alias of the survivor (merges never chain: a survivor
    // cannot itself be merged away while it has been merged into). With forUpdate, the alias
    // is resolved and the survivor's row locked in one statement.
    if (options.forUpdate) {
      const [locked] = await tx.$queryRaw<{ id: string }[]>(lockByUnionIdSql(ctx, ref.ref, options.checkStore ?? null));
      return lockedMemberId(tx, ctx, locked, options.checkStore ?? null);
    }
    const [member] = await tx.$queryRaw<{ id: string; merged_into_id: string | null }[]>`
      SELECT id, merged_into_id FROM members WHERE tenant_id = ${ctx.tenantId} AND union_id = ${ref.ref}`;
    memberId = member?.merged_into_id ?? member?.id;
  }
  if (!memberId) throw notFound('Member');
  if (options.forUpdate) await lockMember(tx, ctx, memberId);
  return memberId;
}

/** The survivor's id for a unionId (a merged member's unionId is an alias), as a scalar subquery. */
export function memberIdByUnionIdSql(ctx: TenantContext, unionId: string): Prisma.Sql {
  return Prisma.sql`(SELECT COALESCE(a.merged_into_id, a.id) FROM members a WHERE a.tenant_id = ${ctx.tenantId} AND a.union_id = ${unionId})`;
}

/**
 * The statement that locks the member a unionId names (returning its id), checking in the same
 * statement that `checkStore` exists. Read its row with lockedMemberId.
 */
export function lockByUnionIdSql(ctx: TenantContext, unionId: string, checkStore: string | null): Prisma.Sql {
  const store = checkStore ? Prisma.sql`AND EXISTS (SELECT 1 FROM stores s WHERE s.tenant_id = ${ctx.tenantId} AND s.id = ${checkStore})` : Prisma.empty;
  return Prisma.sql`
    SELECT m.id FROM members m
    WHERE m.tenant_id = ${ctx.tenantId} AND m.id = ${memberIdByUnionIdSql(ctx, unionId)}
      ${store}
    FOR UPDATE`;
}

/** The locked member's id, or the right 404: the store answers first, as resolveStoreId would. */
export async function lockedMemberId(tx: Tx, ctx: TenantContext, row: { id: unknown } | undefined, checkStore: string | null): Promise<string> {
  if (row) return row.id as string;
  if (checkStore) await resolveStoreId(tx, ctx, checkStore, true);
  throw notFound('Member');
}

/**
 * The member a write use case acts on: a path reference (`unionId` or `openid:<openId>`, as the
 * API gives it) or, for callers that already hold an id (jobs, the seed), the member id.
 */
export type MemberTarget = MemberRef | { memberId: string };

/**
 * A write use case's first step: finds the member it acts on and takes the member row lock
 * (every balance change of one member serialises on it), in one statement for a unionId.
 * Unknown member → 404. Routes never take the lock themselves; they pass the reference.
 */
export async function lockTargetMember(tx: Tx, ctx: TenantContext, target: MemberTarget): Promise<string> {
  if ('memberId' in target) {
    const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM members WHERE tenant_id = ${ctx.tenantId} AND id = ${target.memberId} FOR UPDATE`;
    if (!row) throw notFound('Member');
    return row.id;
  }
  return resolveMemberId(tx, ctx, target, { forUpdate: true });
}

/** Row lock on the member: the serialisation point for every balance change of one member. */
export async function lockMember(tx: Tx, ctx: TenantContext, memberId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM members WHERE tenant_id = ${ctx.tenantId} AND id = ${memberId} FOR UPDATE`;
}
