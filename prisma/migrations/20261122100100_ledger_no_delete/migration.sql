-- Lots, orders and activities carry mutable counters (UPDATE) but are never removed: a deleted
-- lot or order would break balance = sum(remaining lots) and the refund rule. The app role keeps
-- SELECT, INSERT, UPDATE only.
REVOKE DELETE ON "points_lots" FROM unionpoint_app;
REVOKE DELETE ON "orders" FROM unionpoint_app;
REVOKE DELETE ON "activities" FROM unionpoint_app;
