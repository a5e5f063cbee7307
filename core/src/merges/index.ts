export { mergeMembers, MERGE_IN_KIND, MERGE_OUT_KIND } from './merge-members.ts';
