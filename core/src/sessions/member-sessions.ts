import { randomBytes } from 'node:crypto';
import type { DbClient, Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { base58, newId } from '../shared/ids.ts';
import { hashApiKey } from '../auth/index.ts';
import { resolveMemberId, type MemberRef } from '../identities/index.ts';
import { resolveStoreId } from '../stores/index.ts';
import { announceChange } from '../shared/config-cache.ts';
import { MEMBER_TOKEN_PREFIX, SESSION_TTL_DEFAULT, type OpenSessionInput } from './sessions.contract.ts';

/** `upm_` + base58 of 32 random bytes; only its sha256 is stored (like an API key). */
export function generateMemberToken(): { token: string; hash: string } {
  const token = MEMBER_TOKEN_PREFIX + base58(randomBytes(32));
  return { token, hash: hashApiKey(token) };
}

export interface OpenedSession {
  sessionId: string;
  memberId: string;
  token: string;
  expiresAt: Date;
}

/**
 * Opens a session for one member: a token that sees that member only, on /v1/me/*, until
 * `now + ttlSeconds`. The member is addressed like every member route (unionId or
 * openid:<openId>, a store-bound key in its own store only).
 */
export async function openMemberSession(tx: Tx, ctx: TenantContext, ref: MemberRef, input: OpenSessionInput, now = new Date()): Promise<OpenedSession> {
  const memberId = await resolveMemberId(tx, ctx, { ref: ref.ref, storeId: ref.storeId ?? input.storeId });
  const storeId = (await resolveStoreId(tx, ctx, input.storeId ?? ref.storeId, false)) ?? ctx.boundStoreId ?? null;
  const { token, hash } = generateMemberToken();
  const id = newId('mss');
  const expiresAt = new Date(now.getTime() + (input.ttlSeconds ?? SESSION_TTL_DEFAULT) * 1000);
  await tx.$executeRaw`
    INSERT INTO member_sessions (tenant_id, id, member_id, store_id, hash, opened_by, expires_at, created_at)
    VALUES (${ctx.tenantId}, ${id}, ${memberId}, ${storeId}, ${hash}, ${ctx.actor.id}, ${expiresAt}::timestamptz, ${now}::timestamptz)`;
  return { sessionId: id, memberId, token, expiresAt };
}

/** Ends every open session of the member at once: their next request is 401. Returns how many. */
export async function revokeMemberSessions(tx: Tx, ctx: TenantContext, ref: MemberRef, now = new Date()): Promise<{ revoked: number }> {
  const memberId = await resolveMemberId(tx, ctx, ref);
  const revoked = await tx.$executeRaw`
    UPDATE member_sessions SET revoked_at = ${now}::timestamptz
    WHERE tenant_id = ${ctx.tenantId} AND member_id = ${memberId} AND revoked_at IS NULL AND expires_at > ${now}::timestamptz`;
  // Every API process drops its cached resolution of this tenant's tokens (this one right after commit).
  if (revoked > 0) await announceChange(tx, 'unionpoint_auth', ctx.tenantId);
  return { revoked };
}

export interface ResolvedMemberToken {
  sessionId: string;
  tenantId: string;
  /** The member the token sees (a merged member's survivor). */
  memberId: string;
  storeId: string | null;
  expiresAt: Date;
  tenantStatus: 'active' | 'suspended';
}

/**
 * Looks a member token up by its hash across tenants (the lookup by secret: the token is what
 * establishes the tenant). Unknown and revoked tokens resolve to null; an expired one resolves
 * with its expiresAt, for the caller to refuse as expired. The API caches the result like an
 * API key's (invalidated on `unionpoint_auth`, which revokeMemberSessions announces).
 */
export async function unsafeResolveMemberToken(prisma: DbClient, raw: string): Promise<ResolvedMemberToken | null> {
  if (!raw.startsWith(MEMBER_TOKEN_PREFIX) || raw.length > 128) return null;
  const rows = await prisma.$queryRaw<
    { id: string; tenant_id: string; member_id: string; store_id: string | null; expires_at: Date; revoked_at: Date | null; status: 'active' | 'suspended' }[]
  >`SELECT s.id, s.tenant_id, COALESCE(m.merged_into_id, s.member_id) AS member_id, s.store_id, s.expires_at, s.revoked_at, t.status::text AS status
    FROM member_sessions s
    JOIN tenants t ON t.id = s.tenant_id
    JOIN members m ON m.tenant_id = s.tenant_id AND m.id = s.member_id
    WHERE s.hash = ${hashApiKey(raw)}`;
  const row = rows[0];
  if (!row || row.revoked_at) return null;
  return { sessionId: row.id, tenantId: row.tenant_id, memberId: row.member_id, storeId: row.store_id, expiresAt: row.expires_at, tenantStatus: row.status };
}
