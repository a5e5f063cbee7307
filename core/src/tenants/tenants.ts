import { setTenantSql, type DbClient, type Tx } from '@unionpoint/db';
import type { Actor, TenantContext } from '../shared/context.ts';
import { conflict, isUniqueViolation, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { decodeCursor, toPage, type Page, type PageQuery } from '../shared/pagination.ts';
import { recordAudit } from '../audit/index.ts';
import { createFirstApiKey, createUser, generateApiKey, hashPassword } from '../auth/index.ts';
import { createProgram } from '../program/index.ts';
import { createDefaultLadder } from '../tiers/index.ts';
import { createFirstStores } from '../stores/index.ts';
import type { CreateTenantInput, TenantDto } from './tenants.contract.ts';
import { changeCommitted, type LocalCaches } from '../shared/config-cache.ts';

// `status` is text in the database, held to these values by its CHECK constraint.
type TenantRow = { id: string; slug: string; name: string; status: string; createdAt: Date };
const toDto = (r: TenantRow): TenantDto => ({ id: r.id, slug: r.slug, name: r.name, status: r.status as TenantDto['status'], createdAt: r.createdAt.toISOString() });

/**
 * Onboards a tenant in one transaction: tenant, program with defaults, default ladder, stores,
 * owner login, first API key. Runs as the owner connection (platform work) but sets
 * app.tenant_id right after creating the tenant, so forced RLS policies accept every row.
 */
export async function unsafeCreateTenant(prisma: DbClient, actor: Actor, input: CreateTenantInput, requestId?: string) {
  const tenantId = newId('ten');
  const passwordHash = await hashPassword(input.owner.password);
  const key = generateApiKey();
  try {
    return await prisma.$transaction(async (tx) => {
      if (await tx.tenant.findUnique({ where: { slug: input.slug } })) throw conflict(`Slug ${input.slug} is taken`);
      if (await tx.user.findUnique({ where: { email: input.owner.email.toLowerCase() } })) throw conflict('That owner email already has a login');
      const tenant = await tx.tenant.create({ data: { id: tenantId, slug: input.slug, name: input.name } });
      await tx.$executeRawUnsafe(setTenantSql(tenantId));
      const ctx: TenantContext = { tenantId, actor, requestId };
      // Each row through the module that owns it.
      await createProgram(tx, ctx, { currency: input.currency, timezone: input.timezone });
      await createDefaultLadder(tx, ctx);
      const codes = new Set<string>();
      for (const s of input.stores) {
        if (codes.has(s.code)) throw conflict(`Store code ${s.code} is given twice`);
        codes.add(s.code);
      }
      const stores = await createFirstStores(tx, ctx, input.stores);
      const owner = await createUser(tx, { email: input.owner.email, passwordHash, role: 'owner', tenantId, name: input.owner.name ?? null });
      const apiKey = await createFirstApiKey(tx, ctx, { name: 'Default key', start: key.start, hash: key.hash });
      await recordAudit(tx, ctx, { action: 'tenant.created', targetType: 'tenant', targetId: tenantId, after: toDto(tenant) });
      return {
        tenant: toDto(tenant),
        stores,
        owner: { id: owner.id, email: owner.email },
        apiKey: { id: apiKey.id, key: key.key, prefix: key.start },
      };
      // Onboarding is rare and writes a dozen rows through the model API: give it room on a
      // busy machine rather than Prisma's 5 s default (an expired transaction is a 503).
    }, { timeout: 20_000 });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('Slug or owner email already taken');
    throw e;
  }
}

export async function unsafeListTenants(prisma: DbClient, page: PageQuery): Promise<Page<TenantDto & { memberCount: number; storeCount: number }>> {
  const c = decodeCursor(page.cursor);
  const rows = await prisma.tenant.findMany({
    where: c ? { OR: [{ createdAt: { lt: c.at } }, { createdAt: c.at, id: { lt: c.id } }] } : {},
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
    include: { _count: { select: { members: true, stores: true } } },
  });
  return toPage(rows, page.limit, (r) => ({ ...toDto(r), memberCount: r._count.members, storeCount: r._count.stores }), (r) => r.createdAt);
}

export async function unsafeGetTenant(prisma: DbClient, id: string): Promise<TenantDto> {
  const row = await prisma.tenant.findUnique({ where: { id } });
  if (!row) throw notFound('Tenant');
  return toDto(row);
}

/** `caches`: the calling API instance's own caches, dropped for this tenant right after commit. */
export async function unsafeSetTenantStatus(
  prisma: DbClient,
  actor: Actor,
  id: string,
  status: 'active' | 'suspended',
  requestId?: string,
  caches?: LocalCaches,
): Promise<TenantDto> {
  const tenant = await prisma.$transaction(async (tx) => {
    const before = await tx.tenant.findUnique({ where: { id } });
    if (!before) throw notFound('Tenant');
    await tx.$executeRawUnsafe(setTenantSql(id));
    const after = await tx.tenant.update({ where: { id }, data: { status } });
    // Delivered at commit: every API process drops its cached API keys of this tenant.
    await tx.$executeRaw`SELECT pg_notify('unionpoint_auth', ${id})`;
    if (before.status !== status) {
      await recordAudit(tx, { tenantId: id, actor, requestId }, { action: `tenant.${status === 'active' ? 'reactivated' : 'suspended'}`, targetType: 'tenant', targetId: id, before: toDto(before), after: toDto(after) });
    }
    return toDto(after);
  });
  // Committed: this process drops the tenant's cached keys now (the others on the notification).
  changeCommitted('unionpoint_auth', id, caches);
  return tenant;
}

/** The caller's own tenant (name, slug, status), read inside its tenant transaction. */
export async function getOwnTenant(tx: Tx, ctx: TenantContext): Promise<TenantDto> {
  const row = await tx.tenant.findUnique({ where: { id: ctx.tenantId } });
  if (!row) throw notFound('Tenant');
  return toDto(row);
}
