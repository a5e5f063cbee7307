import { z, queryFlag } from '../shared/zod.ts';
import { pageQuery } from '../shared/pagination.ts';

/** The outbox events that become a message in the member's inbox. */
export const INBOX_EVENT_TYPES = ['member.tier_changed', 'member.tier_at_risk', 'points.expiring', 'coupon.issued', 'entitlement.granted', 'task.completed'] as const;
export type InboxKind = (typeof INBOX_EVENT_TYPES)[number];

/** Languages the inbox (and the member center) is written in. */
export const MEMBER_LANGUAGES = ['zh-CN', 'en'] as const;
export type MemberLanguage = (typeof MEMBER_LANGUAGES)[number];

export const inboxMessageSchema = z
  .object({
    id: z.string().describe('Message id'),
    kind: z.enum(INBOX_EVENT_TYPES).describe('The event the message tells of'),
    title: z.string().describe("Short title in the tenant's language"),
    body: z.string().describe("One sentence in the tenant's language"),
    data: z.record(z.string(), z.unknown()).describe("The event's data (as in its webhook)"),
    createdAt: z.string().describe('When it happened (RFC 3339)'),
    readAt: z.string().nullable().describe('When the member read it; null while unread'),
  })
  .openapi('InboxMessage');
export type InboxMessageDto = z.infer<typeof inboxMessageSchema>;

export const inboxQuery = pageQuery.extend({
  unread: queryFlag().describe('Only unread messages'),
});
export type InboxQuery = z.infer<typeof inboxQuery>;

export const inboxParams = z.object({ id: z.string().min(1).max(64).describe('Message id') });
