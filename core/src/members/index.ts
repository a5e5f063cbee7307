export { enrolMember } from './enrol-member.ts';
export { listMembers } from './list-members.ts';
export { getMemberView, memberViewSql, memberViewOf, toMemberDtos, memberInclude, installMemberViewExtensions } from './member-view.ts';
export type { MemberViewExtension } from './member-view.ts';
export * from './members.contract.ts';
