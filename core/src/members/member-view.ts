import { Prisma, type Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { extensionsNotRegistered } from '../shared/extensions.ts';
import { notFound } from '../shared/errors.ts';
import { getProgram } from '../program/index.ts';
import { getLadder, withBenefitAliases, type Tier } from '../tiers/index.ts';
import { progressColumns, progressOf, type MemberViewConfig } from './member-progress.ts';
import type { MemberDto } from './members.contract.ts';

export type { MemberViewConfig };

/** Program and ladder (both from the per-tenant config cache). */
export async function memberViewConfig(tx: Tx, ctx: TenantContext): Promise<MemberViewConfig> {
  const [program, ladder] = await Promise.all([getProgram(tx, ctx), getLadder(tx, ctx)]);
  return { program, ladder };
}

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
 * Parts of the member view other modules own (expiring lots, paid plan, effective benefits).
 * Each gives one SQL expression over the member row `m` (a correlated subquery), read in the
 * member's own query: one statement for a member view, one more for a whole page.
 */
export interface MemberViewExtension {
  column(ctx: TenantContext, at: Date): Prisma.Sql;
  apply(member: MemberDto, value: unknown, ladder: Tier[]): void;
}
let installed: readonly MemberViewExtension[] | null = null;
/** Sets the member view's extensions (replacing any before): only registerCoreExtensions calls it. */
export function installMemberViewExtensions(list: readonly MemberViewExtension[]): void {
  installed = [...list];
}
/** The installed extensions; a process that never called registerCoreExtensions fails here, loudly. */
function memberViewExtensions(): readonly MemberViewExtension[] {
  return installed ?? extensionsNotRegistered('The member view');
}

function extensionColumns(ctx: TenantContext, at: Date): Prisma.Sql {
  const extensions = memberViewExtensions();
  return extensions.length ? Prisma.sql`, ${Prisma.join(extensions.map((e, i) => Prisma.sql`${e.column(ctx, at)} AS ${Prisma.raw(`"x${i}"`)}`))}` : Prisma.empty;
}

function applyExtensions(dto: MemberDto, row: Record<string, unknown>, ladder: Tier[]): void {
  memberViewExtensions().forEach((e, i) => e.apply(dto, row[`x${i}`] ?? null, ladder));
}

export const memberInclude = { identities: { select: { storeId: true, openId: true }, orderBy: { createdAt: 'asc' as const } } };

/**
 * Member rows to views, measured at `at`. `extended` holds the extension and progress columns
 * when the rows were read with them (getMemberView); otherwise they are read for the whole page
 * in one query.
 */
export async function toMemberDtos(
  tx: Tx,
  ctx: TenantContext,
  rows: MemberRow[],
  config?: MemberViewConfig,
  extended?: Record<string, unknown>[],
  at = new Date(),
): Promise<MemberDto[]> {
  const cfg = config ?? (await memberViewConfig(tx, ctx));
  if (!rows.length) return [];
  let values = extended;
  if (!values) {
    const read = await tx.$queryRaw<Record<string, unknown>[]>`
      SELECT m.id${extensionColumns(ctx, at)}${progressColumns(cfg, at)} FROM members m
      WHERE m.tenant_id = ${ctx.tenantId} AND m.id = ANY(${rows.map((r) => r.id)}::text[])`;
    const byId = new Map(read.map((r) => [r.id as string, r]));
    values = rows.map((r) => byId.get(r.id) ?? {});
  }
  return rows.map((r, i) => {
    const dto = toDto(r, cfg, values[i]!, at);
    applyExtensions(dto, values[i]!, cfg.ladder);
    return dto;
  });
}

function toDto(r: MemberRow, config: MemberViewConfig, values: Record<string, unknown>, at: Date): MemberDto {
  const tiers = config.ladder;
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
    progress: progressOf(r, values, config, at),
    plan: null,
    benefits: withBenefitAliases(tier?.benefits ?? {}),
    profile: {
      name: r.name,
      phone: r.phone,
      email: r.email,
      birthday: r.birthday ? r.birthday.toISOString().slice(0, 10) : null,
    },
    flagged: r.flagged,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function getMemberView(tx: Tx, ctx: TenantContext, memberId: string, at = new Date()): Promise<MemberDto> {
  const config = await memberViewConfig(tx, ctx);
  const rows = await tx.$queryRaw<Record<string, unknown>[]>(memberViewSql(ctx, memberId, config, at));
  return memberViewOf(tx, ctx, rows, config);
}

/**
 * The member view's one statement (the member, their identities oldest first, the extensions'
 * columns and the progress columns, measured at `at`): it runs in every order and
 * balance-change response. Read its rows with memberViewOf and the same config.
 */
export function memberViewSql(ctx: TenantContext, memberId: string, config: MemberViewConfig, at = new Date()): Prisma.Sql {
  return Prisma.sql`
    SELECT m.id, m.union_id AS "unionId", m.name, m.phone, m.email, to_char(m.birthday, 'YYYY-MM-DD') AS birthday,
           m.tier_code AS "tierCode", m.tier_since AS "tierSince", m.protected_until AS "protectedUntil", m.trial_until AS "trialUntil",
           m.points_balance AS "pointsBalance", m.growth, m.flagged, m.created_at AS "createdAt",
           COALESCE((SELECT json_agg(json_build_object('storeId', i.store_id, 'openId', i.open_id) ORDER BY i.created_at)
                     FROM identities i WHERE i.tenant_id = m.tenant_id AND i.member_id = m.id), '[]'::json) AS identities,
           ${at}::timestamptz AS "viewAt"
           ${extensionColumns(ctx, at)}${progressColumns(config, at)}
    FROM members m WHERE m.tenant_id = ${ctx.tenantId} AND m.id = ${memberId}`;
}

export async function memberViewOf(tx: Tx, ctx: TenantContext, rows: Record<string, unknown>[], config?: MemberViewConfig): Promise<MemberDto> {
  const raw = rows[0] as (Omit<MemberRow, 'birthday'> & { birthday: string | null; viewAt: Date } & Record<string, unknown>) | undefined;
  if (!raw) throw notFound('Member');
  const row: MemberRow = { ...raw, birthday: raw.birthday ? new Date(`${raw.birthday}T00:00:00.000Z`) : null };
  const [dto] = await toMemberDtos(tx, ctx, [row], config, [raw], raw.viewAt);
  return dto!;
}
