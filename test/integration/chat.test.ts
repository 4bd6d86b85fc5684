// The customer chat as clients use it: the official openai client, the 14 functions through
// /v1/chat/completions with the offline model and the sandbox LOFT, identity, memory, handoff.
import OpenAI from 'openai';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentityToken } from '../../src/auth/index.ts';
import { seedDemoData } from '../../src/demo/index.ts';
import { createMemoryLoftClient } from '../../src/loft/index.ts';
import { createTestDatabase, testDbKind, type TestDatabase } from '../helpers/database.ts';
import { authHeaders, startTestApp, TEST_API_KEY, TEST_IDENTITY_SECRET, type TestApp } from '../helpers/app.ts';

let t: TestDatabase;
let app: TestApp;
let customer: { customer_id: string; phone_display: string; email: string; first_name: string; last_name: string };
let other: { customer_id: string; phone_display: string };

interface ChatReply {
  status: number;
  content: string;
  components: { type: string; data: any; html: string }[];
  conversation_id: string;
  handled_by: string;
  body: any;
}

async function chat(session: string, text: string, opts: { staff?: boolean; identityToken?: string } = {}): Promise<ChatReply> {
  const res = await fetch(`${app.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(opts.staff ? authHeaders() : {}) },
    body: JSON.stringify({ model: 'woodstock-assistant', session_id: session, messages: [{ role: 'user', content: text }], identity_token: opts.identityToken }),
  });
  const body = await res.json();
  return { status: res.status, content: body.choices?.[0]?.message?.content ?? '', components: body.components ?? [], conversation_id: body.conversation_id, handled_by: body.handled_by, body };
}

const session = () => `test-${Math.random().toString(36).slice(2)}-${Date.now()}`;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.database, { conversations: 12, messages: 600, seed: 3 });
  const rows = await t.database.query<typeof customer>(sql`
    SELECT c.customer_id, c.phone_display, c.email, c.first_name, c.last_name FROM loft_customers c
    WHERE (SELECT count(*) FROM loft_orders o WHERE o.customer_id = c.customer_id) >= 2 ORDER BY c.customer_id LIMIT 2`);
  customer = rows[0]!;
  other = rows[1]!;
  app = await startTestApp({ database: t.database });
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

describe(`chat (${testDbKind})`, () => {
  it('the official openai client chats, streaming and not', async () => {
    // The openai client always sends a bearer token: a staff API key here (a host site's
    // identity token works the same way for a customer).
    const client = new OpenAI({ baseURL: `${app.baseUrl}/v1`, apiKey: TEST_API_KEY });
    const s = session();
    const r = await client.chat.completions.create({ model: 'woodstock-assistant', messages: [{ role: 'user', content: 'What are your hours at the Canton store?' }], session_id: s } as never);
    expect(r.object).toBe('chat.completion');
    expect(r.choices[0]!.message.content).toMatch(/Canton/);
    expect((r as any).components.map((c: any) => c.type)).toContain('store_directions');

    const stream = await client.chat.completions.create({ model: 'woodstock-assistant', stream: true, messages: [{ role: 'user', content: 'directions to the Acworth showroom' }], session_id: s } as never);
    let text = '';
    let deltas = 0;
    const componentTypes: string[] = [];
    for await (const chunk of stream as any) {
      const d = chunk.choices[0]?.delta?.content;
      if (d) {
        text += d;
        deltas++;
      }
      for (const c of chunk.components ?? []) componentTypes.push(c.type);
    }
    expect(deltas).toBeGreaterThan(1);
    expect(text).toMatch(/Acworth/);
    expect(componentTypes).toEqual(['store_directions']);
  });

  it('a stream sends each component before the text that follows it, and stores the whole turn', async () => {
    const s = session();
    const res = await fetch(`${app.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders() },
      body: JSON.stringify({ stream: true, session_id: s, messages: [{ role: 'user', content: `Find customer with phone ${customer.phone_display}` }] }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const raw = await res.text();
    const frames = raw.split('\n\n').filter((f) => f.startsWith('data: ')).map((f) => f.slice(6));
    expect(frames.at(-1)).toBe('[DONE]');
    const parsed = frames.slice(0, -1).map((f) => JSON.parse(f));
    const firstComponent = parsed.findIndex((p) => p.components);
    const firstText = parsed.findIndex((p) => p.choices[0].delta.content);
    expect(firstComponent).toBeGreaterThan(-1);
    expect(firstComponent).toBeLessThan(firstText);
    const history = await (await fetch(`${app.baseUrl}/v1/sessions/${s}`)).json();
    expect(history.messages.map((m: any) => m.role)).toEqual(['user', 'tool', 'assistant']);
  });

  it('staff: phone → orders → details of the first one, as components from the sandbox', async () => {
    const s = session();
    const a = await chat(s, `Find customer with phone ${customer.phone_display}`, { staff: true });
    expect(a.components.map((c) => c.type)).toEqual(['customer_card']);
    expect(a.components[0]!.data.customer_id).toBe(customer.customer_id);
    expect(a.components[0]!.html).toContain(customer.first_name);

    const b = await chat(s, 'show me their orders', { staff: true });
    expect(b.components.map((c) => c.type)).toEqual(['order_list']);
    const orders = b.components[0]!.data.orders;
    const truth = await t.database.query<{ order_id: string }>(sql`SELECT order_id FROM loft_orders WHERE customer_id = ${customer.customer_id} ORDER BY order_date DESC, order_id DESC`);
    expect(orders.map((o: any) => o.order_id).sort()).toEqual(truth.map((o) => o.order_id).sort());

    const c = await chat(s, 'details of the first one', { staff: true });
    expect(c.components.map((x) => x.type)).toEqual(['order_details']);
    expect(c.components[0]!.data.order_id).toBe(orders[0].order_id);
    const lines = await t.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM loft_order_lines WHERE order_id = ${orders[0].order_id}`);
    expect(c.components[0]!.data.lines).toHaveLength(lines[0]!.n);

    // Old and new rows read alike: function columns filled with the legacy names.
    const stored = await t.database.query<{ executed_function_name: string; function_execution_status: string }>(sql`
      SELECT executed_function_name, function_execution_status FROM chatbot_messages
      WHERE conversation_id = ${c.conversation_id} AND executed_function_name IS NOT NULL ORDER BY message_created_at`);
    expect(stored.map((m) => m.executed_function_name)).toEqual(['getCustomerByPhone', 'getOrdersByCustomer', 'getDetailsByOrder']);
    expect(stored.every((m) => m.function_execution_status === 'success')).toBe(true);
  });

  it('an unverified visitor gets nobody\'s data; a verified one gets their own', async () => {
    const s = session();
    const a = await chat(s, `show me the orders for ${customer.phone_display}`);
    expect(a.components).toEqual([]);
    expect(a.content).not.toContain(customer.last_name);
    expect(a.content).not.toContain(customer.customer_id);
    expect(a.content.toLowerCase()).toMatch(/verif|sign in/);

    const token = await signIdentityToken({ phone: customer.phone_display }, TEST_IDENTITY_SECRET);
    const s2 = session();
    const b = await chat(s2, 'show me my orders', { identityToken: token });
    expect(b.components.map((c) => c.type)).toEqual(['order_list']);
    expect(b.components[0]!.data.customer_id).toBe(customer.customer_id);
    // ...and still not someone else's
    const c = await chat(s2, `find customer with phone ${other.phone_display}`, { identityToken: token });
    expect(c.components).toEqual([]);
    expect(JSON.stringify(c.body)).not.toContain(other.customer_id);

    const bad = await chat(session(), 'hi', { identityToken: 'not-a-jwt' });
    expect(bad.status).toBe(401);
    expect(bad.body.code).toBe('invalid_identity_token');
  });

  it('reaches each of the 14 functions with the offline model', async () => {
    const cases: [string, string][] = [
      [`Find customer with phone ${customer.phone_display}`, 'getCustomerByPhone'],
      [`look up the customer with email ${customer.email}`, 'getCustomerByEmail'],
      [`show me the orders of customer ${customer.customer_id}`, 'getOrdersByCustomer'],
      ['details of the first one', 'getDetailsByOrder'],
      [`analyze the purchase patterns of customer ${customer.customer_id}`, 'analyzeCustomerPatterns'],
      ['recommend a sofa under $1500', 'getProductRecommendations'],
      [`confirm the latest order of customer ${customer.customer_id}`, 'handleOrderConfirmationAndCrossSell'],
      [`what is the loyalty tier of customer ${customer.customer_id}`, 'handleLoyaltyUpgrade'],
      [`personalized recommendations for customer ${customer.customer_id}`, 'handleProductRecommendations'],
      [`show the customer journey timeline of customer ${customer.customer_id}`, 'getCustomerJourney'],
      [`full analytics overview for customer ${customer.customer_id}`, 'getCustomerAnalytics'],
      ['directions to the Dallas store', 'showDirections'],
      ['my sofa arrived damaged and the leg is broken', 'handleSupportEscalation'],
    ];
    const s = session();
    for (const [text, fn] of cases) {
      const r = await chat(s, text, { staff: true });
      expect(r.status, text).toBe(200);
      const called = await t.database.query<{ name: string }>(sql`
        SELECT executed_function_name AS name FROM chatbot_messages WHERE conversation_id = ${r.conversation_id}
        AND message_role = 'tool' ORDER BY message_created_at DESC LIMIT 3`);
      expect(called.map((c) => c.name), text).toContain(fn);
    }
    // connectToSupport in a fresh conversation (the escalation above handed that one to humans)
    const p = await chat(session(), 'I want to talk to a real person please');
    expect(p.components.map((c) => c.type)).toEqual(['support_connection']);
  });

  it('a handoff is real: the bot stays quiet while a human handles it, and answers after hand-back', async () => {
    const s = session();
    const a = await chat(s, 'my mattress arrived torn and stained, I want a refund');
    expect(a.components.map((c) => c.type)).toEqual(['support_ticket']);
    const conv = await (await fetch(`${app.baseUrl}/api/conversations/${a.conversation_id}`, { headers: authHeaders() })).json();
    expect(conv).toMatchObject({ handled_by: 'human', inbox_status: 'pending_human' });
    expect(['high', 'urgent']).toContain(conv.priority_level);
    expect(conv.handoff.reason).toBeTruthy();
    expect(conv.handoff.summary).toBeTruthy();
    const events = await (await fetch(`${app.baseUrl}/api/events?conversation_id=${a.conversation_id}&type=conversation.handoff_requested`, { headers: authHeaders() })).json();
    expect(events.data).toHaveLength(1);

    // An agent replies; the customer's next message is stored, and the assistant says nothing.
    const reply = await fetch(`${app.baseUrl}/api/conversations/${a.conversation_id}/messages`, { method: 'POST', headers: { ...authHeaders(), 'content-type': 'application/json' }, body: JSON.stringify({ content: 'Hi, this is Elena. So sorry — a replacement is on its way.' }) });
    expect(reply.status).toBe(201);
    const history = await (await fetch(`${app.baseUrl}/v1/sessions/${s}`)).json();
    expect(history.messages.at(-1)).toMatchObject({ sender_type: 'business_rep', content: 'Hi, this is Elena. So sorry — a replacement is on its way.' });

    const quiet = await chat(s, 'thank you! when will it arrive?');
    expect(quiet.handled_by).toBe('human');
    expect(quiet.content).toBe('');
    const after = await (await fetch(`${app.baseUrl}/v1/sessions/${s}`)).json();
    expect(after.messages.at(-1)).toMatchObject({ role: 'user', content: 'thank you! when will it arrive?' });

    // Handed back to the bot: it answers again.
    const back = await fetch(`${app.baseUrl}/api/conversations/${a.conversation_id}`, { method: 'PATCH', headers: { ...authHeaders(), 'content-type': 'application/json' }, body: JSON.stringify({ handled_by: 'bot' }) });
    expect(back.status).toBe(200);
    const answered = await chat(s, 'what are your hours in Canton?');
    expect(answered.handled_by).toBe('bot');
    expect(answered.content).toMatch(/Canton/);
  });

  it('after 500 stored messages the assistant still answers about the latest turns', async () => {
    const s = session();
    const first = await chat(s, 'hello');
    const id = first.conversation_id;
    // 500 older messages in one insert
    await t.database.query(sql`
      INSERT INTO chatbot_messages (conversation_id, message_role, message_content, message_created_at, sender_type)
      SELECT ${id}::uuid, CASE WHEN g % 2 = 0 THEN 'user' ELSE 'assistant' END, 'old chatter about a recliner #' || g,
             (now() AT TIME ZONE 'UTC') - interval '2 days' + g * interval '1 second', CASE WHEN g % 2 = 0 THEN 'customer' ELSE 'ai_assistant' END
      FROM generate_series(1, 500) g`);
    const a = await chat(s, `Find customer with phone ${customer.phone_display}`, { staff: true });
    expect(a.components[0]!.type).toBe('customer_card');
    const b = await chat(s, 'show me their orders', { staff: true });
    expect(b.components[0]!.type).toBe('order_list');
    expect(b.components[0]!.data.customer_id).toBe(customer.customer_id);
  });

  it('LOFT down: the customer gets a clear answer and the turn is stored', async () => {
    const down = createMemoryLoftClient({ customers: [], orders: {}, lines: {} });
    down.failWith('loft_unavailable');
    const broken = await startTestApp({ database: t.database, loft: down });
    try {
      const s = session();
      const res = await fetch(`${broken.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders() },
        body: JSON.stringify({ session_id: s, messages: [{ role: 'user', content: `Find customer with phone ${customer.phone_display}` }] }),
      });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.choices[0].message.content.toLowerCase()).toMatch(/isn.t answering|not answering|try again|unavailable/);
      const history = await (await fetch(`${broken.baseUrl}/v1/sessions/${s}`)).json();
      expect(history.messages.map((m: any) => m.role)).toEqual(['user', 'tool', 'assistant']);
      expect(history.messages[1].components).toBeNull();
    } finally {
      await broken.close();
    }
  });

  it('when the message cannot be stored the client is told, never answered as if it were', async () => {
    const s = session();
    await chat(s, 'hello');
    await t.database.exec('ALTER TABLE chatbot_messages RENAME TO chatbot_messages_away');
    try {
      const plain = await chat(s, 'are you there?');
      expect(plain.status).toBeGreaterThanOrEqual(500);
      expect(plain.body.code).toBeTruthy();
      const res = await fetch(`${app.baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stream: true, session_id: s, messages: [{ role: 'user', content: 'still there?' }] }) });
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    } finally {
      await t.database.exec('ALTER TABLE chatbot_messages_away RENAME TO chatbot_messages');
    }
    const history = await (await fetch(`${app.baseUrl}/v1/sessions/${s}`)).json();
    expect(history.messages.map((m: any) => m.content)).not.toContain('are you there?');
  });

  it('without a session, the original keying reuses an adopted active conversation (phone in any shape)', async () => {
    await t.database.exec(`INSERT INTO chatbot_conversations (conversation_id, user_identifier, platform_type, conversation_started_at, last_message_at)
      VALUES ('55555555-5555-4555-8555-555555555555', '678-555-0199', 'sms', '2024-03-01 09:00:00', '2024-03-01 09:10:00')`);
    // Keyed by identifier (no session): a channel integration, with its API key. Anonymous: 401.
    const anonymous = await fetch(`${app.baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_identifier: '+1 (678) 555-0199', platform_type: 'sms', messages: [{ role: 'user', content: 'hours in Dallas?' }] }) });
    expect(anonymous.status).toBe(401);
    const [{ n: stored }] = await t.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM chatbot_messages WHERE conversation_id = '55555555-5555-4555-8555-555555555555'`);
    expect(stored).toBe(0);
    const res = await fetch(`${app.baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...authHeaders() }, body: JSON.stringify({ user_identifier: '+1 (678) 555-0199', platform_type: 'sms', messages: [{ role: 'user', content: 'hours in Dallas?' }] }) });
    const body = await res.json();
    expect(body.conversation_id).toBe('55555555-5555-4555-8555-555555555555');
    const lookup = await (await fetch(`${app.baseUrl}/v1/sessions/${encodeURIComponent('(678) 555-0199')}`)).json();
    expect(lookup.conversation_id).toBe('55555555-5555-4555-8555-555555555555');
    // an unrelated identifier gets a conversation of its own, never one derived from the text
    const other = await (await fetch(`${app.baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...authHeaders() }, body: JSON.stringify({ user_identifier: 'ANN@Example.com', messages: [{ role: 'user', content: 'hours in Dallas?' }] }) })).json();
    expect(other.conversation_id).not.toBe('55555555-5555-4555-8555-555555555555');
    const [row] = await t.database.query<{ user_identifier: string }>(sql`SELECT user_identifier FROM chatbot_conversations WHERE conversation_id = ${other.conversation_id}`);
    expect(row!.user_identifier).toBe('ann@example.com');
  });

  it('sessions: GET answers without creating; bad requests are 4xx problems', async () => {
    const [{ n: before }] = await t.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM chatbot_conversations`);
    const missing = await fetch(`${app.baseUrl}/v1/sessions/nobody-here-123`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const [{ n: after }] = await t.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM chatbot_conversations`);
    expect(after).toBe(before);

    for (const body of [{}, { messages: [] }, { messages: [{ role: 'user', content: '' }] }, { messages: [{ role: 'system', content: 'x' }] }, { messages: [{ role: 'user', content: 'x'.repeat(9000) }] }, { messages: [{ role: 'user', content: 'hi' }], platform_type: 'carrier-pigeon' }]) {
      const r = await fetch(`${app.baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect((await r.json()).code).toBeTruthy();
    }
    const [{ n: final }] = await t.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM chatbot_conversations`);
    expect(final).toBe(before);
    const wrongKey = await fetch(`${app.baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer nope' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }) });
    expect(wrongKey.status).toBe(401);
  });
});
