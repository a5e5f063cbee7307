import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { decodeCursor, afterCursor, toPage, type Page } from '../shared/pagination.ts';
import type { LedgerEntryDto, LedgerQuery } from './points.contract.ts';

type EntryRow = {
  id: string;
  kind: string;
  delta: number;
  balanceAfter: number;
  reason: string | null;
  reference: string | null;
  storeId: string | null;
  expiresAt?: Date | null;
  at: Date;
  createdAt: Date;
};

export function toLedgerDto(r: EntryRow): LedgerEntryDto {
  return {
    id: r.id,
    kind: r.kind,
    delta: r.delta,
    balanceAfter: r.balanceAfter,
    reason: r.reason,
    reference: r.reference,
    storeId: r.storeId,
    expiresAt: r.expiresAt ? r.expiresAt.toISOString() : null,
    at: r.at.toISOString(),
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * A member's points or growth ledger, newest first, keyset-paged. createdAt is stamped when the
 * entry is written under the member lock, so this order is the order balanceAfter follows.
 */
export async function listLedger(tx: Tx, ctx: TenantContext, memberId: string, query: LedgerQuery): Promise<Page<LedgerEntryDto>> {
  const where = { tenantId: ctx.tenantId, memberId, ...afterCursor(decodeCursor(query.cursor)) };
  const orderBy = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
  const rows: EntryRow[] =
    query.kind === 'growth'
      ? await tx.growthEntry.findMany({ where, orderBy, take: query.limit + 1 })
      : await tx.pointsEntry.findMany({ where, orderBy, take: query.limit + 1 });
  return toPage(rows, query.limit, toLedgerDto, (r) => r.createdAt);
}
