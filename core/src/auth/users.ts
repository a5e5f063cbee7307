import argon2 from 'argon2';
import type { DbClient, Tx } from '@unionpoint/db';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';

/** Dashboard roles of a tenant (API.md "Staff accounts"), and the platform console's. */
export type TenantRole = 'owner' | 'admin' | 'staff' | 'viewer';
export type UserRole = 'platform_admin' | TenantRole;
export const TENANT_ROLES = ['owner', 'admin', 'staff', 'viewer'] as const satisfies readonly TenantRole[];

export interface SessionUser {
  id: string;
  email: string;
  role: UserRole;
  tenantId: string | null;
  name: string | null;
  /** Store-limited staff: the stores they may act for; empty = every store. */
  storeIds: string[];
}

// `role` is text in the database, held to UserRole's values by its CHECK constraint.
type UserRow = { id: string; email: string; role: string; tenantId: string | null; name: string | null; storeIds: string[] };
export const toSessionUser = (u: UserRow): SessionUser => ({ id: u.id, email: u.email, role: u.role as UserRole, tenantId: u.tenantId, name: u.name, storeIds: u.storeIds });

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

// Verifying against a fixed hash when the email is unknown keeps response times alike.
let dummyHash: Promise<string> | null = null;
async function verifyDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password');
  await argon2.verify(await dummyHash, password).catch(() => false);
}

/**
 * Email + password check across tenants (login establishes the tenant). An invited user
 * without a password yet is checked against the dummy hash, like an unknown email.
 */
export async function unsafeVerifyLogin(prisma: DbClient, email: string, password: string): Promise<SessionUser | null> {
  const user = await prisma.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    include: { tenant: { select: { status: true } } },
  });
  if (!user || !user.passwordHash) {
    await verifyDummy(password);
    return null;
  }
  const ok = await argon2.verify(user.passwordHash, password).catch(() => false);
  if (!ok) return null;
  // Only a caller who knows the password learns that the tenant is suspended or the login
  // disabled; no session starts.
  if (user.tenant?.status === 'suspended') throw new AppError('tenant_suspended', 'This tenant is suspended');
  if (user.disabledAt) throw new AppError('forbidden', 'This login is disabled');
  await prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  return toSessionUser(user);
}

/**
 * The user behind a session, read on every request: a disabled (or removed) user has no
 * session any more, and a role or store change applies to the next request.
 */
export async function unsafeGetSessionUser(prisma: DbClient, id: string): Promise<SessionUser | null> {
  const user = await prisma.user.findUnique({ where: { id } });
  return user && !user.disabledAt ? toSessionUser(user) : null;
}

/** Creates a dashboard login; email is unique across the platform. */
export async function createUser(
  tx: Tx | DbClient,
  input: { email: string; role: UserRole; tenantId: string | null; name?: string | null; storeIds?: string[] } & ({ password: string } | { passwordHash: string }),
): Promise<SessionUser> {
  const user = await tx.user.create({
    data: {
      id: newId('usr'),
      email: input.email.trim().toLowerCase(),
      // A hash made before the caller's transaction keeps argon2's time out of it.
      passwordHash: 'passwordHash' in input ? input.passwordHash : await hashPassword(input.password),
      role: input.role,
      tenantId: input.tenantId,
      name: input.name ?? null,
      storeIds: input.storeIds ?? [],
    },
  });
  return toSessionUser(user);
}

/** Ensures the platform admin login exists (from env at start-up); idempotent. */
export async function unsafeEnsurePlatformAdmin(prisma: DbClient, email: string, password: string): Promise<void> {
  const existing = await prisma.user.findUnique({ where: { email: email.toLowerCase() } });
  if (existing) return;
  await createUser(prisma, { email, password, role: 'platform_admin', tenantId: null, name: 'Platform admin' }).catch(() => {});
}

/**
 * Ensures a login exists: creates it with this password, or says whether the existing one still
 * has it; with `resetPassword` a login whose password no longer matches gets this one again.
 * Platform work (the demo seed).
 */
export async function unsafeEnsureLogin(
  prisma: DbClient,
  input: { email: string; password: string; role: UserRole; tenantId: string | null; name: string; storeIds?: string[] },
  options: { resetPassword: boolean },
): Promise<'created' | 'unchanged' | 'password_reset' | 'password_differs'> {
  const user = await prisma.user.findUnique({ where: { email: input.email.toLowerCase() } });
  if (!user) {
    await createUser(prisma, input);
    return 'created';
  }
  if (user.passwordHash && (await argon2.verify(user.passwordHash, input.password).catch(() => false))) return 'unchanged';
  if (!options.resetPassword) return 'password_differs';
  await prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(input.password) } });
  return 'password_reset';
}
