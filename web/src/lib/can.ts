/**
 * What a dashboard role may do, as API.md "Who may do what" and the API's route role classes
 * (api/src/http/route.ts `ROLE_CLASSES`) say: `read` every role (viewer and up); `staffWrite`
 * what store staff do (enrol members, add identities, edit a profile, adjust points, grant a
 * coupon, use an entitlement); `write` every other tenant write (owners and admins); `users`
 * the user accounts (owners only). The dashboard shows a write control only to the roles the
 * API admits; the API checks again on every call.
 */
export type Ability = 'read' | 'staffWrite' | 'write' | 'users';

const ROLES: Record<Ability, readonly string[]> = {
  read: ['owner', 'admin', 'staff', 'viewer'],
  staffWrite: ['owner', 'admin', 'staff'],
  write: ['owner', 'admin'],
  users: ['owner'],
};

export function roleCan(role: string | null | undefined, ability: Ability): boolean {
  return role ? ROLES[ability].includes(role) : false;
}
