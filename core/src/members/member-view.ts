import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { getLadder, type Tier } from '../tiers/index.ts';
import type { MemberDto } from './members.contract.ts';

type MemberRow = {
  id: string;
  unionId: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  birthday: Date | null;
  tierCode: string;
  tierSince: Date;
  protectedUntil: Date | null;
  trialUntil: Date | null;
  pointsBalance: number;
  growth: number;
  flagged: boolean;
  createdAt: Date;
  identities: { storeId: string; openId: string }[];
};

/**
 * Hooks other modules register to add their part of the member view (expiring lots, paid
 * plan, effective benefits) in one batched query per page, never one per member.
 */
export interface MemberViewExtension {
  (tx: Tx, ctx: TenantContext, members: MemberDto[], ladder: Tier[]): Promise<void>;
}
const extensions: MemberViewExtension[] = [];
export function registerMemberViewExtension(ext: MemberViewExtension): void {
  extensions.push(ext);
}

export const memberInclude = { identities: { select: { storeId: true, openId: true }, orderBy: { createdAt: 'asc' as const } } };

export async function toMemberDtos(tx: Tx, ctx: TenantContext, rows: MemberRow[], ladder?: Tier[]): Promise<MemberDto[]> {
  const tiers = ladder ?? (await getLadder(tx, ctx));
  const dtos = rows.map((r): MemberDto => {
    const tier = tiers.find((t) => t.code === r.tierCode);
    const next = tiers.find((t) => t.rank > (tier?.rank ?? -1) && t.minGrowth > r.growth);
    return {
      id: r.id,
      unionId: r.unionId,
      identities: r.identities.map((i) => ({ storeId: i.storeId, openId: i.openId })),
      tier: {
        code: r.tierCode,
        name: tier?.name ?? r.tierCode,
        since: r.tierSince.toISOString(),
        protectedUntil: r.protectedUntil?.toISOString() ?? null,
        trialUntil: r.trialUntil?.toISOString() ?? null,
      },
      points: { balance: r.pointsBalance, expiringSoon: [] },
      growth: { value: r.growth, nextTier: next ? { code: next.code, name: next.name, missing: next.minGrowth - r.growth } : null },
      plan: null,
      benefits: tier?.benefits ?? {},
      profile: {
        name: r.name,
        phone: r.phone,
        email: r.email,
        birthday: r.birthday ? r.birthday.toISOString().slice(0, 10) : null,
      },
      flagged: r.flagged,
      createdAt: r.createdAt.toISOString(),
    };
  });
  for (const ext of extensions) await ext(tx, ctx, dtos, tiers);
  return dtos;
}

export async function getMemberView(tx: Tx, ctx: TenantContext, memberId: string): Promise<MemberDto> {
  // One raw statement (the member and their identities, oldest first): this runs in every
  // order and balance-change response, and the ORM would compile it (and its include) each time.
  const [raw] = await tx.$queryRaw<(Omit<MemberRow, 'birthday'> & { birthday: string | null })[]>`
    SELECT m.id, m.union_id AS "unionId", m.name, m.phone, m.email, to_char(m.birthday, 'YYYY-MM-DD') AS birthday,
           m.tier_code AS "tierCode", m.tier_since AS "tierSince", m.protected_until AS "protectedUntil", m.trial_until AS "trialUntil",
           m.points_balance AS "pointsBalance", m.growth, m.flagged, m.created_at AS "createdAt",
           COALESCE((SELECT json_agg(json_build_object('storeId', i.store_id, 'openId', i.open_id) ORDER BY i.created_at)
                     FROM identities i WHERE i.tenant_id = m.tenant_id AND i.member_id = m.id), '[]'::json) AS identities
    FROM members m WHERE m.tenant_id = ${ctx.tenantId} AND m.id = ${memberId}`;
  if (!raw) throw notFound('Member');
  const row: MemberRow = { ...raw, birthday: raw.birthday ? new Date(`${raw.birthday}T00:00:00.000Z`) : null };
  const [dto] = await toMemberDtos(tx, ctx, [row]);
  return dto!;
}
