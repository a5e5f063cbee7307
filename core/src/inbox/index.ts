export * from './inbox.contract.ts';
export { inboxRowsFromOutboxSql } from './inbox-from-outbox.ts';
export { listInbox, markInboxRead, unreadCountSql } from './list-inbox.ts';
export { renderInboxMessage, formatMoney } from './render.ts';
export type { InboxRenderContext } from './render.ts';
