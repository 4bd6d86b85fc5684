// Adopting production: a database that already holds the original system's tables and rows
// (with its quirks) is migrated twice; every legacy value stays exactly as it was.
import { getTableConfig } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations, schema, type Database } from '../../src/db/index.ts';
import { createTestDatabase, testDbKind, type TestDatabase } from '../helpers/database.ts';

const legacyDdl = `
CREATE TABLE chatbot_conversations (
  conversation_id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_identifier         VARCHAR(255) NOT NULL,
  platform_type           VARCHAR(50)  NOT NULL DEFAULT 'webchat',
  conversation_started_at TIMESTAMP    NOT NULL DEFAULT now(),
  last_message_at         TIMESTAMP    NOT NULL DEFAULT now(),
  is_active               BOOLEAN      NOT NULL DEFAULT true
);
CREATE TABLE chatbot_messages (
  message_id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id           UUID NOT NULL REFERENCES chatbot_conversations(conversation_id),
  message_role              VARCHAR(20) NOT NULL,
  message_content           TEXT NOT NULL,
  executed_function_name    VARCHAR(100),
  function_input_parameters JSONB,
  function_output_result    JSONB,
  function_execution_status VARCHAR(20),
  message_created_at        TIMESTAMP NOT NULL DEFAULT now()
);`;

const legacyConversationCols = ['conversation_id', 'user_identifier', 'platform_type', 'conversation_started_at', 'last_message_at', 'is_active'];
const legacyMessageCols = ['message_id', 'conversation_id', 'message_role', 'message_content', 'executed_function_name', 'function_input_parameters', 'function_output_result', 'function_execution_status', 'message_created_at'];

const long = 'Mi sofá llegó roto 😡 and nobody answers. '.repeat(150).slice(0, 6000);
const rawHtml = '<div class="customer-card"><h3>Ann Lee</h3><img src=x onerror=alert(1)><script>alert(2)</script></div>\n\n**Function Result (getCustomerByPhone):** {"entry":[{"customerid":"C100001","firstname":"Ann"}]}';
const carousel = 'Here you go!\n\n**CAROUSEL_DATA:** {"products":[{"sku":"SOF-1001","name":"Brennan Sofa","price":899.99}]}';

async function snapshot(database: Database) {
  const conversations = await database.query(sql.raw(`SELECT ${legacyConversationCols.map((c) => `${c}::text AS ${c}`).join(', ')} FROM chatbot_conversations ORDER BY conversation_id`));
  const messages = await database.query(sql.raw(`SELECT ${legacyMessageCols.map((c) => `${c}::text AS ${c}`).join(', ')}, md5(message_content) AS content_md5, octet_length(message_content) AS bytes FROM chatbot_messages ORDER BY message_id`));
  return { conversations, messages };
}

