// One Drizzle schema for PGlite and PostgreSQL. The two chatbot_* tables are the production
// tables as the original system created them (legacy columns first, types untouched, TIMESTAMP
// without time zone included); everything after the "added" comment is ours. The SQL that
// creates all of this lives in ./migrations and must stay in step with this file
// (test/integration/migrations.test.ts checks the columns of both).
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

export const conversations = pgTable(
  'chatbot_conversations',
  {
    // legacy
    conversationId: uuid('conversation_id').primaryKey().default(sql`gen_random_uuid()`),
    userIdentifier: varchar('user_identifier', { length: 255 }).notNull(),
    platformType: varchar('platform_type', { length: 50 }).notNull().default('webchat'),
    conversationStartedAt: timestamp('conversation_started_at', { mode: 'string' }).notNull().defaultNow(),
    lastMessageAt: timestamp('last_message_at', { mode: 'string' }).notNull().defaultNow(),
    isActive: boolean('is_active').notNull().default(true),
    // added: the seed's inbox columns
    inboxStatus: varchar('inbox_status', { length: 50 }).default('new'),
    assignedAgentId: uuid('assigned_agent_id'),
    priorityLevel: varchar('priority_level', { length: 20 }).default('normal'),
    tags: jsonb('tags').$type<string[]>().default([]),
    lastReadAt: timestamp('last_read_at', { withTimezone: true, mode: 'string' }),
    // added: ours
    snoozedUntil: timestamp('snoozed_until', { withTimezone: true, mode: 'string' }),
    handledBy: varchar('handled_by', { length: 10 }).notNull().default('bot'),
    sessionId: varchar('session_id', { length: 255 }),
    customerId: varchar('customer_id', { length: 64 }),
    customerName: varchar('customer_name', { length: 255 }),
    customerPhone: varchar('customer_phone', { length: 32 }),
    customerEmail: varchar('customer_email', { length: 255 }),
    customerVerified: boolean('customer_verified').notNull().default(false),
    messageCount: integer('message_count'),
    customerMessageCount: integer('customer_message_count'),
    lastCustomerMessageAt: timestamp('last_customer_message_at', { mode: 'string' }),
    waitingSince: timestamp('waiting_since', { mode: 'string' }),
    priorityManual: boolean('priority_manual').notNull().default(false),
    priorityRank: integer('priority_rank').notNull().default(2),
    priorityReasons: jsonb('priority_reasons').$type<string[]>().notNull().default([]),
    sentimentScore: real('sentiment_score'),
    sentimentLabel: varchar('sentiment_label', { length: 10 }),
    topics: jsonb('topics').$type<string[]>().notNull().default([]),
    customerContext: jsonb('customer_context'),
    summaryText: text('summary_text'),
    handoff: jsonb('handoff'),
    enrichedAt: timestamp('enriched_at', { withTimezone: true, mode: 'string' }),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [
    index('idx_conversations_user_platform').on(t.userIdentifier, t.platformType),
    index('idx_conversations_inbox_status').on(t.inboxStatus, t.lastMessageAt),
    index('idx_conversations_priority').on(t.priorityLevel, t.lastMessageAt),
    index('idx_conversations_last_message').on(t.lastMessageAt, t.conversationId),
    uniqueIndex('idx_conversations_session').on(t.sessionId),
  ],
);

export const messages = pgTable(
  'chatbot_messages',
  {
    // legacy
    messageId: uuid('message_id').primaryKey().default(sql`gen_random_uuid()`),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.conversationId),
    messageRole: varchar('message_role', { length: 20 }).notNull(),
    messageContent: text('message_content').notNull(),
    executedFunctionName: varchar('executed_function_name', { length: 100 }),
    functionInputParameters: jsonb('function_input_parameters'),
    functionOutputResult: jsonb('function_output_result'),
    functionExecutionStatus: varchar('function_execution_status', { length: 20 }),
    messageCreatedAt: timestamp('message_created_at', { mode: 'string' }).notNull().defaultNow(),
    // added
    senderType: varchar('sender_type', { length: 20 }),
    senderName: varchar('sender_name', { length: 255 }),
    isInternalNote: boolean('is_internal_note').notNull().default(false),
    components: jsonb('components'),
    idempotencyKey: varchar('idempotency_key', { length: 255 }),
    analysis: jsonb('analysis'),
  },
  (t) => [
    index('idx_messages_conversation_created').on(t.conversationId, t.messageCreatedAt, t.messageId),
    uniqueIndex('idx_messages_idempotency').on(t.conversationId, t.idempotencyKey),
  ],
);

// The LOFT sandbox's data: what the retailer's back office would hold. The seed writes it;
// the sandbox routes serve it in LOFT's wire format.
export const loftCustomers = pgTable(
  'loft_customers',
  {
    customerId: varchar('customer_id', { length: 64 }).primaryKey(),
    firstName: varchar('first_name', { length: 100 }).notNull(),
    lastName: varchar('last_name', { length: 100 }).notNull(),
    email: varchar('email', { length: 255 }).notNull(),
    phone: varchar('phone', { length: 32 }).notNull(),
    phoneDisplay: varchar('phone_display', { length: 32 }).notNull(),
    address1: varchar('address1', { length: 255 }).notNull(),
    city: varchar('city', { length: 100 }).notNull(),
    state: varchar('state', { length: 2 }).notNull(),
    zipcode: varchar('zipcode', { length: 10 }).notNull(),
  },
  (t) => [index('idx_loft_customers_phone').on(t.phone), index('idx_loft_customers_email').on(t.email)],
);

