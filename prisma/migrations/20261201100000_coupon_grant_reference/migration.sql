-- A manual coupon grant may carry a reference (its idempotency key), kept in coupons.source_ref:
-- one grant per reference in the tenant, so a retried grant can never issue a second coupon,
-- whichever member it names (a merge moving coupons between members cannot collide either).
-- Points adjustments need no index of their own: their reference is the ledger entry's
-- idempotency key, already unique per (tenant, member, kind).
CREATE UNIQUE INDEX coupons_manual_reference ON coupons (tenant_id, source_ref) WHERE source = 'manual' AND source_ref IS NOT NULL;
