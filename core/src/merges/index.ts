export { mergeMembers } from './merge-members.ts';
