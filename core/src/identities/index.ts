export { resolveMemberId, lockMember, OPENID_PREFIX } from './resolve-member.ts';
export type { MemberRef } from './resolve-member.ts';
export { bindIdentity } from './add-identity.ts';
