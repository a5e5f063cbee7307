import { randomBytes } from 'node:crypto';
import type { DbClient, Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { AppError, conflict, forbidden, isUniqueViolation, notFound } from '../shared/errors.ts';
import { base58, newId } from '../shared/ids.ts';
import { decodeCursor, afterCursor, toPage, type Page, type PageQuery } from '../shared/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { hashApiKey } from './api-keys.ts';
import type { TenantRole } from './users.ts';
import type { CreateUserInput, SetPasswordLink, UpdateUserInput, UserDto } from './users.contract.ts';

/** An invite link works for 7 days, a reset link for 24 hours. */
export const INVITE_TTL_MS = 7 * 24 * 3600_000;
export const RESET_TTL_MS = 24 * 3600_000;
export const SET_PASSWORD_TOKEN_PREFIX = 'upw_';

type Row = {
  id: string;
  email: string;
  name: string | null;
  role: string;
  storeIds: string[];
  passwordHash: string | null;
  disabledAt: Date | null;
  createdAt: Date;
  lastLoginAt: Date | null;
};

export const toUserDto = (u: Row): UserDto => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role as TenantRole,
  storeIds: u.storeIds,
  status: u.disabledAt ? 'disabled' : u.passwordHash ? 'active' : 'invited',
  createdAt: u.createdAt.toISOString(),
  lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
});

const roleOf = (ctx: TenantContext) => (ctx.actor.type === 'user' ? ctx.actor.role : null);

/** Managing users is the owner's (API.md: `admin` everything but users). Checked again here, before any statement. */
function requireOwner(ctx: TenantContext): void {
  if (roleOf(ctx) !== 'owner') throw forbidden('Only an owner manages users');
}

/** A one-time set-password link: the raw token goes out once, its sha256 is stored with its expiry. */
function newSetPasswordLink(ttlMs: number, now: Date): { link: SetPasswordLink; hash: string; expiresAt: Date } {
  const token = SET_PASSWORD_TOKEN_PREFIX + base58(randomBytes(32));
  const expiresAt = new Date(now.getTime() + ttlMs);
  return { link: { token, path: `/set-password#token=${token}`, expiresAt: expiresAt.toISOString() }, hash: hashApiKey(token), expiresAt };
}

