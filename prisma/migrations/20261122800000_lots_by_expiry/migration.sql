-- A member's live lots by expiry: the member view's "expiring soon" (every order response and
-- balance change) and the FIFO/expiry reads walk only the lots that still hold points, in
-- expiry order, instead of every lot the member ever earned.
CREATE INDEX points_lots_live_by_expiry ON points_lots (tenant_id, member_id, expires_at) WHERE remaining > 0;
