// The service as an operator meets it: start-up, health and readiness, config errors, the
// migrate command against adopted production tables, the LOFT sandbox's wire format, limits.
import { spawn, execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import { seedDemoData } from '../../src/demo/index.ts';
import { createEmptyDatabase, createTestDatabase, testDbKind, type TestDatabase } from '../helpers/database.ts';
import { startTestApp, TEST_API_KEY, type TestApp } from '../helpers/app.ts';

const run = promisify(execFile);
let t: TestDatabase;
let app: TestApp;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.database, { conversations: 6, messages: 120, seed: 5 });
  app = await startTestApp({ database: t.database, env: { RATE_LIMIT_PER_MINUTE: '5' } });
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

describe(`operations (${testDbKind})`, () => {
  it('health, readiness, the OpenAPI document and its rendering', async () => {
    expect(await (await fetch(`${app.baseUrl}/health`)).json()).toMatchObject({ status: 'ok', database: testDbKind });
    expect(await (await fetch(`${app.baseUrl}/ready`)).json()).toMatchObject({ status: 'ready' });
    const doc = await (await fetch(`${app.baseUrl}/openapi.json`)).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/chat/completions', '/api/conversations', '/api/conversations/{id}/messages']));
    const docs = await fetch(`${app.baseUrl}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('<html');
    const res = await fetch(`${app.baseUrl}/health`, { headers: { 'x-request-id': 'trace-me-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-me-123');
  });

  it('/metrics exposes request latency by route, WebSocket clients, LOFT calls and the delivery backlog', async () => {
    await fetch(`${app.baseUrl}/health`);
    const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/health"/);
    expect(text).toContain('websocket_clients{channel="inbox"}');
    expect(text).toContain('webhook_deliveries{status="pending"}');
    expect(text).toContain('loft_call_duration_seconds');
    expect(text).toContain('llm_turn_duration_seconds');
    expect(text).toMatch(/^webhook_oldest_due_seconds 0$/m);
    expect(text).toContain('webhook_attempt_duration_seconds');
  });

  it('unknown routes and malformed bodies are problem+json 4xx', async () => {
    const r = await fetch(`${app.baseUrl}/nope`);
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    const big = await fetch(`${app.baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(300_000) }] }) });
    expect(big.status).toBe(413);
    expect((await big.json()).code).toBe('payload_too_large');
    const text = await fetch(`${app.baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<hello/>' });
    expect(text.status).toBe(415);
    expect((await text.json()).code).toBe('unsupported_media_type');
  });

  it('the public chat is rate limited with a 429 problem', async () => {
    const send = () => fetch(`${app.baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'hours in Canton?' }] }) });
    // 5 a minute per client (this file's earlier chat requests count too)
    let limited = await send();
    let ok = 0;
    while (limited.status === 200 && ok < 10) {
      ok++;
      limited = await send();
    }
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThanOrEqual(5);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect((await limited.json()).code).toBe('rate_limited');
  });

  it('the LOFT sandbox answers in LOFT\'s wire format; its customer and order routes need an API key', async () => {
    const key = { headers: { authorization: `Bearer ${TEST_API_KEY}` } };
    const [c] = await t.database.query<{ customer_id: string; phone_display: string; email: string }>(sql`SELECT customer_id, phone_display, email FROM loft_customers ORDER BY customer_id LIMIT 1`);
    for (const phone of [c!.phone_display, `(${c!.phone_display.slice(0, 3)}) ${c!.phone_display.slice(4)}`, `+1${c!.phone_display.replace(/-/g, '')}`]) {
      const r = await (await fetch(`${app.baseUrl}/sandbox/loft/GetCustomerByPhone?phone=${encodeURIComponent(phone)}`, key)).json();
      expect(r.entry).toHaveLength(1);
      expect(r.entry[0]).toMatchObject({ customerid: c!.customer_id, email: c!.email });
    }
    const orders = await (await fetch(`${app.baseUrl}/sandbox/loft/GetOrdersByCustomer?custid=${c!.customer_id}`, key)).json();
    expect(orders.entry.length).toBeGreaterThan(0);
    expect(orders.entry[0]).toHaveProperty('orderid');
    const lines = await (await fetch(`${app.baseUrl}/sandbox/loft/GetDetailsByOrder?orderid=${orders.entry[0].orderid}`, key)).json();
    expect(lines.entry[0]).toHaveProperty('itemprice');
    const none = await (await fetch(`${app.baseUrl}/sandbox/loft/GetCustomerByEmail?email=nobody@example.com`, key)).json();
    expect(none).toEqual({ entry: [] });
    const bad = await fetch(`${app.baseUrl}/sandbox/loft/GetCustomerByPhone`, key);
    expect(bad.status).toBe(400);
    // Without a key (or with a wrong one): 401, no record. The catalogue stays public.
    for (const init of [{}, { headers: { authorization: 'Bearer not-a-key' } }, { headers: { 'x-sandbox-token': 'guess' } }] as RequestInit[]) {
      const anon = await fetch(`${app.baseUrl}/sandbox/loft/GetCustomerByPhone?phone=${encodeURIComponent(c!.phone_display)}`, init);
      expect(anon.status).toBe(401);
      expect(await anon.text()).not.toContain(c!.email);
    }
  });
});