describe(`adopting the production tables (${testDbKind})`, () => {
  let t: TestDatabase;
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
    const db = t.database;
    await db.exec(legacyDdl);
    await db.query(sql.raw(`
      INSERT INTO chatbot_conversations VALUES
        ('11111111-1111-4111-8111-111111111111', '404-555-0142', 'webchat', '2024-11-02 14:03:07.123456', '2025-03-01 09:15:00', true),
        ('22222222-2222-4222-8222-222222222222', 'fb_1234567890', 'facebook_messenger', '2024-01-15 08:00:00', '2024-01-15 08:30:00', false),
        ('33333333-3333-4333-8333-333333333333', '+14045550199', 'phone', '2025-02-10 23:59:59.999999', '2025-02-11 00:00:01', true);
    `));
    const msgs: [string, string, string, string | null, string | null, string | null, string | null, string][] = [
      ['11111111-1111-4111-8111-111111111111', 'user', 'Hola, necesito ayuda con mi pedido 🛋️', null, null, null, null, '2024-11-02 14:03:07.5'],
      ['11111111-1111-4111-8111-111111111111', 'assistant', rawHtml, 'getCustomerByPhone', '{"phone":"404-555-0142"}', '{"entry":[{"customerid":"C100001"}]}', 'success', '2024-11-02 14:03:09'],
      ['11111111-1111-4111-8111-111111111111', 'assistant', carousel, 'getProductRecommendations', null, null, 'error', '2024-11-02 14:04:00'],
      ['11111111-1111-4111-8111-111111111111', 'user', '', null, null, null, null, '2024-11-02 14:05:00'],
      ['11111111-1111-4111-8111-111111111111', 'user', long, null, null, null, null, '2025-03-01 09:15:00'],
      ['22222222-2222-4222-8222-222222222222', 'user', 'is anyone there', null, null, null, null, '2024-01-15 08:00:00'],
      ['22222222-2222-4222-8222-222222222222', 'assistant', 'I apologize, I am having trouble processing your request.', null, null, null, null, '2024-01-15 08:00:01'],
      ['22222222-2222-4222-8222-222222222222', 'assistant', 'I apologize, I am having trouble processing your request.', null, null, null, null, '2024-01-15 08:00:01'],
      ['33333333-3333-4333-8333-333333333333', 'assistant', '  trailing spaces and\r\nCRLF\ttabs  ', 'handleSupportEscalation', '{"issue":"broken leg"}', '{"text":"a ticket was created"}', 'success', '2025-02-11 00:00:01'],
    ];
    for (const m of msgs) {
      await db.query(sql`INSERT INTO chatbot_messages (conversation_id, message_role, message_content, executed_function_name, function_input_parameters, function_output_result, function_execution_status, message_created_at)
        VALUES (${m[0]}, ${m[1]}, ${m[2]}, ${m[3]}, ${m[4]}::jsonb, ${m[5]}::jsonb, ${m[6]}, ${m[7]}::timestamp)`);
    }
    before = await snapshot(db);
    await runMigrations(db);
    await runMigrations(db);
  });
  afterAll(async () => t?.drop());

  it('changes no legacy value', async () => {
    const after = await snapshot(t.database);
    expect(after.conversations).toEqual(before.conversations);
    expect(after.messages).toEqual(before.messages);
    expect(after.messages).toHaveLength(9);
  });

  it('keeps the legacy column types, TIMESTAMP without time zone included', async () => {
    const cols = await t.database.query<{ table_name: string; column_name: string; data_type: string }>(sql`
      SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_name IN ('chatbot_conversations', 'chatbot_messages') AND column_name IN ('conversation_started_at', 'last_message_at', 'message_created_at', 'message_content', 'function_input_parameters')`);
    const byName = Object.fromEntries(cols.map((c) => [`${c.table_name}.${c.column_name}`, c.data_type]));
    expect(byName).toEqual({
      'chatbot_conversations.conversation_started_at': 'timestamp without time zone',
      'chatbot_conversations.last_message_at': 'timestamp without time zone',
      'chatbot_messages.message_created_at': 'timestamp without time zone',
      'chatbot_messages.message_content': 'text',
      'chatbot_messages.function_input_parameters': 'jsonb',
    });
  });

  it('adds the inbox columns with their defaults and backfills only new columns', async () => {
    const rows = await t.database.query<Record<string, unknown>>(sql`
      SELECT conversation_id::text, inbox_status, priority_level, tags, assigned_agent_id, last_read_at, handled_by, message_count, customer_message_count
      FROM chatbot_conversations ORDER BY conversation_id`);
    expect(rows.map((r) => [r.inbox_status, r.priority_level, r.tags, r.handled_by])).toEqual([
      ['new', 'normal', [], 'bot'],
      ['new', 'normal', [], 'bot'],
      ['new', 'normal', [], 'bot'],
    ]);
    expect(rows.map((r) => [r.message_count, r.customer_message_count])).toEqual([[5, 3], [3, 1], [1, 0]]);
    const m = await t.database.query<Record<string, unknown>>(sql`SELECT sender_type, is_internal_note, components FROM chatbot_messages LIMIT 1`);
    expect(m[0]).toEqual({ sender_type: null, is_internal_note: false, components: null });
  });

  it('has the seed indexes and the full-text index', async () => {
    const idx = await t.database.query<{ indexname: string }>(sql`SELECT indexname FROM pg_indexes WHERE tablename IN ('chatbot_conversations', 'chatbot_messages')`);
    const names = idx.map((i) => i.indexname);
    for (const n of ['idx_conversations_inbox_status', 'idx_conversations_priority', 'idx_messages_conversation_created', 'idx_messages_fts']) {
      expect(names).toContain(n);
    }
  });

  it('a second run applies nothing', async () => {
    const [{ n }] = await t.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
    await runMigrations(t.database);
    const [{ n: n2 }] = await t.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
    expect(n2).toBe(n);
  });

  it('serves every legacy row through the schema, content byte for byte', async () => {
    const all = await t.database.db.select().from(schema.messages);
    expect(all).toHaveLength(9);
    const contents = all.map((m) => m.messageContent);
    expect(contents).toContain(rawHtml);
    expect(contents).toContain(carousel);
    expect(contents).toContain(long);
    expect(contents).toContain('');
    expect(contents).toContain('  trailing spaces and\r\nCRLF\ttabs  ');
  });

  it('adopted messages are searchable by conversation: their words are in conversation_terms', async () => {
    const missing = await t.database.query<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM chatbot_messages m CROSS JOIN LATERAL unnest(to_tsvector('simple', m.message_content)) w
      WHERE NOT EXISTS (SELECT 1 FROM conversation_terms ct WHERE ct.term = w.lexeme AND ct.conversation_id = m.conversation_id)`);
    expect(missing[0]!.n).toBe(0);
    const [{ n }] = await t.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM conversation_terms`);
    expect(n).toBeGreaterThan(10);
    // A row written straight into the table afterwards (the original system still writing during
    // the move) is searchable too: the trigger adds its words.
    const [conv] = await t.database.query<{ id: string }>(sql`SELECT conversation_id::text AS id FROM chatbot_conversations LIMIT 1`);
    await t.database.exec(`INSERT INTO chatbot_messages (conversation_id, message_role, message_content) VALUES ('${conv!.id}', 'user', 'Quiero cambiar el otomano xilófono')`);
    const found = await t.database.query<{ id: string }>(sql`SELECT conversation_id::text AS id FROM conversation_terms WHERE term = 'xilófono'`);
    expect(found.map((r) => r.id)).toEqual([conv!.id]);
    await t.database.exec(`DELETE FROM chatbot_messages WHERE message_content = 'Quiero cambiar el otomano xilófono'`);
  });

  it('the Drizzle schema and the migrated tables have the same columns', async () => {
    for (const table of [schema.conversations, schema.messages, schema.loftCustomers, schema.loftOrders, schema.loftOrderLines, schema.agents, schema.apiKeys, schema.events, schema.webhookEndpoints, schema.webhookDeliveries, schema.webhookAttempts, schema.conversationTerms]) {
      const cfg = getTableConfig(table);
      const cols = await t.database.query<{ column_name: string }>(sql`SELECT column_name FROM information_schema.columns WHERE table_name = ${cfg.name} AND table_schema = 'public'`);
      expect(cols.map((c) => c.column_name).sort(), cfg.name).toEqual(cfg.columns.map((c) => c.name).sort());
    }
  });
});
