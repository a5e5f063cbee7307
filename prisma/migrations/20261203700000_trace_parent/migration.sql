-- Trace context of the transaction that wrote an outbox event, kept on the event and on each
-- webhook delivery relayed from it, so a delivery's trace links back to the request that caused
-- it. withTenant sets `app.trace_parent` (a W3C traceparent) only while tracing is on; otherwise
-- the setting is absent and the column stays NULL. Nothing reads it but the worker's tracing.
ALTER TABLE "outbox_events"
  ADD COLUMN "trace_parent" TEXT DEFAULT NULLIF(current_setting('app.trace_parent', true), '');

ALTER TABLE "webhook_deliveries"
  ADD COLUMN "trace_parent" TEXT DEFAULT NULLIF(current_setting('app.trace_parent', true), '');
