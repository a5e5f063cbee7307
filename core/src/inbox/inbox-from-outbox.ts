import { INBOX_EVENT_TYPES } from './inbox.contract.ts';

/**
 * The inbox rows of a batch of outbox events, as a data-modifying CTE body for the outbox
 * relay's statement (plain SQL: the relay runs on the owner connection, across tenants).
 * `batch` names a CTE with the outbox columns (tenant_id, id, type, member_id, payload). One
 * message per member event of an inbox kind; its id follows the event's (time-ordered), and a
 * second relay of the same events writes nothing (unique event_id).
 */
export function inboxRowsFromOutboxSql(batch: string): string {
  const kinds = INBOX_EVENT_TYPES.map((k) => `'${k}'`).join(', ');
  return `INSERT INTO inbox_messages (tenant_id, id, member_id, event_id, kind, data, created_at)
         SELECT b.tenant_id, 'msg_' || substr(b.id, 5), b.member_id, b.id, b.type,
                COALESCE(b.payload -> 'data', '{}'::jsonb), COALESCE((b.payload ->> 'createdAt')::timestamptz, now())
         FROM ${batch} b
         WHERE b.member_id IS NOT NULL AND b.type IN (${kinds})
         ON CONFLICT (tenant_id, event_id) DO NOTHING
         RETURNING 1`;
}
