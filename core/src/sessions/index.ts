export * from './sessions.contract.ts';
export { openMemberSession, revokeMemberSessions, unsafeResolveMemberToken, generateMemberToken } from './member-sessions.ts';
export type { OpenedSession, ResolvedMemberToken } from './member-sessions.ts';
