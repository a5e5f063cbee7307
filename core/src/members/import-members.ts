import { Prisma } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';

/** A member brought over by a history import, with their real join date. */
export interface ImportedMember {
  id: string;
  unionId: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  /** YYYY-MM-DD. */
  birthday: string | null;
  tierCode: string;
  joinedAt: Date;
}

/**
 * Members of a history import in one statement: created in the entry tier with created_at and
 * tier_since at their join date (so retention backfills, which count members created before
 * the period end, count them). A unionId already known is left alone (ON CONFLICT DO NOTHING):
 * returns the rows inserted (`id`, `union_id`). No onboarding and no member.created event: the
 * join happened in the past.
 */
export function insertImportedMembersSql(ctx: TenantContext, members: ImportedMember[]): Prisma.Sql {
  const rows = members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() }));
  return Prisma.sql`
    INSERT INTO members (tenant_id, id, union_id, name, phone, email, birthday, tier_code, tier_since, created_at, updated_at)
    SELECT p.tenant_id, x.id, x."unionId", x.name, x.phone, x.email, x.birthday::date, x."tierCode", x."joinedAt", x."joinedAt", now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id text, "unionId" text, name text, phone text, email text, birthday text, "tierCode" text, "joinedAt" timestamptz)
    -- tenant_id from the tenant's program row (colocated; on Citus the INSERT … SELECT then runs on the tenant's shard).
    JOIN programs p ON p.tenant_id = ${ctx.tenantId}
    ON CONFLICT DO NOTHING
    RETURNING id, union_id`;
}