export const loftOrders = pgTable(
  'loft_orders',
  {
    orderId: varchar('order_id', { length: 64 }).primaryKey(),
    customerId: varchar('customer_id', { length: 64 }).notNull(),
    status: varchar('status', { length: 1 }).notNull(),
    orderDate: date('order_date', { mode: 'string' }).notNull(),
    deliveryDate: date('delivery_date', { mode: 'string' }),
    orderTotal: numeric('order_total', { precision: 12, scale: 2 }).notNull(),
  },
  (t) => [index('idx_loft_orders_customer').on(t.customerId)],
);

export const loftOrderLines = pgTable(
  'loft_order_lines',
  {
    orderId: varchar('order_id', { length: 64 }).notNull(),
    lineNo: integer('line_no').notNull(),
    productId: varchar('product_id', { length: 64 }).notNull(),
    description: varchar('description', { length: 255 }).notNull(),
    qtyOrdered: integer('qty_ordered').notNull(),
    itemPrice: numeric('item_price', { precision: 12, scale: 2 }).notNull(),
  },
  (t) => [uniqueIndex('idx_loft_order_lines_pk').on(t.orderId, t.lineNo)],
);

// Agents and API keys (inbox). Keys are stored as SHA-256 hashes; the clear key is shown once.
export const agents = pgTable('inbox_agents', {
  agentId: uuid('agent_id').primaryKey().default(sql`gen_random_uuid()`),
  name: varchar('name', { length: 255 }).notNull(),
  email: varchar('email', { length: 255 }),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
});

export const apiKeys = pgTable(
  'inbox_api_keys',
  {
    keyId: uuid('key_id').primaryKey().default(sql`gen_random_uuid()`),
    name: varchar('name', { length: 255 }).notNull(),
    keyHash: varchar('key_hash', { length: 64 }).notNull(),
    keyPrefix: varchar('key_prefix', { length: 16 }).notNull(),
    agentId: uuid('agent_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [uniqueIndex('idx_api_keys_hash').on(t.keyHash)],
);

// Each word of a conversation's messages, once per conversation: what `q=` looks plain words up
// in (see migrations/0002_conversation_terms.sql).
export const conversationTerms = pgTable(
  'conversation_terms',
  {
    term: text('term').notNull(),
    conversationId: uuid('conversation_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.term, t.conversationId] })],
);

// The event log: the id is the cursor. Writers take a transaction-scoped advisory lock
// before inserting, so ids are handed out in commit order (see events/event-log.ts).
export const events = pgTable(
  'inbox_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    type: varchar('type', { length: 64 }).notNull(),
    conversationId: uuid('conversation_id'),
    data: jsonb('data').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [index('idx_events_conversation').on(t.conversationId, t.id), index('idx_events_occurred').on(t.occurredAt)],
);

export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  url: text('url').notNull(),
  description: text('description'),
  eventTypes: jsonb('event_types').$type<string[] | null>(),
  enabled: boolean('enabled').notNull().default(true),
  secret: text('secret').notNull(),
  previousSecret: text('previous_secret'),
  previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true, mode: 'string' }),
  disabledReason: text('disabled_reason'),
  source: varchar('source', { length: 10 }).notNull().default('api'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
}, (t) => [
  // at most one endpoint ensured from WEBHOOK_URL (0001_webhook_outbox)
  uniqueIndex('idx_webhook_endpoints_env').on(t.source).where(sql`source = 'env'`),
]);

// The outbox: one row per run through the retry schedule (see events/webhooks). `event_id` is
// the webhook-id; NULL only for synthetic deliveries (webhook.test), whose body is in `payload`.
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    endpointId: uuid('endpoint_id').notNull(),
    eventId: bigint('event_id', { mode: 'number' }),
    status: varchar('status', { length: 12 }).notNull().default('pending'),
    attemptCount: integer('attempt_count').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'string' }),
    leasedBy: varchar('leased_by', { length: 64 }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'string' }),
    // added by 0001_webhook_outbox
    eventType: varchar('event_type', { length: 64 }),
    origin: varchar('origin', { length: 12 }).notNull().default('event'),
    payload: jsonb('payload'),
  },
  (t) => [
    index('idx_deliveries_endpoint').on(t.endpointId, t.id),
    uniqueIndex('idx_deliveries_pending_event').on(t.eventId, t.endpointId).where(sql`status = 'pending'`),
    index('idx_deliveries_pending_due').on(t.endpointId, t.nextAttemptAt, t.id).where(sql`status = 'pending'`),
    index('idx_deliveries_created').on(t.createdAt).where(sql`status <> 'pending'`),
  ],
);

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: bigint('delivery_id', { mode: 'number' }).notNull(),
    endpointId: uuid('endpoint_id').notNull(),
    eventId: bigint('event_id', { mode: 'number' }), // NULL for test deliveries (0001_webhook_outbox)
    attemptNo: integer('attempt_no').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    responseExcerpt: text('response_excerpt'),
  },
  (t) => [index('idx_attempts_delivery').on(t.deliveryId, t.id), index('idx_attempts_endpoint').on(t.endpointId, t.id)],
);
