import { Prisma } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { OPENID_PREFIX } from './resolve-member.ts';

/** An openId in a store, for a member (history imports). */
export interface ImportedIdentity {
  id: string;
  memberId: string;
  storeId: string;
  openId: string;
}

/**
 * Identities of a history import in one statement (ON CONFLICT DO NOTHING: an openId already
 * bound in its store stays with its member; the caller checks ownership first with
 * identitiesOwnersSql). created_at is the member's join date.
 */
export function insertImportedIdentitiesSql(ctx: TenantContext, rows: (ImportedIdentity & { at: Date })[]): Prisma.Sql | null {
  if (rows.length === 0) return null;
  const data = rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  return Prisma.sql`
    INSERT INTO identities (tenant_id, id, member_id, store_id, open_id, created_at)
    SELECT m.tenant_id, x.id, x."memberId", x."storeId", x."openId", x.at
    FROM jsonb_to_recordset(${JSON.stringify(data)}::jsonb) AS x(id text, "memberId" text, "storeId" text, "openId" text, at timestamptz)
    -- tenant_id from the member row: on Citus this INSERT … SELECT runs on the tenant's shard with RLS kept.
    JOIN members m ON m.tenant_id = ${ctx.tenantId} AND m.id = x."memberId"
    ON CONFLICT DO NOTHING`;
}

/** Who holds each (store, openId) already: rows `store_id`, `open_id`, `member_id`. */
export function identitiesOwnersSql(ctx: TenantContext, pairs: { storeId: string; openId: string }[]): Prisma.Sql {
  return Prisma.sql`
    SELECT i.store_id, i.open_id, i.member_id FROM identities i
    JOIN unnest(${pairs.map((p) => p.storeId)}::text[], ${pairs.map((p) => p.openId)}::text[]) AS x(store_id, open_id)
      ON i.tenant_id = ${ctx.tenantId} AND i.store_id = x.store_id AND i.open_id = x.open_id`;
}

/**
 * Resolves many member references at once (a unionId, a merged member's unionId naming the
 * survivor, or `openid:<openId>` in the given store) and locks the members' rows in id order
 * (the member row lock every balance change takes). Rows: `ref`, `store_id`, `member_id`.
 */
export function lockMemberRefsSql(ctx: TenantContext, refs: { ref: string; storeId: string | null }[]): Prisma.Sql {
  const t = ctx.tenantId;
  return Prisma.sql`
    WITH x AS (
      SELECT * FROM unnest(${refs.map((r) => r.ref)}::text[], ${refs.map((r) => r.storeId ?? '')}::text[]) AS x(ref, store_id)
    ), r AS (
      SELECT x.ref, x.store_id,
             CASE WHEN starts_with(x.ref, ${OPENID_PREFIX}) THEN
               (SELECT i.member_id FROM identities i WHERE i.tenant_id = ${t} AND i.store_id = x.store_id AND i.open_id = substr(x.ref, ${OPENID_PREFIX.length + 1}))
             ELSE (SELECT COALESCE(a.merged_into_id, a.id) FROM members a WHERE a.tenant_id = ${t} AND a.union_id = x.ref) END AS member_id
      FROM x
    ), l AS (
      SELECT m.id FROM members m WHERE m.tenant_id = ${t} AND m.id IN (SELECT member_id FROM r) ORDER BY m.id FOR UPDATE
    )
    SELECT r.ref, r.store_id, r.member_id FROM r WHERE r.member_id IN (SELECT id FROM l)`;
}