describe('start-up and the migrate command', () => {
  it('a bad config value stops start-up with a message naming it', async () => {
    const r = await run('npx', ['tsx', 'src/main.ts'], { env: { ...process.env, PORT: 'eighty', DATABASE_URL: '' } }).catch((e) => e);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PORT/);
  });

  it.runIf(testDbKind === 'postgres')('npm run db:migrate adopts a database holding the legacy tables, and a second run changes nothing', async () => {
    const empty = await createEmptyDatabase();
    const db = await openDatabase({ databaseUrl: empty.url });
    try {
      await db.exec(`
        CREATE TABLE chatbot_conversations (conversation_id UUID PRIMARY KEY DEFAULT gen_random_uuid(), user_identifier VARCHAR(255) NOT NULL,
          platform_type VARCHAR(50) NOT NULL DEFAULT 'webchat', conversation_started_at TIMESTAMP NOT NULL DEFAULT now(),
          last_message_at TIMESTAMP NOT NULL DEFAULT now(), is_active BOOLEAN NOT NULL DEFAULT true);
        CREATE TABLE chatbot_messages (message_id UUID PRIMARY KEY DEFAULT gen_random_uuid(), conversation_id UUID NOT NULL REFERENCES chatbot_conversations(conversation_id),
          message_role VARCHAR(20) NOT NULL, message_content TEXT NOT NULL, executed_function_name VARCHAR(100), function_input_parameters JSONB,
          function_output_result JSONB, function_execution_status VARCHAR(20), message_created_at TIMESTAMP NOT NULL DEFAULT now());
        INSERT INTO chatbot_conversations (conversation_id, user_identifier, platform_type, conversation_started_at, last_message_at)
          VALUES ('44444444-4444-4444-8444-444444444444', '(404) 555-0142', 'facebook_messenger', '2024-05-01 10:00:00', '2024-05-01 10:05:00');
        INSERT INTO chatbot_messages (conversation_id, message_role, message_content, executed_function_name, message_created_at)
          VALUES ('44444444-4444-4444-8444-444444444444', 'assistant', '<b>hola</b> **CAROUSEL_DATA:** {"products":[]}', 'getProductRecommendations', '2024-05-01 10:05:00');`);
      const before = await db.query(sql`SELECT m.*::text AS row FROM chatbot_messages m`);
      const first = await run('npm', ['run', 'db:migrate'], { env: { ...process.env, DATABASE_URL: empty.url } });
      expect(first.stdout).toMatch(/migrations applied to postgres/);
      const cols = await db.query<{ column_name: string }>(sql`SELECT column_name FROM information_schema.columns WHERE table_name = 'chatbot_conversations'`);
      expect(cols.map((c) => c.column_name)).toEqual(expect.arrayContaining(['inbox_status', 'assigned_agent_id', 'priority_level', 'tags', 'last_read_at', 'handled_by']));
      const snapshot = await db.query(sql`SELECT c.*::text AS row FROM chatbot_conversations c`);
      await run('npm', ['run', 'db:migrate'], { env: { ...process.env, DATABASE_URL: empty.url } });
      expect(await db.query(sql`SELECT c.*::text AS row FROM chatbot_conversations c`)).toEqual(snapshot);
      const legacyCols = sql.raw('message_id, conversation_id, message_role, message_content, executed_function_name, function_input_parameters, function_output_result, function_execution_status, message_created_at');
      const after = await db.query(sql`SELECT (${legacyCols})::text AS row FROM chatbot_messages m`);
      expect(after.length).toBe(before.length);
      expect(JSON.stringify(after)).toContain('hola');
    } finally {
      await db.close();
      await empty.drop();
    }
  });

  it.runIf(testDbKind === 'postgres')('SIGTERM finishes in-flight requests, then exits cleanly', async () => {
    const empty = await createEmptyDatabase();
    const port = await freePort();
    // node itself (not npx), so the signal reaches our process as it would under a supervisor
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, DATABASE_URL: empty.url, PORT: String(port), DEMO_DATA: 'false', LOG_LEVEL: 'warn' }, stdio: 'pipe' });
    try {
      let ready = false;
      for (let i = 0; i < 100 && !ready; i++) {
        ready = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.ok).catch(() => false);
        if (!ready) await new Promise((r) => setTimeout(r, 200));
      }
      expect(ready).toBe(true);
      const inflight = fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'What are your hours in Canton and Dallas?' }] }) }).then((r) => r.text());
      await new Promise((r) => setTimeout(r, 30));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      child.kill('SIGTERM');
      const body = await inflight;
      expect(body.trim().endsWith('data: [DONE]')).toBe(true);
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await empty.drop();
    }
  });
});
