-- Adopts a database that already holds the original system's two tables, or creates them on an
-- empty one. Only additions: no legacy column is dropped, renamed, retyped or rewritten, and every
-- statement is safe to run again.
CREATE TABLE IF NOT EXISTS chatbot_conversations (
  conversation_id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_identifier         VARCHAR(255) NOT NULL,
  platform_type           VARCHAR(50)  NOT NULL DEFAULT 'webchat',
  conversation_started_at TIMESTAMP    NOT NULL DEFAULT now(),
  last_message_at         TIMESTAMP    NOT NULL DEFAULT now(),
  is_active               BOOLEAN      NOT NULL DEFAULT true
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS chatbot_messages (
  message_id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id           UUID NOT NULL REFERENCES chatbot_conversations(conversation_id),
  message_role              VARCHAR(20) NOT NULL,
  message_content           TEXT NOT NULL,
  executed_function_name    VARCHAR(100),
  function_input_parameters JSONB,
  function_output_result    JSONB,
  function_execution_status VARCHAR(20),
  message_created_at        TIMESTAMP NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- The seed's inbox columns, as the original team planned them.
ALTER TABLE chatbot_conversations ADD COLUMN IF NOT EXISTS inbox_status VARCHAR(50) DEFAULT 'new';
--> statement-breakpoint
ALTER TABLE chatbot_conversations ADD COLUMN IF NOT EXISTS assigned_agent_id UUID;
--> statement-breakpoint
ALTER TABLE chatbot_conversations ADD COLUMN IF NOT EXISTS priority_level VARCHAR(20) DEFAULT 'normal';
--> statement-breakpoint
ALTER TABLE chatbot_conversations ADD COLUMN IF NOT EXISTS tags JSONB DEFAULT '[]'::jsonb;
--> statement-breakpoint
ALTER TABLE chatbot_conversations ADD COLUMN IF NOT EXISTS last_read_at TIMESTAMP WITH TIME ZONE;
--> statement-breakpoint
-- Ours: triage, identity, denormalised counters the inbox list reads, enrichment.
ALTER TABLE chatbot_conversations
  ADD COLUMN IF NOT EXISTS snoozed_until TIMESTAMP WITH TIME ZONE,
  ADD COLUMN IF NOT EXISTS handled_by VARCHAR(10) NOT NULL DEFAULT 'bot',
  ADD COLUMN IF NOT EXISTS session_id VARCHAR(255),
  ADD COLUMN IF NOT EXISTS customer_id VARCHAR(64),
  ADD COLUMN IF NOT EXISTS customer_name VARCHAR(255),
  ADD COLUMN IF NOT EXISTS customer_phone VARCHAR(32),
  ADD COLUMN IF NOT EXISTS customer_email VARCHAR(255),
  ADD COLUMN IF NOT EXISTS customer_verified BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN IF NOT EXISTS message_count INTEGER,
  ADD COLUMN IF NOT EXISTS customer_message_count INTEGER,
  ADD COLUMN IF NOT EXISTS last_customer_message_at TIMESTAMP,
  ADD COLUMN IF NOT EXISTS waiting_since TIMESTAMP,
  ADD COLUMN IF NOT EXISTS priority_manual BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN IF NOT EXISTS priority_rank INTEGER NOT NULL DEFAULT 2,
  ADD COLUMN IF NOT EXISTS priority_reasons JSONB NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN IF NOT EXISTS sentiment_score REAL,
  ADD COLUMN IF NOT EXISTS sentiment_label VARCHAR(10),
  ADD COLUMN IF NOT EXISTS topics JSONB NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN IF NOT EXISTS customer_context JSONB,
  ADD COLUMN IF NOT EXISTS summary_text TEXT,
  ADD COLUMN IF NOT EXISTS handoff JSONB,
  ADD COLUMN IF NOT EXISTS enriched_at TIMESTAMP WITH TIME ZONE,
  ADD COLUMN IF NOT EXISTS updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now();
--> statement-breakpoint
ALTER TABLE chatbot_messages
  ADD COLUMN IF NOT EXISTS sender_type VARCHAR(20),
  ADD COLUMN IF NOT EXISTS sender_name VARCHAR(255),
  ADD COLUMN IF NOT EXISTS is_internal_note BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN IF NOT EXISTS components JSONB,
  ADD COLUMN IF NOT EXISTS idempotency_key VARCHAR(255),
  ADD COLUMN IF NOT EXISTS analysis JSONB;
--> statement-breakpoint
-- The seed's two indexes.
CREATE INDEX IF NOT EXISTS idx_conversations_inbox_status ON chatbot_conversations(inbox_status, last_message_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_conversations_priority ON chatbot_conversations(priority_level, last_message_at);
--> statement-breakpoint
-- What the chat and inbox queries need.
CREATE INDEX IF NOT EXISTS idx_conversations_user_platform ON chatbot_conversations(user_identifier, platform_type);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_conversations_last_message ON chatbot_conversations(last_message_at, conversation_id);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS idx_conversations_session ON chatbot_conversations(session_id);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_messages_conversation_created ON chatbot_messages(conversation_id, message_created_at, message_id);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS idx_messages_idempotency ON chatbot_messages(conversation_id, idempotency_key);
--> statement-breakpoint
-- Full-text search over message content ('simple': no stemming, so English and Spanish behave alike).
CREATE INDEX IF NOT EXISTS idx_messages_fts ON chatbot_messages USING gin (to_tsvector('simple', message_content));
--> statement-breakpoint
-- Backfill only the NEW denormalised columns from the legacy rows; legacy values are only read.
UPDATE chatbot_conversations c SET
  message_count = s.n,
  customer_message_count = s.nu,
  last_customer_message_at = s.last_user
FROM (
  SELECT conversation_id, count(*)::int AS n,
         count(*) FILTER (WHERE message_role = 'user')::int AS nu,
         max(message_created_at) FILTER (WHERE message_role = 'user') AS last_user
  FROM chatbot_messages GROUP BY conversation_id
) s
WHERE c.conversation_id = s.conversation_id AND c.message_count IS NULL;
--> statement-breakpoint
UPDATE chatbot_conversations SET message_count = 0, customer_message_count = 0 WHERE message_count IS NULL;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS loft_customers (
  customer_id   VARCHAR(64) PRIMARY KEY,
  first_name    VARCHAR(100) NOT NULL,
  last_name     VARCHAR(100) NOT NULL,
  email         VARCHAR(255) NOT NULL,
  phone         VARCHAR(32) NOT NULL,
  phone_display VARCHAR(32) NOT NULL,
  address1      VARCHAR(255) NOT NULL,
  city          VARCHAR(100) NOT NULL,
  state         VARCHAR(2) NOT NULL,
  zipcode       VARCHAR(10) NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_loft_customers_phone ON loft_customers(phone);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_loft_customers_email ON loft_customers(email);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS loft_orders (
  order_id      VARCHAR(64) PRIMARY KEY,
  customer_id   VARCHAR(64) NOT NULL,
  status        VARCHAR(1) NOT NULL,
  order_date    DATE NOT NULL,
  delivery_date DATE,
  order_total   NUMERIC(12,2) NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_loft_orders_customer ON loft_orders(customer_id);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS loft_order_lines (
  order_id    VARCHAR(64) NOT NULL,
  line_no     INTEGER NOT NULL,
  product_id  VARCHAR(64) NOT NULL,
  description VARCHAR(255) NOT NULL,
  qty_ordered INTEGER NOT NULL,
  item_price  NUMERIC(12,2) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS idx_loft_order_lines_pk ON loft_order_lines(order_id, line_no);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS inbox_agents (
  agent_id   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name       VARCHAR(255) NOT NULL,
  email      VARCHAR(255),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS inbox_api_keys (
  key_id       UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name         VARCHAR(255) NOT NULL,
  key_hash     VARCHAR(64) NOT NULL,
  key_prefix   VARCHAR(16) NOT NULL,
  agent_id     UUID,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  revoked_at   TIMESTAMP WITH TIME ZONE,
  last_used_at TIMESTAMP WITH TIME ZONE
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS idx_api_keys_hash ON inbox_api_keys(key_hash);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS inbox_events (
  id              BIGSERIAL PRIMARY KEY,
  type            VARCHAR(64) NOT NULL,
  conversation_id UUID,
  data            JSONB NOT NULL,
  occurred_at     TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_events_conversation ON inbox_events(conversation_id, id);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_events_occurred ON inbox_events(occurred_at);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS webhook_endpoints (
  id                         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  url                        TEXT NOT NULL,
  description                TEXT,
  event_types                JSONB,
  enabled                    BOOLEAN NOT NULL DEFAULT true,
  secret                     TEXT NOT NULL,
  previous_secret            TEXT,
  previous_secret_expires_at TIMESTAMP WITH TIME ZONE,
  disabled_reason            TEXT,
  source                     VARCHAR(10) NOT NULL DEFAULT 'api',
  created_at                 TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  updated_at                 TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id              BIGSERIAL PRIMARY KEY,
  endpoint_id     UUID NOT NULL,
  event_id        BIGINT NOT NULL,
  status          VARCHAR(12) NOT NULL DEFAULT 'pending',
  attempt_count   INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  lease_until     TIMESTAMP WITH TIME ZONE,
  leased_by       VARCHAR(64),
  last_status_code INTEGER,
  last_error      TEXT,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  completed_at    TIMESTAMP WITH TIME ZONE
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_deliveries_due ON webhook_deliveries(status, next_attempt_at);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_deliveries_endpoint ON webhook_deliveries(endpoint_id, id);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS idx_deliveries_event_endpoint ON webhook_deliveries(event_id, endpoint_id);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS webhook_attempts (
  id               BIGSERIAL PRIMARY KEY,
  delivery_id      BIGINT NOT NULL,
  endpoint_id      UUID NOT NULL,
  event_id         BIGINT NOT NULL,
  attempt_no       INTEGER NOT NULL,
  started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  duration_ms      INTEGER NOT NULL,
  status_code      INTEGER,
  error            TEXT,
  response_excerpt TEXT
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_attempts_delivery ON webhook_attempts(delivery_id, id);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_attempts_endpoint ON webhook_attempts(endpoint_id, id);
