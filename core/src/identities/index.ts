export { resolveMemberId, lockMember, lockTargetMember, lockByUnionIdSql, lockedMemberId, memberIdByUnionIdSql, OPENID_PREFIX } from './resolve-member.ts';
export type { MemberRef, MemberTarget } from './resolve-member.ts';
export { bindIdentity } from './add-identity.ts';
export { mergeIdentities } from './merge-identities.ts';
export { insertImportedIdentitiesSql, identitiesOwnersSql, lockMemberRefsSql } from './history-identities.ts';
export type { ImportedIdentity } from './history-identities.ts';
