export { enrolMember } from './enrol-member.ts';
export { listMembers } from './list-members.ts';
export { getMemberView, memberViewConfig, memberViewSql, memberViewOf, toMemberDtos, memberInclude, installMemberViewExtensions } from './member-view.ts';
export type { MemberViewConfig, MemberViewExtension } from './member-view.ts';
export * from './members.contract.ts';
export { updateMemberProfile, profileFields } from './update-member-profile.ts';
export type { ProfileField } from './update-member-profile.ts';
export { progressColumns, progressOf } from './member-progress.ts';
