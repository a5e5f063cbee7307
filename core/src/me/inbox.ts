import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import type { Page } from '../shared/pagination.ts';
import { listInbox, markInboxRead, type InboxMessageDto, type InboxQuery } from '../inbox/index.ts';
import { centerConfig, inboxRender } from './center-config.ts';

/** The member's inbox in the tenant's language, newest first. */
export async function listMemberInbox(tx: Tx, ctx: TenantContext, memberId: string, query: InboxQuery): Promise<Page<InboxMessageDto>> {
  return listInbox(tx, ctx, memberId, query, inboxRender(await centerConfig(tx, ctx)));
}

/** Marks one of the member's messages read; another member's id is 404. */
export async function readMemberMessage(tx: Tx, ctx: TenantContext, memberId: string, id: string, at = new Date()): Promise<InboxMessageDto> {
  return markInboxRead(tx, ctx, memberId, id, inboxRender(await centerConfig(tx, ctx)), at);
}
