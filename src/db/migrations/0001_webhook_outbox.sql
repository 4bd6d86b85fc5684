-- The webhook outbox as the delivery worker uses it. Idempotent: safe to run on a database that
-- already has any part of it.
-- A delivery row is one run through the retry schedule. Replays and re-sends add a new row for
-- the same event (same webhook-id), so the per-(event, endpoint) uniqueness only holds while a
-- delivery is pending: an event is never queued twice at once for one endpoint.
ALTER TABLE webhook_deliveries ALTER COLUMN event_id DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE webhook_attempts ALTER COLUMN event_id DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE webhook_deliveries ADD COLUMN IF NOT EXISTS event_type VARCHAR(64);
--> statement-breakpoint
ALTER TABLE webhook_deliveries ADD COLUMN IF NOT EXISTS origin VARCHAR(12) NOT NULL DEFAULT 'event';
--> statement-breakpoint
ALTER TABLE webhook_deliveries ADD COLUMN IF NOT EXISTS payload JSONB;
--> statement-breakpoint
DROP INDEX IF EXISTS idx_deliveries_event_endpoint;
--> statement-breakpoint
DROP INDEX IF EXISTS idx_deliveries_due;
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS idx_deliveries_pending_event ON webhook_deliveries(event_id, endpoint_id) WHERE status = 'pending';
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_deliveries_pending_due ON webhook_deliveries(endpoint_id, next_attempt_at, id) WHERE status = 'pending';
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_deliveries_created ON webhook_deliveries(created_at) WHERE status <> 'pending';
--> statement-breakpoint
-- A queue table: leases update rows in place (HOT) when the page has room, and dead rows are
-- vacuumed early.
ALTER TABLE webhook_deliveries SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS idx_webhook_endpoints_env ON webhook_endpoints(source) WHERE source = 'env';
