-- Store settlement (docs/rules.md §18): which store issued each lot, and which lot every debit
-- consumed, so points earned in one store and spent in another can be stated per month.

-- The store of the entry that created the lot; null for a credit made at no store (a birthday
-- gift, an adjustment without a store). It never changes, a merge included.
ALTER TABLE "points_lots" ADD COLUMN "store_id" TEXT;
ALTER TABLE "points_lots" ADD CONSTRAINT "points_lots_tenant_id_store_id_fkey" FOREIGN KEY ("tenant_id", "store_id") REFERENCES "stores"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- Lots earned before this migration take the store of their entry.
UPDATE "points_lots" l SET "store_id" = e."store_id"
FROM "points_ledger" e
WHERE e."tenant_id" = l."tenant_id" AND e."id" = l."entry_id" AND e."store_id" IS NOT NULL;

-- One row per lot a debit consumed (insert-only): the debit's entry and kind, the points taken
-- from that lot, the lot's store (issued) and the debit's store (redeemed). Written by the same
-- statement that decrements the lot. Consumption before this migration has no rows: it is not
-- attributed.
CREATE TABLE "points_lot_uses" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "lot_id" TEXT NOT NULL,
    "entry_id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "issued_store_id" TEXT,
    "redeemed_store_id" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "points_lot_uses_pkey" PRIMARY KEY ("tenant_id","id"),
    CONSTRAINT "points_lot_uses_points_positive" CHECK ("points" > 0)
);

-- The settlement reads a month of uses by event time; a lot's uses by lot.
CREATE INDEX "points_lot_uses_tenant_id_at_idx" ON "points_lot_uses"("tenant_id", "at");
CREATE INDEX "points_lot_uses_tenant_id_lot_id_idx" ON "points_lot_uses"("tenant_id", "lot_id");

-- Sharded by tenant where the citus extension is installed (a no-op otherwise), before its keys.
SELECT up_distribute_tenant_table('points_lot_uses');

ALTER TABLE "points_lot_uses" ADD CONSTRAINT "points_lot_uses_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "points_lot_uses" ADD CONSTRAINT "points_lot_uses_tenant_id_lot_id_fkey" FOREIGN KEY ("tenant_id", "lot_id") REFERENCES "points_lots"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "points_lot_uses" ADD CONSTRAINT "points_lot_uses_tenant_id_entry_id_fkey" FOREIGN KEY ("tenant_id", "entry_id") REFERENCES "points_ledger"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "points_lot_uses" ADD CONSTRAINT "points_lot_uses_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "points_lot_uses" ADD CONSTRAINT "points_lot_uses_tenant_id_issued_store_id_fkey" FOREIGN KEY ("tenant_id", "issued_store_id") REFERENCES "stores"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "points_lot_uses" ADD CONSTRAINT "points_lot_uses_tenant_id_redeemed_store_id_fkey" FOREIGN KEY ("tenant_id", "redeemed_store_id") REFERENCES "stores"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;

SELECT up_tenant_table('points_lot_uses', 'append');