async function checkStoreIds(tx: Tx, ctx: TenantContext, role: TenantRole, storeIds: string[] | undefined): Promise<string[]> {
  const ids = [...new Set(storeIds ?? [])];
  if (ids.length === 0) return [];
  if (role !== 'staff') {
    throw new AppError('validation_failed', 'Only staff are limited to stores', { errors: [{ path: 'storeIds', message: 'Only for role staff' }] });
  }
  const found = await tx.store.findMany({ where: { tenantId: ctx.tenantId, id: { in: ids } }, select: { id: true } });
  const known = new Set(found.map((s) => s.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) {
    throw new AppError('validation_failed', 'Unknown store', { errors: unknown.map((id) => ({ path: `storeIds.${ids.indexOf(id)}`, message: `No store ${id}` })) });
  }
  return ids;
}

/**
 * Locks the tenant's active owners (every change that could leave none takes this lock, so two
 * owners demoting each other at once cannot both succeed) and refuses when `userId` is the last.
 */
async function refuseLastOwner(tx: Tx, ctx: TenantContext, userId: string): Promise<void> {
  const owners = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM users WHERE tenant_id = ${ctx.tenantId} AND role = 'owner' AND disabled_at IS NULL ORDER BY id FOR UPDATE`;
  if (owners.length <= 1 && owners.some((o) => o.id === userId)) {
    throw new AppError('last_owner', 'The last owner cannot be removed, disabled or demoted: make another user owner first');
  }
}

async function findUser(tx: Tx, ctx: TenantContext, id: string) {
  const user = await tx.user.findFirst({ where: { tenantId: ctx.tenantId, id } });
  if (!user) throw notFound('User');
  return user;
}

export async function listUsers(tx: Tx, ctx: TenantContext, page: PageQuery): Promise<Page<UserDto>> {
  const role = roleOf(ctx);
  if (role !== 'owner' && role !== 'admin') throw forbidden('Only an owner or an admin lists users');
  const rows = await tx.user.findMany({
    where: { tenantId: ctx.tenantId, ...afterCursor(decodeCursor(page.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  return toPage(rows, page.limit, toUserDto, (r) => r.createdAt);
}

/**
 * Creates a user of the tenant: with a password (hashed by the caller before the transaction),
 * or as an invite with a one-time set-password link. Audited with the acting user.
 */
export async function createTenantUser(
  tx: Tx,
  ctx: TenantContext,
  input: Omit<CreateUserInput, 'password'> & { passwordHash?: string | undefined },
  now = new Date(),
): Promise<UserDto & { setPassword: SetPasswordLink | null }> {
  requireOwner(ctx);
  const storeIds = await checkStoreIds(tx, ctx, input.role, input.storeIds);
  const email = input.email.trim().toLowerCase();
  const invite = input.passwordHash ? null : newSetPasswordLink(INVITE_TTL_MS, now);
  // Emails are unique across the platform (login is by email alone), so per tenant too.
  const exists = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM users WHERE tenant_id = ${ctx.tenantId} AND email = ${email}`;
  if (exists[0]!.n > 0) throw conflict('A user with this email exists');
  let row;
  try {
    row = await tx.user.create({
      data: {
        id: newId('usr'),
        tenantId: ctx.tenantId,
        email,
        name: input.name ?? null,
        role: input.role,
        storeIds,
        passwordHash: input.passwordHash ?? null,
        passwordTokenHash: invite?.hash ?? null,
        passwordTokenExpiresAt: invite?.expiresAt ?? null,
        invitedBy: ctx.actor.id,
      },
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('This email already has a login');
    throw e;
  }
  const dto = toUserDto(row);
  await recordAudit(tx, ctx, { action: invite ? 'user.invited' : 'user.created', targetType: 'user', targetId: row.id, after: dto });
  return { ...dto, setPassword: invite?.link ?? null };
}

/**
 * Changes role, stores, name or the disabled flag. The last active owner cannot be demoted or
 * disabled (422 last_owner). Says whether the user's sessions must end (disabled).
 */
export async function updateTenantUser(tx: Tx, ctx: TenantContext, id: string, input: UpdateUserInput, now = new Date()): Promise<{ user: UserDto; endSessions: boolean }> {
  requireOwner(ctx);
  const user = await findUser(tx, ctx, id);
  const role = (input.role ?? user.role) as TenantRole;
  const losesOwner = user.role === 'owner' && !user.disabledAt && (role !== 'owner' || input.disabled === true);
  if (losesOwner) await refuseLastOwner(tx, ctx, id);
  const storeIds = input.storeIds !== undefined ? await checkStoreIds(tx, ctx, role, input.storeIds) : role === 'staff' ? user.storeIds : [];
  const disabledAt = input.disabled === undefined ? user.disabledAt : input.disabled ? (user.disabledAt ?? now) : null;
  const row = await tx.user.update({
    where: { id: user.id },
    data: { role, storeIds, disabledAt, ...(input.name !== undefined ? { name: input.name } : {}) },
  });
  const before = toUserDto(user);
  const after = toUserDto(row);
  const action = input.disabled === true && !user.disabledAt ? 'user.disabled' : input.disabled === false && user.disabledAt ? 'user.enabled' : 'user.updated';
  await recordAudit(tx, ctx, { action, targetType: 'user', targetId: user.id, before, after });
  return { user: after, endSessions: Boolean(row.disabledAt) && !user.disabledAt };
}

/** Removes a login of the tenant (its audit entries keep its id). The last active owner cannot be removed. */
export async function deleteTenantUser(tx: Tx, ctx: TenantContext, id: string): Promise<void> {
  requireOwner(ctx);
  const user = await findUser(tx, ctx, id);
  if (user.role === 'owner' && !user.disabledAt) await refuseLastOwner(tx, ctx, id);
  await tx.user.delete({ where: { id: user.id } });
  await recordAudit(tx, ctx, { action: 'user.removed', targetType: 'user', targetId: user.id, before: toUserDto(user) });
}

/**
 * A new one-time set-password link for a user (the previous one stops working); the current
 * password keeps working until the link is used. Owners and admins; an admin cannot reset an
 * owner's password (that would hand an admin the owner's login).
 */
export async function resetUserPassword(tx: Tx, ctx: TenantContext, id: string, now = new Date()): Promise<SetPasswordLink> {
  const role = roleOf(ctx);
  if (role !== 'owner' && role !== 'admin') throw forbidden('Only an owner or an admin resets passwords');
  const user = await findUser(tx, ctx, id);
  if (user.role === 'owner' && role !== 'owner') throw forbidden("Only an owner resets an owner's password");
  const { link, hash, expiresAt } = newSetPasswordLink(user.passwordHash ? RESET_TTL_MS : INVITE_TTL_MS, now);
  await tx.user.update({ where: { id: user.id }, data: { passwordTokenHash: hash, passwordTokenExpiresAt: expiresAt } });
  await recordAudit(tx, ctx, { action: 'user.password_reset', targetType: 'user', targetId: user.id, after: { expiresAt: link.expiresAt } });
  return link;
}

/**
 * The user a set-password token belongs to (a lookup by secret: the token's hash, across
 * tenants, like an API key). Unknown, used or expired → 422 link_invalid.
 */
export async function unsafeResolveSetPasswordToken(prisma: DbClient, token: string, now = new Date()): Promise<{ userId: string; tenantId: string }> {
  const invalid = new AppError('link_invalid', 'This set-password link is unknown, already used or expired: ask for a new one');
  if (!token.startsWith(SET_PASSWORD_TOKEN_PREFIX) || token.length > 128) throw invalid;
  const rows = await prisma.$queryRaw<{ id: string; tenant_id: string | null; expires: Date | null }[]>`
    SELECT id, tenant_id, password_token_expires_at AS expires FROM users WHERE password_token_hash = ${hashApiKey(token)}`;
  const row = rows[0];
  if (!row || !row.tenant_id || !row.expires || row.expires.getTime() <= now.getTime()) throw invalid;
  return { userId: row.id, tenantId: row.tenant_id };
}

/**
 * Consumes a set-password link in the user's tenant transaction: sets the (pre-hashed)
 * password and clears the token, so the link works once. A disabled user's link is refused.
 */
export async function setPasswordWithToken(tx: Tx, ctx: TenantContext, token: string, passwordHash: string, now = new Date()): Promise<{ userId: string }> {
  const rows = await tx.$queryRaw<{ id: string; role: TenantRole }[]>`
    UPDATE users SET password_hash = ${passwordHash}, password_token_hash = NULL, password_token_expires_at = NULL
    WHERE tenant_id = ${ctx.tenantId} AND password_token_hash = ${hashApiKey(token)} AND password_token_expires_at > ${now} AND disabled_at IS NULL
    RETURNING id, role::text AS role`;
  const row = rows[0];
  if (!row) throw new AppError('link_invalid', 'This set-password link is unknown, already used or expired: ask for a new one');
  // The user sets their own password: the entry names them as the actor.
  await recordAudit(tx, { ...ctx, actor: { type: 'user', id: row.id, role: row.role } }, { action: 'user.password_set', targetType: 'user', targetId: row.id });
  return { userId: row.id };
}

/**
 * Ends every dashboard session of a user at once (the session store is platform-level; run
 * after the change committed). Sessions are also re-read on every request, so a disabled user
 * is refused even before this runs.
 */
export async function unsafeEndUserSessions(prisma: DbClient, userId: string): Promise<number> {
  return prisma.$executeRaw`DELETE FROM session WHERE sess -> 'passport' ->> 'user' = ${userId}`;
}
