-- RFM segments per tenant and local day, computed once (by the daily analytics job right after
-- the day ends, or by the first summary that needs the day) and read by every later summary.
-- CreateTable
CREATE TABLE "rfm_snapshots" (
    "tenant_id" TEXT NOT NULL,
    "as_of" DATE NOT NULL,
    "segments" JSONB NOT NULL,
    "members_scored" INTEGER NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rfm_snapshots_pkey" PRIMARY KEY ("tenant_id","as_of")
);

-- AddForeignKey
ALTER TABLE "rfm_snapshots" ADD CONSTRAINT "rfm_snapshots_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

SELECT up_tenant_table('rfm_snapshots', 'rw');
