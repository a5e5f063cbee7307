-- Task counting keeps one row per counted event instead of growing arrays on the progress rows
-- (docs/rules.md §15). A task_progress row was rewritten with its whole `sources` array on every
-- event it counted (for a `once` task the array grew without end); now it changes by a fixed-size
-- update (progress + 1, stays in its page), and the event's row says which windows it counted:
-- its key (member, source) makes an event count once, and a full refund reads it to recount.

CREATE TABLE "task_events" (
    "tenant_id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "task_codes" TEXT[] NOT NULL,
    "window_starts" DATE[] NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "task_events_pkey" PRIMARY KEY ("tenant_id","member_id","source"),
    CONSTRAINT "task_events_windows_paired" CHECK (cardinality("task_codes") = cardinality("window_starts"))
);

-- Sharded by tenant where the citus extension is installed (a no-op otherwise), before its keys.
SELECT up_distribute_tenant_table('task_events');

ALTER TABLE "task_events" ADD CONSTRAINT "task_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "task_events" ADD CONSTRAINT "task_events_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;

SELECT up_tenant_table('task_events', 'rw');

-- What the arrays held moves over: one row per member and counted event, with every window
-- (task, window start) that counted it, in task order.
INSERT INTO "task_events" ("tenant_id", "member_id", "source", "task_codes", "window_starts", "at")
SELECT p."tenant_id", p."member_id", s."source",
       array_agg(p."task_code" ORDER BY p."task_code", p."window_start"),
       array_agg(p."window_start" ORDER BY p."task_code", p."window_start"),
       max(p."updated_at")
FROM "task_progress" p CROSS JOIN LATERAL unnest(p."sources") AS s("source")
GROUP BY p."tenant_id", p."member_id", s."source";

ALTER TABLE "task_progress" DROP COLUMN "sources";
