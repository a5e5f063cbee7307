export { resolveMemberId, lockMember, lockByUnionIdSql, lockedMemberId, memberIdByUnionIdSql, OPENID_PREFIX } from './resolve-member.ts';
export type { MemberRef } from './resolve-member.ts';
export { bindIdentity } from './add-identity.ts';
export { mergeIdentities } from './merge-identities.ts';
