// Webhooks as a receiver sees them: endpoints managed through the API, events from real actions
// arriving signed (verified with the standardwebhooks package) with webhook-id = event id, retries
// on the configured schedule, Retry-After, 410, dead deliveries and replay, isolation from a
// hanging endpoint, secret rotation, the attempt log, the seed's re-send path, retention.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, withEvents } from '../../src/conversations/conversation-store.ts';
import { cleanupEvents } from '../../src/events/event-log.ts';
import { ensureEnvWebhook } from '../../src/events/webhooks/index.ts';
import { createTestDatabase, testDbKind, type TestDatabase } from '../helpers/database.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';
import { startWebhookTestApp, type WebhookTestApp } from '../helpers/webhook-app.ts';

const SCHEDULE = [0, 0.3, 0.6];
const TIMEOUT_MS = 1_500;
let t: TestDatabase;
let h: WebhookTestApp;
let conversationId: string;
const receivers: Receiver[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function receiver(opts: Parameters<typeof startReceiver>[0] = {}): Promise<Receiver> {
  const r = await startReceiver(opts);
  receivers.push(r);
  return r;
}

/** An endpoint on `r`, created through the API; `r` verifies with its secret. */
async function endpointFor(r: Receiver, body: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const res = await h.api('/api/webhooks', { method: 'POST', body: { url: r.url, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  r.secrets.push(res.body.secret);
  return { id: res.body.id, secret: res.body.secret };
}

async function reply(content: string): Promise<{ message_id: string }> {
  const res = await h.api(`/api/conversations/${conversationId}/messages`, { method: 'POST', body: { content } });
  expect(res.status).toBe(201);
  return res.body;
}

async function eventsAfter(id: number): Promise<{ id: number; type: string }[]> {
  const r = await t.database.query<{ id: string; type: string }>(sql`SELECT id, type FROM inbox_events WHERE id > ${id} ORDER BY id`);
  return r.map((e) => ({ id: Number(e.id), type: e.type }));
}

async function lastEventId(): Promise<number> {
  const [r] = await t.database.query<{ max: string | null }>(sql`SELECT max(id) AS max FROM inbox_events`);
  return Number(r?.max ?? 0);
}

async function deliveries(endpointId: string, query = ''): Promise<any[]> {
  const res = await h.api(`/api/webhooks/${endpointId}/deliveries${query}`);
  expect(res.status).toBe(200);
  return res.body.data;
}

async function until<T>(fn: () => Promise<T>, pred: (v: T) => boolean, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (pred(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 500)}`);
    await sleep(50);
  }
}

/** Gaps between consecutive attempts, in ms, as the receiver saw them. */
const gaps = (list: { at: number }[]) => list.slice(1).map((r, i) => r.at - list[i]!.at);

/** Within ±20% of the expected wait, plus a little for scheduling on a shared machine. */
function expectOnSchedule(gap: number, expectedMs: number) {
  expect(gap).toBeGreaterThanOrEqual(expectedMs * 0.8 - 30);
  expect(gap).toBeLessThanOrEqual(expectedMs * 1.2 + 150);
}

beforeAll(async () => {
  t = await createTestDatabase();
  h = await startWebhookTestApp({
    database: t.database,
    env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: SCHEDULE.join(','), WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS) },
  });
  const { result } = await withEvents(t.database, async (tx) => {
    const r = await createConversation(tx, { userIdentifier: '+14045550142', platformType: 'webchat', sessionId: 'webhook-test' });
    return { result: r.conversation, events: r.events };
  });
  conversationId = result.conversation_id;
});

afterEach(async () => {
  // Each test owns its endpoints: remove them so later events do not go to old receivers.
  const list = await h.api('/api/webhooks');
  for (const e of list.body?.data ?? []) if (e.source === 'api') await h.api(`/api/webhooks/${e.id}`, { method: 'DELETE' });
});

afterAll(async () => {
  await h?.close();
  for (const r of receivers) await r.close();
  await t?.drop();
});

describe(`webhooks (${testDbKind})`, () => {
  it('manages endpoints through the API; the secret is shown only at creation', async () => {
    const r = await receiver();
    const created = await h.api('/api/webhooks', { method: 'POST', body: { url: r.url, event_types: ['message.created'], description: 'inbox team' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: r.url, event_types: ['message.created'], description: 'inbox team', enabled: true, source: 'api' });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const id = created.body.id;

    const one = await h.api(`/api/webhooks/${id}`);
    expect(one.status).toBe(200);
    expect(one.body.secret).toBeUndefined();
    const list = await h.api('/api/webhooks');
    expect(list.body.data.map((e: any) => e.id)).toContain(id);
    expect(list.body.data.every((e: any) => e.secret === undefined)).toBe(true);

    const patched = await h.api(`/api/webhooks/${id}`, { method: 'PATCH', body: { event_types: null, description: null, enabled: false } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ event_types: null, description: null, enabled: false, disabled_reason: 'disabled through the API' });
    const enabled = await h.api(`/api/webhooks/${id}`, { method: 'PATCH', body: { enabled: true } });
    expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null });

    // Bad input is a 400 problem that says what is wrong, and changes nothing.
    for (const body of [{ event_types: ['message.nope'] }, { enabled: 'yes' }, {}, { url: 'ftp://example.com/x' }, { secret: 'whsec_x' }]) {
      const bad = await h.api(`/api/webhooks/${id}`, { method: 'PATCH', body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.contentType).toContain('application/problem+json');
    }
    expect((await h.api(`/api/webhooks/${id}`)).body).toMatchObject({ url: r.url, enabled: true });

    expect((await h.api(`/api/webhooks/${id}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await h.api(`/api/webhooks/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('webhook_not_found');
  });

  it('every route needs an API key', async () => {
    const id = '6f1d1c9e-3b8a-4f7e-9a51-0c2f4d7e8b10';
    const routes: [string, string][] = [
      ['GET', '/api/webhooks'], ['POST', '/api/webhooks'], ['GET', `/api/webhooks/${id}`], ['PATCH', `/api/webhooks/${id}`],
      ['DELETE', `/api/webhooks/${id}`], ['GET', `/api/webhooks/${id}/deliveries`], ['POST', `/api/webhooks/${id}/test`],
      ['POST', `/api/webhooks/${id}/replay`], ['POST', `/api/webhooks/${id}/rotate-secret`], ['POST', '/webhook/inbox/new-message'],
    ];
    for (const [method, path] of routes) {
      for (const key of [null, 'wrong-key-0123456789abcdef']) {
        const res = await h.api(path, { method, key, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.contentType).toContain('application/problem+json');
        expect(res.body.code).toBe('unauthorized');
      }
    }
  });

  it('refuses loopback, private and malformed URLs unless WEBHOOK_ALLOW_PRIVATE=true', async () => {
    const strict = await startWebhookTestApp({ database: t.database, worker: false });
    try {
      for (const url of ['http://127.0.0.1:9999/hooks', 'http://localhost/hooks', 'http://[::1]/x', 'http://10.1.2.3/x', 'http://169.254.169.254/latest/meta-data', 'http://[::ffff:127.0.0.1]/x', 'http://0.0.0.0/x']) {
        const res = await strict.api('/api/webhooks', { method: 'POST', body: { url } });
        expect(res.status, url).toBe(400);
        expect(res.contentType).toContain('application/problem+json');
        expect(res.body.code).toBe('invalid_webhook_url');
      }
      for (const url of ['ftp://example.com/x', 'http://user:pw@example.com/x', 'not a url', 'javascript:alert(1)']) {
        const res = await strict.api('/api/webhooks', { method: 'POST', body: { url } });
        expect(res.status, url).toBe(400);
        expect(res.body.code).toBe('invalid_webhook_url');
      }
      expect((await strict.api('/api/webhooks')).body.data).toHaveLength(0);
      // A PATCH is checked the same way.
      const ok = await h.api('/api/webhooks', { method: 'POST', body: { url: 'http://127.0.0.1:9/allowed-here' } });
      expect(ok.status).toBe(201);
      const moved = await strict.api(`/api/webhooks/${ok.body.id}`, { method: 'PATCH', body: { url: 'http://127.0.0.2/x' } });
      expect(moved.status).toBe(400);
      expect(moved.body.code).toBe('invalid_webhook_url');
    } finally {
      await strict.close();
    }
  });

  it('events from real actions arrive signed, with webhook-id = the event id and body {type, timestamp, data}', async () => {
    const r = await receiver();
    await endpointFor(r);
    const before = await lastEventId();
    const msg = await reply('Hi Ann, your sofa ships Friday.');
    const patched = await h.api(`/api/conversations/${conversationId}`, { method: 'PATCH', body: { priority_level: 'high', tags: ['delivery'] } });
    expect(patched.status).toBe(200);
    const committed = await eventsAfter(before);
    expect(committed.map((e) => e.type)).toContain('message.created');
    expect(committed.map((e) => e.type)).toContain('conversation.updated');

    await r.waitFor(() => committed.every((e) => r.byId(String(e.id)).length > 0), 10_000, 'every event');
    for (const e of committed) {
      const got = r.byId(String(e.id));
      expect(got).toHaveLength(1);
      expect(got[0]!.verifiedWith).toHaveLength(1);
      expect(got[0]!.json!.type).toBe(e.type);
      expect(got[0]!.json!.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Object.keys(got[0]!.json!).sort()).toEqual(['data', 'timestamp', 'type']);
    }
    const created = r.received.find((x) => x.json?.type === 'message.created')!;
    expect(created.json!.data).toMatchObject({ conversation_id: conversationId, source: 'woodstock_ai', message: { message_id: msg.message_id, content: 'Hi Ann, your sofa ships Friday.' } });
    // Deliveries to one endpoint go out in event order.
    expect(r.received.map((x) => Number(x.webhookId))).toEqual([...committed.map((e) => e.id)]);
  });

  it('sends only the subscribed event types', async () => {
    const r = await receiver();
    await endpointFor(r, { event_types: ['conversation.updated'] });
    const before = await lastEventId();
    await reply('Only the update should be sent.');
    await h.api(`/api/conversations/${conversationId}`, { method: 'PATCH', body: { priority_level: 'low' } });
    const committed = await eventsAfter(before);
    const wanted = committed.filter((e) => e.type === 'conversation.updated');
    await r.waitFor(() => wanted.every((e) => r.byId(String(e.id)).length > 0), 10_000, 'the updates');
    await sleep(200);
    expect(r.received.every((x) => x.json?.type === 'conversation.updated')).toBe(true);
  });

  it('retries a failing receiver on the configured schedule, then succeeds', async () => {
    const r = await receiver({ answer: (_x, n) => (n <= 2 ? { status: 500, body: 'boom' } : { status: 200, body: 'ok' }) });
    const ep = await endpointFor(r, { event_types: ['message.created'] });
    const before = await lastEventId();
    await reply('Retry me.');
    const [event] = (await eventsAfter(before)).filter((e) => e.type === 'message.created');
    await r.waitFor(() => r.byId(String(event!.id)).some((x) => x.status === 200), 10_000, 'the third attempt');
    const attempts = r.byId(String(event!.id));
    expect(attempts.map((x) => x.status)).toEqual([500, 500, 200]);
    expect(attempts.every((x) => x.verifiedWith.length === 1)).toBe(true);
    const [g1, g2] = gaps(attempts);
    expectOnSchedule(g1!, SCHEDULE[1]! * 1000);
    expectOnSchedule(g2!, SCHEDULE[2]! * 1000);

    // The attempt log, through the API.
    const [d] = await until(() => deliveries(ep.id), (list) => list[0]?.status === 'succeeded', 5_000, 'succeeded');
    expect(d).toMatchObject({ event_id: event!.id, webhook_id: String(event!.id), event_type: 'message.created', status: 'succeeded', attempt_count: 3, last_status_code: 200, next_attempt_at: null });
    expect(d.attempts.map((a: any) => [a.attempt_no, a.status_code, a.error, a.response_excerpt])).toEqual([
      [1, 500, 'HTTP 500', 'boom'],
      [2, 500, 'HTTP 500', 'boom'],
      [3, 200, null, 'ok'],
    ]);
    for (const a of d.attempts) {
      expect(a.duration_ms).toBeGreaterThanOrEqual(0);
      expect(Date.parse(a.started_at)).not.toBeNaN();
    }
  });

  it('honours Retry-After when it asks for more time than the schedule', async () => {
    const r = await receiver({ answer: (_x, n) => (n === 1 ? { status: 503, headers: { 'retry-after': '1' }, body: 'busy' } : { status: 204 }) });
    await endpointFor(r, { event_types: ['message.created'] });
    const before = await lastEventId();
    await reply('Come back later.');
    const [event] = (await eventsAfter(before)).filter((e) => e.type === 'message.created');
    await r.waitFor(() => r.byId(String(event!.id)).length === 2, 10_000, 'the retry');
    const [gap] = gaps(r.byId(String(event!.id)));
    expect(gap).toBeGreaterThanOrEqual(1000 - 30);
    expect(gap).toBeLessThanOrEqual(1000 * 1.2 + 150);
  });

  it('410 Gone disables the endpoint', async () => {
    const r = await receiver({ answer: () => ({ status: 410, body: 'gone' }) });
    const ep = await endpointFor(r);
    const before = await lastEventId();
    await reply('Anyone there?');
    const first = (await eventsAfter(before))[0]!;
    const endpoint = await until(() => h.api(`/api/webhooks/${ep.id}`), (res) => res.body.enabled === false, 5_000, 'disabled');
    expect(endpoint.body.disabled_reason).toMatch(/410/);
    const list = await deliveries(ep.id);
    expect(list.find((d) => d.event_id === first.id)).toMatchObject({ status: 'dead', last_status_code: 410, attempt_count: 1 });
    expect(list.every((d) => d.status !== 'pending')).toBe(true);
    // Nothing more is sent to it.
    const n = r.received.length;
    await reply('Still there?');
    await sleep(400);
    expect(r.received.length).toBe(n);
  });

  it('a delivery is dead after the last attempt, and replay delivers it (same webhook-id)', async () => {
    let up = false;
    const r = await receiver({ answer: () => (up ? { status: 200 } : { status: 502, body: 'down' }) });
    const ep = await endpointFor(r, { event_types: ['message.created'] });
    const before = await lastEventId();
    await reply('This one dies first.');
    const [event] = (await eventsAfter(before)).filter((e) => e.type === 'message.created');
    const [dead] = await until(() => deliveries(ep.id, '?status=dead'), (l) => l.length === 1, 10_000, 'dead');
    expect(dead).toMatchObject({ event_id: event!.id, status: 'dead', attempt_count: SCHEDULE.length, last_status_code: 502, last_error: 'HTTP 502' });
    expect(dead.attempts).toHaveLength(SCHEDULE.length);
    expect(r.byId(String(event!.id))).toHaveLength(SCHEDULE.length);

    up = true;
    const replayed = await h.api(`/api/webhooks/${ep.id}/replay`, { method: 'POST', body: { delivery_id: dead.id } });
    expect(replayed.status).toBe(202);
    expect(replayed.body.queued).toBe(1);
    await r.waitFor(() => r.byId(String(event!.id)).some((x) => x.status === 200), 5_000, 'the replay');
    const again = r.byId(String(event!.id)).at(-1)!;
    expect(again.verifiedWith).toHaveLength(1);
    const after = await until(() => deliveries(ep.id), (l) => l.some((d) => d.id === replayed.body.delivery_id && d.status === 'succeeded'), 5_000, 'replay succeeded');
    expect(after.find((d) => d.id === replayed.body.delivery_id)).toMatchObject({ origin: 'replay', webhook_id: String(event!.id) });

    // Replay since a time re-sends every event since then that the endpoint subscribes to.
    const since = await h.api(`/api/webhooks/${ep.id}/replay`, { method: 'POST', body: { since: new Date(Date.now() - 60_000).toISOString() } });
    expect(since.status).toBe(202);
    const [{ n }] = await t.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM inbox_events WHERE type = 'message.created' AND occurred_at >= now() - interval '60 seconds'`);
    expect(since.body.queued).toBe(n);
    await r.waitFor(() => r.byId(String(event!.id)).filter((x) => x.status === 200).length === 2, 5_000, 'replay since');

    const bad = await h.api(`/api/webhooks/${ep.id}/replay`, { method: 'POST', body: {} });
    expect(bad.status).toBe(400);
    const missing = await h.api(`/api/webhooks/${ep.id}/replay`, { method: 'POST', body: { delivery_id: 999_999_999 } });
    expect(missing.status).toBe(404);
  });

  it('a hanging endpoint does not delay another endpoint', async () => {
    const hanging = await receiver({ answer: () => ({ hang: true }) });
    const fast = await receiver();
    const slow = await endpointFor(hanging, { event_types: ['message.created'] });
    await endpointFor(fast, { event_types: ['message.created'] });
    const before = await lastEventId();
    const sent: number[] = [];
    for (let i = 0; i < 5; i++) {
      await reply(`burst ${i}`);
      sent.push(performance.now());
    }
    const events = (await eventsAfter(before)).filter((e) => e.type === 'message.created');
    await fast.waitFor(() => events.every((e) => fast.byId(String(e.id)).length > 0), 5_000, 'fast endpoint');
    // Each reached the fast receiver long before the hanging one's first timeout.
    events.forEach((e, i) => expect(fast.byId(String(e.id))[0]!.at - sent[i]!).toBeLessThan(TIMEOUT_MS / 2));
    const list = await until(() => deliveries(slow.id), (l) => l.some((d) => d.attempts.length > 0), TIMEOUT_MS + 5_000, 'a timed-out attempt');
    const timedOut = list.flatMap((d) => d.attempts).find((a: any) => a.status_code === null);
    expect(timedOut.error).toMatch(/timeout/);
    expect(timedOut.duration_ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
  });

  it('rotation: during the window both the old and the new secret verify', async () => {
    const r = await receiver();
    const ep = await endpointFor(r, { event_types: ['message.created'] });
    const oldSecret = ep.secret;
    const rotated = await h.api(`/api/webhooks/${ep.id}/rotate-secret`, { method: 'POST' });
    expect(rotated.status).toBe(200);
    const newSecret: string = rotated.body.secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect(Date.parse(rotated.body.previous_secret_expires_at) - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    r.secrets.splice(0, r.secrets.length, oldSecret, newSecret);

    const before = await lastEventId();
    await reply('Signed twice.');
    const [event] = (await eventsAfter(before)).filter((e) => e.type === 'message.created');
    await r.waitFor(() => r.byId(String(event!.id)).length > 0, 5_000, 'the delivery');
    const got = r.byId(String(event!.id))[0]!;
    expect(got.signatures).toHaveLength(2);
    expect(got.verifiedWith.sort()).toEqual([oldSecret, newSecret].sort());

    // A rotation that ends the old secret at once: only the new one signs.
    const now = await h.api(`/api/webhooks/${ep.id}/rotate-secret`, { method: 'POST', body: { previous_secret_valid_for_s: 0 } });
    expect(now.body.previous_secret_expires_at).toBeNull();
    r.secrets.push(now.body.secret);
    const before2 = await lastEventId();
    await reply('Signed once.');
    const [event2] = (await eventsAfter(before2)).filter((e) => e.type === 'message.created');
    await r.waitFor(() => r.byId(String(event2!.id)).length > 0, 5_000, 'the delivery');
    const got2 = r.byId(String(event2!.id))[0]!;
    expect(got2.signatures).toHaveLength(1);
    expect(got2.verifiedWith).toEqual([now.body.secret]);
  });

  it('test-fire sends a synthetic webhook.test through the same pipeline', async () => {
    const r = await receiver();
    const ep = await endpointFor(r, { event_types: ['conversation.read'] });
    const res = await h.api(`/api/webhooks/${ep.id}/test`, { method: 'POST' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ event_type: 'webhook.test', origin: 'test', status: 'pending' });
    await r.waitFor(() => r.byId(res.body.webhook_id).length === 1, 5_000, 'the test delivery');
    const got = r.byId(res.body.webhook_id)[0]!;
    expect(got.verifiedWith).toHaveLength(1);
    expect(got.json).toMatchObject({ type: 'webhook.test', data: { endpoint_id: ep.id } });
    await until(() => deliveries(ep.id), (l) => l[0]?.status === 'succeeded', 5_000, 'logged');
  });

  it("the seed's POST /webhook/inbox/new-message re-sends a message's event with the same webhook-id", async () => {
    const r = await receiver();
    await endpointFor(r);
    const before = await lastEventId();
    const msg = await reply('Please re-send me.');
    const [event] = (await eventsAfter(before)).filter((e) => e.type === 'message.created');
    await r.waitFor(() => r.byId(String(event!.id)).length === 1, 5_000, 'the first delivery');
    const res = await h.api('/webhook/inbox/new-message', { method: 'POST', body: { conversation_id: conversationId, message_id: msg.message_id } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ event_id: event!.id, queued: 1, endpoints: 1 });
    await r.waitFor(() => r.byId(String(event!.id)).length === 2, 5_000, 'the re-send');
    const [a, b] = r.byId(String(event!.id));
    expect(b!.verifiedWith).toHaveLength(1);
    expect(b!.body).toBe(a!.body);

    const unknown = await h.api('/webhook/inbox/new-message', { method: 'POST', body: { conversation_id: conversationId, message_id: '8a6b7c2d-1e3f-4a5b-9c8d-7e6f5a4b3c2d' } });
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toContain('application/problem+json');
    expect(unknown.body.code).toBe('message_not_found');
    const bad = await h.api('/webhook/inbox/new-message', { method: 'POST', body: { conversation_id: 'nope' } });
    expect(bad.status).toBe(400);
  });

  it('the WEBHOOK_URL endpoint is ensured at start; a new WEBHOOK_SECRET rotates with a window', async () => {
    const r = await receiver();
    const secretA = 'whsec_' + Buffer.from('a'.repeat(32)).toString('base64');
    const secretB = 'whsec_' + Buffer.from('b'.repeat(32)).toString('base64');
    const created = await ensureEnvWebhook(t.database, { WEBHOOK_URL: r.url, WEBHOOK_SECRET: secretA });
    expect(created).toMatchObject({ source: 'env', url: r.url, event_types: null, enabled: true });
    expect((await ensureEnvWebhook(t.database, { WEBHOOK_URL: r.url, WEBHOOK_SECRET: secretA }))!.id).toBe(created!.id);
    await ensureEnvWebhook(t.database, { WEBHOOK_URL: r.url, WEBHOOK_SECRET: secretB });
    r.secrets.push(secretA, secretB);
    const env = (await h.api(`/api/webhooks/${created!.id}`)).body;
    expect(env.source).toBe('env');
    expect(env.previous_secret_expires_at).not.toBeNull();
    expect((await h.api(`/api/webhooks/${created!.id}`, { method: 'DELETE' })).status).toBe(409);

    const before = await lastEventId();
    await reply('To the operator.');
    const [event] = (await eventsAfter(before)).filter((e) => e.type === 'message.created');
    await r.waitFor(() => r.byId(String(event!.id)).length === 1, 5_000, 'env delivery');
    expect(r.byId(String(event!.id))[0]!.verifiedWith.sort()).toEqual([secretA, secretB].sort());

    // WEBHOOK_URL unset: the env endpoint is disabled (its log is kept).
    await ensureEnvWebhook(t.database, { WEBHOOK_URL: undefined, WEBHOOK_SECRET: undefined });
    expect((await h.api(`/api/webhooks/${created!.id}`)).body.enabled).toBe(false);
  });

  it('retention keeps events whose deliveries are still pending', async () => {
    let up = false;
    // "Come back in an hour": the delivery waits, pending, for its next attempt.
    const r = await receiver({ answer: () => (up ? { status: 200 } : { status: 503, headers: { 'retry-after': '3600' } }) });
    const ep = await endpointFor(r, { event_types: ['message.created'] });
    const before = await lastEventId();
    await reply('Old but undelivered.');
    await reply('Newest.');
    const [event] = (await eventsAfter(before)).filter((e) => e.type === 'message.created');
    await until(
      () => deliveries(ep.id, `?event_id=${event!.id}`),
      (l) => l[0]?.status === 'pending' && Date.parse(l[0].next_attempt_at) - Date.now() > 3500_000,
      8_000,
      'the delivery waiting an hour',
    );
    // Age the events past the retention period.
    await t.database.query(sql`UPDATE inbox_events SET occurred_at = now() - interval '40 days' WHERE id <= ${event!.id}`);
    await cleanupEvents(t.database.db, 30);
    const kept = await t.database.query(sql`SELECT id FROM inbox_events WHERE id = ${event!.id}`);
    expect(kept).toHaveLength(1);
    const older = await t.database.query(sql`SELECT id FROM inbox_events WHERE id < ${event!.id} AND occurred_at < now() - interval '30 days'`);
    const pendingOlder = await t.database.query(sql`SELECT DISTINCT event_id FROM webhook_deliveries WHERE status = 'pending' AND event_id < ${event!.id}`);
    expect(older.length).toBe(pendingOlder.length);

    up = true;
    await t.database.query(sql`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE event_id = ${event!.id} AND status = 'pending'`);
    h.worker!.wake();
    await r.waitFor(() => r.byId(String(event!.id)).some((x) => x.status === 200), 5_000, 'delivered');
    await until(() => deliveries(ep.id, `?event_id=${event!.id}`), (l) => l[0]?.status === 'succeeded', 5_000, 'recorded');
    await cleanupEvents(t.database.db, 30);
    expect(await t.database.query(sql`SELECT id FROM inbox_events WHERE id = ${event!.id}`)).toHaveLength(0);
  });

  it('two workers share the work: each delivery is attempted once; an expired lease is taken over', async () => {
    const r = await receiver();
    const ep = await endpointFor(r, { event_types: ['conversation.read'] });
    const second = await startWebhookTestApp({ database: t.database, env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS) } });
    try {
      const before = await lastEventId();
      for (let i = 0; i < 40; i++) {
        const res = await (i % 2 ? h : second).api(`/api/conversations/${conversationId}/${i % 4 < 2 ? 'mark-read' : 'mark-unread'}`, { method: 'POST' });
        expect(res.status).toBe(200);
      }
      const events = (await eventsAfter(before)).filter((e) => e.type === 'conversation.read');
      expect(events.length).toBeGreaterThan(0);
      await r.waitFor(() => events.every((e) => r.byId(String(e.id)).length > 0), 10_000, 'every event');
      await sleep(300);
      for (const e of events) expect(r.byId(String(e.id))).toHaveLength(1);
      expect(h.worker!.stats().attempts + second.worker!.stats().attempts).toBeGreaterThanOrEqual(events.length);

      // A delivery leased by a process that died: due again once its lease has run out.
      const [{ id: deliveryId }] = await t.database.query<{ id: string }>(sql`
        INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, origin, leased_by, lease_until)
        VALUES (${ep.id}, ${events[0]!.id}, 'conversation.read', 'replay', 'a-dead-instance', now() + interval '1 second') RETURNING id`);
      await sleep(300);
      expect(r.byId(String(events[0]!.id))).toHaveLength(1);
      await r.waitFor(() => r.byId(String(events[0]!.id)).length === 2, 5_000, 'the take-over');
      const [taken] = await deliveries(ep.id, `?event_id=${events[0]!.id}`);
      expect(taken).toMatchObject({ id: Number(deliveryId), status: 'succeeded', attempt_count: 1 });
    } finally {
      await second.close();
    }
  });

  it('stop() gives back the leases of attempts it did not finish', async () => {
    const hanging = await receiver({ answer: () => ({ hang: true }) });
    const other = await startWebhookTestApp({
      database: t.database,
      env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '10000' },
      worker: { stopTimeoutMs: 200 },
    });
    await h.worker!.stop();
    try {
      const ep = await endpointFor(hanging, { event_types: ['message.created'] });
      const before = await lastEventId();
      await reply('Left hanging.');
      const [event] = (await eventsAfter(before)).filter((e) => e.type === 'message.created');
      await hanging.waitFor(() => hanging.byId(String(event!.id)).length === 1, 5_000, 'the attempt');
      const [leased] = await t.database.query<{ leased_by: string | null }>(sql`SELECT leased_by FROM webhook_deliveries WHERE event_id = ${event!.id} AND endpoint_id = ${ep.id}`);
      expect(leased!.leased_by).toBe(other.worker!.instanceId);
      const t0 = performance.now();
      await other.close();
      expect(performance.now() - t0).toBeLessThan(3_000);
      const [released] = await t.database.query<{ leased_by: string | null; due: boolean; status: string; attempt_count: number }>(
        sql`SELECT leased_by, next_attempt_at <= now() AS due, status, attempt_count FROM webhook_deliveries WHERE event_id = ${event!.id} AND endpoint_id = ${ep.id}`,
      );
      expect(released).toEqual({ leased_by: null, due: true, status: 'pending', attempt_count: 0 });
    } finally {
      // The suite's own worker picks up again.
      const { startWebhookWorker } = await import('../../src/events/webhooks/index.ts');
      h.worker = await startWebhookWorker({ database: t.database, config: h.config });
    }
  });
});
