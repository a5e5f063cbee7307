-- History import (docs/imports.md, docs/rules.md §18): one row per import job, and its uploaded
-- lines staged in Postgres (so an upload survives a crash and any worker process can take the
-- job over). Lines are parsed when they are received: a valid line keeps its normalised record
-- and its grouping key, a bad one its error; the worker applies the valid ones key by key.
CREATE TABLE "imports" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'awaiting_data',
    "total" INTEGER NOT NULL DEFAULT 0,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "imported" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "cursor" TEXT,
    "error" TEXT,
    "requested_by" TEXT NOT NULL,
    "heartbeat_at" TIMESTAMPTZ(3),
    "received_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "imports_pkey" PRIMARY KEY ("tenant_id","id"),
    CONSTRAINT "imports_kind" CHECK ("kind" IN ('members', 'orders', 'points_balances')),
    CONSTRAINT "imports_status" CHECK ("status" IN ('awaiting_data', 'processing', 'completed', 'failed'))
);

-- One row per uploaded line (1-based). `key` groups the lines applied together (the member's
-- reference, or the unionId of a members import), `record` the validated record, `error` why the
-- line was skipped. The worker applies the keys in order; `imports.cursor` is the last key done.
CREATE TABLE "import_lines" (
    "tenant_id" TEXT NOT NULL,
    "import_id" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "key" TEXT,
    "record" JSONB,
    "error" TEXT,

    CONSTRAINT "import_lines_pkey" PRIMARY KEY ("tenant_id","import_id","line")
);

CREATE INDEX "imports_tenant_id_created_at_id_idx" ON "imports"("tenant_id", "created_at" DESC, "id" DESC);
CREATE INDEX "imports_status_idx" ON "imports"("status");
CREATE INDEX "import_lines_tenant_id_import_id_key_line_idx" ON "import_lines"("tenant_id", "import_id", "key", "line");

-- Sharded by tenant where the citus extension is installed (a no-op otherwise), before its keys.
SELECT up_distribute_tenant_table('imports');
SELECT up_distribute_tenant_table('import_lines');

ALTER TABLE "imports" ADD CONSTRAINT "imports_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "import_lines" ADD CONSTRAINT "import_lines_tenant_id_import_id_fkey" FOREIGN KEY ("tenant_id", "import_id") REFERENCES "imports"("tenant_id", "id") ON DELETE CASCADE ON UPDATE RESTRICT;

SELECT up_tenant_table('imports', 'rw');
SELECT up_tenant_table('import_lines', 'rw');
