import {
  createTenantUser,
  createdUserSchema,
  createUserBody,
  deleteTenantUser,
  hashPassword,
  listUsers,
  listUsersQuery,
  resetUserPassword,
  setPasswordLinkSchema,
  unsafeEndUserSessions,
  updateTenantUser,
  updateUserBody,
  userIdParams,
  userSchema,
} from '@unionpoint/core/auth';
import { Access, pageOf, type Routes } from '../http/route.ts';

/** Staff accounts (API.md "Staff accounts"): owners manage users; owners and admins list them and reset passwords. */
export function userRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/users',
    scope: 'tenant',
    access: Access.dashboard,
    roles: 'admin',
    tags: ['Staff accounts'],
    summary: "The tenant's dashboard users, newest first",
    query: listUsersQuery,
    responses: { 200: pageOf(userSchema) },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: await tx((t) => listUsers(t, ctx, query)) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/users',
    scope: 'tenant',
    access: Access.dashboard,
    roles: 'owner',
    // The reply may hold a one-time set-password link: never stored under an Idempotency-Key (a
    // retry is refused as a duplicate email; a reset-password gives a new link).
    secretReply: true,
    tags: ['Staff accounts'],
    summary: 'Add a user with a role (and stores, for store staff): with a password, or an invite with a one-time set-password link',
    description: '409 conflict when the email already has a login. Audited (`user.created` / `user.invited`) with the acting user.',
    body: createUserBody,
    responses: { 201: createdUserSchema },
    handler: async ({ ctx, tx, body }) => {
      const { password, ...rest } = body;
      // argon2 runs before the transaction, never inside it.
      const passwordHash = password ? await hashPassword(password) : undefined;
      return { status: 201, body: await tx((t) => createTenantUser(t, ctx, { ...rest, passwordHash })) };
    },
  });
  routes.add({
    method: 'patch',
    path: '/v1/users/:id',
    scope: 'tenant',
    access: Access.dashboard,
    roles: 'owner',
    tags: ['Staff accounts'],
    summary: 'Change role, stores or name, or disable / enable a user',
    description: 'Disabling ends the user\'s sessions at once. The last active owner cannot be demoted or disabled: 422 `last_owner`. Audited.',
    params: userIdParams,
    body: updateUserBody,
    responses: { 200: userSchema },
    handler: async ({ ctx, tx, params, body, deps }) => {
      const r = await tx((t) => updateTenantUser(t, ctx, params.id, body));
      if (r.endSessions) await unsafeEndUserSessions(deps.db.prisma, params.id);
      return { status: 200, body: r.user };
    },
  });
  routes.add({
    method: 'delete',
    path: '/v1/users/:id',
    scope: 'tenant',
    access: Access.dashboard,
    roles: 'owner',
    tags: ['Staff accounts'],
    summary: 'Remove a user; their sessions end at once',
    description: 'The last active owner cannot be removed: 422 `last_owner`. Audited (`user.removed`).',
    params: userIdParams,
    responses: { 204: null },
    handler: async ({ ctx, tx, params, deps }) => {
      await tx((t) => deleteTenantUser(t, ctx, params.id));
      await unsafeEndUserSessions(deps.db.prisma, params.id);
      return { status: 204 };
    },
  });
  routes.add({
    method: 'post',
    path: '/v1/users/:id/reset-password',
    scope: 'tenant',
    access: Access.dashboard,
    roles: 'admin',
    // The reply holds the one-time link: never stored (a retry gives a new link, the old one stops working).
    secretReply: true,
    tags: ['Staff accounts'],
    summary: 'A new one-time set-password link for a user (shown once); the current password works until the link is used',
    description: "An admin cannot reset an owner's password (403). Audited (`user.password_reset`).",
    params: userIdParams,
    responses: { 201: setPasswordLinkSchema },
    handler: async ({ ctx, tx, params }) => ({ status: 201, body: await tx((t) => resetUserPassword(t, ctx, params.id)) }),
  });
}
