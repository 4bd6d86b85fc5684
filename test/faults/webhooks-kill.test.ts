// Nothing is lost when the server is killed: the real server runs as a child process on a fresh
// PostgreSQL database, 10,000 events are written through the API while the receiver fails 20% of
// requests at random, and the server is SIGKILLed three times mid-run and restarted. In the end the
// set of webhook-ids the receiver accepted equals the set of committed event ids, every request
// verified, and at most one delivery per kill arrived twice (the one in flight when it died).
// PostgreSQL only: the embedded database serves one process, and a killed one cannot hand over.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, testDbKind } from '../helpers/database.ts';
import { serverProcess, type ServerProcess } from '../helpers/server-process.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

const API_KEY = 'kill-test-bootstrap-key-0123456789';
const SECRET = 'whsec_' + Buffer.from('kill-test-secret-0123456789abcdef').toString('base64');
const EVENTS = Number(process.env.KILL_TEST_EVENTS ?? 10_000);
const KILLS = Number(process.env.KILL_TEST_KILLS ?? 3);
const WRITERS = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The real server process, exactly as `npm start` runs it.
const entry = process.env.WEBHOOK_KILL_ENTRY ?? 'src/main.ts';

describe.skipIf(testDbKind !== 'postgres')('webhooks survive SIGKILL (postgres)', () => {
  let empty: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let receiver: Receiver;
  let server: ServerProcess;
  let client: pg.Client;
  const start = () => server.start();
  const kill = () => server.kill();

  beforeAll(async () => {
    empty = await createEmptyDatabase();
    receiver = await startReceiver({ secrets: [SECRET], answer: () => (Math.random() < 0.2 ? { status: 500, body: 'random failure' } : { status: 200, body: 'ok' }) });
    server = await serverProcess({
      DATABASE_URL: empty.url!,
      INBOX_API_KEY: API_KEY,
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: SECRET,
      // Twelve attempts: at 20% random failures a delivery dies only if all fail (0.2^12 per event),
      // so 10,000 events all arrive; a dead one would be the visible outcome, not a loss.
      WEBHOOK_RETRY_SCHEDULE: '0,0.2,0.5,1,1,1,1,1,1,1,1,1',
      WEBHOOK_TIMEOUT_MS: '2000',
    }, { entry });
    await start();
    client = new pg.Client({ connectionString: empty.url });
    await client.connect();
  }, 120_000);

  afterAll(async () => {
    await server?.kill();
    await client?.end().catch(() => {});
    await receiver?.close();
    await empty?.drop();
  });

  const eventCount = async () => Number((await client.query('SELECT count(*) AS n FROM inbox_events')).rows[0].n);

  it('received webhook-ids = committed event ids; at most one duplicate per kill', async () => {
    const t0 = performance.now();
    const phase = (what: string) => console.log(`${what} at ${Math.round(performance.now() - t0)} ms`);
    // A few conversations to write to (no events: straight into the table).
    const conversations: string[] = [];
    for (let i = 0; i < WRITERS; i++) {
      const r = await client.query(`INSERT INTO chatbot_conversations (user_identifier, platform_type, session_id, message_count, customer_message_count)
        VALUES ($1, 'webchat', $2, 0, 0) RETURNING conversation_id::text AS id`, [`+1404555${2000 + i}`, `kill-${i}`]);
      conversations.push(r.rows[0].id);
    }

    // Writers: agent replies and PATCHes through the API, retried while the server is down.
    let written = 0;
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const id = conversations[w]!; // one conversation per writer: no waiting on each other's row locks
        const patch = i % 3 === 2;
        try {
          const res = await fetch(`${server.base}/api/conversations/${id}${patch ? '' : '/messages'}`, {
            method: patch ? 'PATCH' : 'POST',
            headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify(patch ? { priority_level: ['low', 'normal', 'high'][i % 3], tags: [`t${i % 5}`] } : { content: `reply ${w}-${i}` }),
          });
          await res.arrayBuffer();
          if (res.ok) written++;
        } catch {
          await sleep(50); // server down: try again
        }
      }
    };

    const writers = conversations.map((_, w) => writer(w));
    for (let k = 1; k <= KILLS; k++) {
      const target = (EVENTS * k) / (KILLS + 1);
      while ((await eventCount()) < target) await sleep(20);
      // Mid-run: deliveries are in flight, some failing and waiting for a retry.
      await kill();
      phase(`kill ${k} (${await eventCount()} events)`);
      await sleep(300);
      await start();
      phase(`restarted ${k}`);
    }
    while ((await eventCount()) < EVENTS) await sleep(20);
    stop = true;
    await Promise.all(writers);
    phase('written');
    expect(written).toBeGreaterThan(0);

    // Every committed event must end up accepted by the receiver (leases of the killed processes
    // run out after WEBHOOK_TIMEOUT_MS + 10 s and are taken over). The server may still write
    // events of its own (enrichment): wait until what is committed is all accepted.
    const committedIds = async () => (await client.query('SELECT id FROM inbox_events ORDER BY id')).rows.map((r) => String(r.id));
    const accepted = () => new Set(receiver.received.filter((r) => r.status === 200).map((r) => r.webhookId));
    let committed = await committedIds();
    expect(committed.length).toBeGreaterThanOrEqual(EVENTS);
    const deadline = Date.now() + 90_000;
    for (;;) {
      const have = accepted();
      if (committed.every((id) => have.has(id))) {
        await sleep(500);
        const again = await committedIds();
        if (again.length === committed.length) break;
        committed = again;
        continue;
      }
      if (Date.now() > deadline) {
        const missing = committed.filter((id) => !have.has(id));
        const states = (await client.query(`SELECT status, count(*)::int AS n FROM webhook_deliveries GROUP BY status`)).rows;
        throw new Error(`${missing.length} events never accepted (e.g. ${missing.slice(0, 5).join(', ')}); deliveries: ${JSON.stringify(states)}\n${server.logs.slice(-20).join('')}`);
      }
      await sleep(200);
      committed = await committedIds();
    }
    phase('all accepted');

    expect([...accepted()].sort()).toEqual([...committed].sort());
    expect(receiver.received.every((r) => r.verifiedWith.length === 1)).toBe(true);
    const accepts = new Map<string, number>();
    for (const r of receiver.received) if (r.status === 200) accepts.set(r.webhookId, (accepts.get(r.webhookId) ?? 0) + 1);
    const duplicates = [...accepts.values()].reduce((n, c) => n + c - 1, 0);
    const failures = receiver.received.filter((r) => r.status === 500).length;
    console.log(`kill test: ${committed.length} events, ${receiver.received.length} requests, ${failures} failed at random, ${duplicates} duplicates after ${KILLS} kills (${entry})`);
    expect(duplicates).toBeLessThanOrEqual(KILLS);
    const [{ pending, dead }] = (await client.query(`SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'dead')::int AS dead FROM webhook_deliveries`)).rows;
    expect({ pending, dead }).toEqual({ pending: 0, dead: 0 });
  }, 600_000);
});
