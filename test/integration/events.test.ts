// The event log and the WebSocket feed: ids in commit order under concurrent writers, readers that
// resume without gaps, WebSocket clients dropped at random that still end with every event once.
import { sql } from 'drizzle-orm';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents } from '../../src/events/event-log.ts';
import { createConversation, insertMessage, withEvents } from '../../src/conversations/conversation-store.ts';
import { createTestDatabase, testDbKind, type TestDatabase } from '../helpers/database.ts';
import { authHeaders, startTestApp, TEST_API_KEY, type TestApp } from '../helpers/app.ts';

let t: TestDatabase;
let app: TestApp;
let conversationIds: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function allEventIds(): Promise<number[]> {
  const r = await t.database.query<{ id: string }>(sql`SELECT id FROM inbox_events ORDER BY id`);
  return r.map((x) => Number(x.id));
}

async function writeMessage(i: number) {
  const id = conversationIds[i % conversationIds.length]!;
  await withEvents(t.database, async (tx) => {
    const r = await insertMessage(tx, { conversationId: id, role: 'user', senderType: 'customer', content: `burst message ${i}` });
    return { result: r, events: r.events };
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  app = await startTestApp({ database: t.database, env: { WS_HEARTBEAT_MS: '1000' } });
  for (let i = 0; i < 5; i++) {
    const { result } = await withEvents(t.database, async (tx) => {
      const r = await createConversation(tx, { userIdentifier: `+1404555${1000 + i}`, platformType: 'webchat', sessionId: `ws-test-${i}` });
      return { result: r.conversation, events: r.events };
    });
    conversationIds.push(result.conversation_id);
  }
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

describe(`event log (${testDbKind})`, () => {
  it('a reader resuming after X never misses a later commit, with many concurrent writers', async () => {
    const start = (await allEventIds()).at(-1) ?? 0;
    let done = false;
    const seen: number[] = [];
    const reader = (async () => {
      let after = start;
      while (!done || after < ((await allEventIds()).at(-1) ?? 0)) {
        const res = await fetch(`${app.baseUrl}/api/events?after=${after}&limit=1000`, { headers: authHeaders() });
        const body = await res.json();
        for (const e of body.data) seen.push(e.id);
        after = body.next_after;
        await sleep(1);
      }
    })();
    // 8 writers; each holds its transaction open a random while after appending, the classic trap.
    await Promise.all(Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 25; i++) {
        await t.database.db.transaction(async (tx) => {
          await appendEvents(tx, [{ type: 'conversation.updated', conversationId: conversationIds[w % 5]!, data: { writer: w, i } }]);
          await sleep(Math.random() * 8);
        });
        await t.database.notify('inbox_events', '');
      }
    }));
    done = true;
    await reader;
    const committed = (await allEventIds()).filter((id) => id > start);
    expect(committed).toHaveLength(200);
    expect(seen).toEqual(committed);
  });

  it('GET /api/events pages oldest first and answers reset for a cursor older than retention', async () => {
    const res = await fetch(`${app.baseUrl}/api/events?after=0&limit=5`, { headers: authHeaders() });
    const body = await res.json();
    expect(body.data.map((e: any) => e.id)).toEqual([...body.data.map((e: any) => e.id)].sort((a: number, b: number) => a - b));
    expect(body.data[0]).toHaveProperty('occurred_at');
    // drop the oldest events, as retention would
    const ids = await allEventIds();
    await t.database.query(sql`DELETE FROM inbox_events WHERE id <= ${ids[3]!}`);
    const stale = await (await fetch(`${app.baseUrl}/api/events?after=1&limit=5`, { headers: authHeaders() })).json();
    expect(stale.reset).toBe(true);
    expect(stale.data[0].id).toBe(ids[4]);
  });
});

interface Client {
  ws: WebSocket;
  ids: number[];
  newMessages: number;
  closed: Promise<void>;
  closeInfo?: string;
}

