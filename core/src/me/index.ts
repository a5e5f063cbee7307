export * from './me.contract.ts';
export { getMe, memberSafe, nextMemberDay, centerBranding } from './get-me.ts';
export { listMemberTasks, builtInTasksSql } from './tasks.ts';
export { memberEntitlements } from './entitlements.ts';
export { listMemberInbox, readMemberMessage } from './inbox.ts';
