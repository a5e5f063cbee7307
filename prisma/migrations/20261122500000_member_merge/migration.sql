-- Member merge: the merged member stays as a tombstone (its ledger history is insert-only) and
-- points at the survivor; its unionId becomes an alias of the survivor.
ALTER TABLE "members" ADD COLUMN "merged_into_id" TEXT;
ALTER TABLE "members" ADD COLUMN "merged_at" TIMESTAMPTZ(3);
ALTER TABLE "members" ADD CONSTRAINT "members_tenant_id_merged_into_id_fkey"
  FOREIGN KEY ("tenant_id", "merged_into_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "members" ADD CONSTRAINT "members_not_merged_into_self" CHECK ("merged_into_id" IS NULL OR "merged_into_id" <> "id");