function connect(after: number | null, query = `token=${TEST_API_KEY}`): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${app.baseUrl.replace('http', 'ws')}/ws/inbox?${query}`);
    const client: Client = { ws, ids: [], newMessages: 0, closed: new Promise((r) => ws.on('close', (code, reason) => { client.closeInfo = `${code} ${reason}`; r(); })) };
    // Protocol: a client that subscribes counts events from its `subscribed` acknowledgement on;
    // anything before it came from the automatic live subscription of a fresh connection.
    let acked = false;
    ws.on('message', (raw) => {
      const f = JSON.parse(String(raw));
      if (f.type === 'subscribed' && (after === null || (!f.automatic && f.after === after))) {
        acked = true;
        resolve(client);
      }
      if (!acked) return;
      if (f.type === 'event') client.ids.push(f.id);
      if (f.type === 'new_message') client.newMessages++;
    });
    ws.on('open', () => {
      if (after !== null) ws.send(JSON.stringify({ type: 'subscribe', after }));
    });
    ws.on('error', reject);
    ws.on('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
  });
}

describe(`WebSocket /ws/inbox (${testDbKind})`, () => {
  it('rejects a missing or wrong key with 401', async () => {
    await expect(connect(null, '')).rejects.toMatchObject({ status: 401 });
    await expect(connect(null, 'token=wrong')).rejects.toMatchObject({ status: 401 });
  });

  it('50 clients dropped at random during a burst each end with every event once, in order', async () => {
    const start = (await allEventIds()).at(-1) ?? 0;
    const clients = await Promise.all(Array.from({ length: 50 }, () => connect(start)));
    const results = clients.map(() => [] as number[]);
    const active = clients.map((c, i) => ({ c, i }));

    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 150; i++) {
        await writeMessage(i);
        if (i % 10 === 0) await sleep(5);
      }
      writing = false;
    })();

    // Drop clients at random and resume each from the last id it saw.
    const dropper = (async () => {
      while (writing) {
        await sleep(20 + Math.random() * 30);
        const victim = active[Math.floor(Math.random() * active.length)]!;
        results[victim.i]!.push(...victim.c.ids);
        const last = results[victim.i]!.at(-1) ?? start;
        victim.c.ws.terminate();
        await victim.c.closed;
        await sleep(Math.random() * 40);
        victim.c = await connect(last);
      }
    })();
    await writer;
    await dropper;
    const committed = (await allEventIds()).filter((id) => id > start);
    // wait until every client has caught up
    for (let k = 0; k < 400; k++) {
      if (active.every(({ c, i }) => [...results[i]!, ...c.ids].at(-1) === committed.at(-1))) break;
      await sleep(25);
    }
    for (const { c, i } of active) {
      const got = [...results[i]!, ...c.ids];
      expect(c.closeInfo, `client ${i} was closed by the server`).toBeUndefined();
      expect(got).toEqual(committed);
      c.ws.close();
    }
  });

  it('a resumed client replays what it missed and joins the live stream without gap or duplicate', async () => {
    const start = (await allEventIds()).at(-1) ?? 0;
    for (let i = 0; i < 30; i++) await writeMessage(i);
    const client = await connect(start);
    const live = (async () => {
      for (let i = 0; i < 30; i++) {
        await writeMessage(i);
      }
    })();
    await live;
    const committed = (await allEventIds()).filter((id) => id > start);
    for (let k = 0; k < 100 && client.ids.at(-1) !== committed.at(-1); k++) await sleep(20);
    expect(client.ids).toEqual(committed);
    expect(client.newMessages).toBe(60);
    client.ws.close();
  });

  it('a client that stops answering heartbeats is dropped', async () => {
    const client = await connect(null);
    // Stop answering protocol pings: replace the auto-pong.
    (client.ws as unknown as { pong: () => void }).pong = () => {};
    const socket = (client.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    await sleep(4_500);
    // reading again, the client learns the server has hung up on it
    socket.resume();
    const closedWithin = await Promise.race([client.closed.then(() => true), sleep(3_000).then(() => false)]);
    expect(closedWithin).toBe(true);
  });

  it('the customer channel /ws/chat carries agent replies but never internal notes', async () => {
    const sessionId = 'ws-test-0';
    const frames: any[] = [];
    const ws = new WebSocket(`${app.baseUrl.replace('http', 'ws')}/ws/chat?session_id=${sessionId}`);
    await new Promise((r) => ws.on('open', r));
    ws.on('message', (raw) => frames.push(JSON.parse(String(raw))));
    const post = (body: object) => fetch(`${app.baseUrl}/api/conversations/${conversationIds[0]}/messages`, { method: 'POST', headers: { ...authHeaders(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ content: 'internal: check the delivery slip', is_internal_note: true })).status).toBe(201);
    expect((await post({ content: 'Hi! Tasha here, your replacement ships Monday.' })).status).toBe(201);
    for (let k = 0; k < 50 && !frames.some((f) => f.type === 'message'); k++) await sleep(20);
    const messages = frames.filter((f) => f.type === 'message');
    expect(messages.map((m) => m.message.content)).toEqual(['Hi! Tasha here, your replacement ships Monday.']);
    expect(frames.some((f) => f.type === 'handoff' && f.status === 'pending_human')).toBe(true);
    ws.close();
  });
});
