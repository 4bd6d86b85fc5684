// Commit → WebSocket latency with 1,000 connected clients (and the server's memory), commit →
// first webhook attempt latency, and sustained webhook deliveries per second.
// Real server process (src/main.ts) on a fresh, empty PostgreSQL database; clients and the
// webhook receiver are in this process.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import WebSocket from 'ws';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/db/index.ts';
import { appendEvents } from '../../src/events/event-log.ts';
import { installWebhookOutbox } from '../../src/events/webhooks/index.ts';
import { createDatabase, dropDatabase, ownDatabases, randomName, urlOf } from './databases.ts';
import type { BarResult } from './report.ts';
import { API_KEY, startServer } from './server.ts';
import { log, pct, round, sleep } from './util.ts';

export interface RealtimeOptions {
  clients: number;
  events: number;
  burst: number;
  /** WEBHOOK_CONCURRENCY for the server (its default is 1) */
  webhookConcurrency?: string;
}

export async function runRealtime(o: RealtimeOptions): Promise<{ bars: BarResult[]; details: Record<string, unknown> }> {
  const { clients: CLIENTS, events: EVENTS, burst: BURST } = o;
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const name = randomName();
  await createDatabase(name);
  ownDatabases.add(name);
  const url = urlOf(name);

  // The webhook receiver: records when each webhook-id first arrives; always answers 200.
  const received = new Map<number, number>();
  const receiver: Server = createServer((req, res) => {
    const id = Number(req.headers['webhook-id']);
    req.resume();
    req.on('end', () => {
      if (!received.has(id)) received.set(id, Date.now());
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
  const sockets: WebSocket[] = [];
  try {
    server = await startServer({
      databaseUrl: url,
      label: 'realtime',
      env: { WEBHOOK_URL: receiverUrl, WEBHOOK_SECRET: secret, WEBHOOK_CONCURRENCY: o.webhookConcurrency ?? process.env.WEBHOOK_CONCURRENCY ?? '1' },
    });
    const base = server.base;
    database = await openDatabase({ databaseUrl: url, poolSize: 4 });
    const chat = await (await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session_id: 'bench-session-1', messages: [{ role: 'user', content: 'hours in Canton?' }] }) })).json();
    const conversationId: string = chat.conversation_id;
    await sleep(500);
    const rssBefore = server.rss();

    // The WebSocket clients, connected 100 at a time.
    log(`realtime: connecting ${CLIENTS} WebSocket clients`);
    const arrivals = new Map<number, number[]>();
    for (let i = 0; i < CLIENTS; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, CLIENTS - i) }, () => new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/inbox?token=${API_KEY}`);
        ws.on('message', (raw) => {
          const f = JSON.parse(String(raw));
          if (f.type === 'event') {
            const at = Date.now();
            const list = arrivals.get(f.id);
            if (list) list.push(at);
            else arrivals.set(f.id, [at]);
          }
          if (f.type === 'subscribed') resolve();
        });
        ws.on('error', reject);
        sockets.push(ws);
      })));
    }
    await sleep(1000);
    const rssWith = server.rss();
    const [{ max: startMax }] = await database.query<{ max: string | null }>(sql`SELECT max(id) AS max FROM inbox_events`);
    const startId = Number(startMax ?? 0);

    // Commit → WebSocket and commit → webhook: events written through the API, one at a time.
    log(`realtime: ${EVENTS} events through the API, 20 ms apart`);
    const committedAt = new Map<number, number>();
    for (let i = 0; i < EVENTS; i++) {
      const res = await fetch(`${base}/api/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content: `bench note ${i}`, is_internal_note: true }),
      });
      if (res.status !== 201) throw new Error(`POST answered ${res.status}`);
      await sleep(20);
    }
    await sleep(2000);
    const rssAfter = server.rss();
    const rows = await database.query<{ id: string; occurred_at: string }>(sql`SELECT id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at FROM inbox_events ORDER BY id`);
    // Latency runs from occurred_at (stamped inside the transaction, so slightly before commit).
    for (const r of rows) if (Number(r.id) > startId) committedAt.set(Number(r.id), Date.parse(r.occurred_at));
    const wsAll: number[] = [];
    const wsFanoutDone: number[] = [];
    const hook: number[] = [];
    for (const [id, t0] of committedAt) {
      const got = arrivals.get(id);
      if (got && got.length > 0) {
        for (const t of got) wsAll.push(t - t0);
        wsFanoutDone.push(Math.max(...got) - t0);
      }
      const h = received.get(id);
      if (h) hook.push(h - t0);
    }
    const complete = [...committedAt.keys()].filter((id) => (arrivals.get(id)?.length ?? 0) === CLIENTS).length;

    // Sustained deliveries: a burst of events committed straight into the log (with their outbox
    // rows, as the server would), then the time the worker takes to deliver them all. The
    // WebSocket clients leave first: the burst measures the delivery worker, not the fan-out.
    for (const ws of sockets) ws.terminate();
    await sleep(500);
    log(`realtime: burst of ${BURST} events for the webhook worker`);
    installWebhookOutbox();
    const before = received.size;
    const burstStart = Date.now();
    for (let i = 0; i < BURST; i += 100) {
      await database.db.transaction(async (tx) => {
        await appendEvents(tx, Array.from({ length: Math.min(100, BURST - i) }, (_, k) => ({ type: 'conversation.updated' as const, conversationId, data: { bench: i + k } })));
      });
      await database.notify('inbox_events', '');
    }
    const committedBurst = Date.now();
    while (received.size < before + BURST && Date.now() - committedBurst < 120_000) await sleep(50);
    const delivered = received.size - before;
    const seconds = (Date.now() - burstStart) / 1000;
    const rate = delivered / seconds;
    const n = CLIENTS.toLocaleString('en-US');

    const bars: BarResult[] = [
      { section: 'realtime', bar: `commit → WebSocket client, every delivery (${n} clients)`, measured: `p50 ${pct(wsAll, 50)} ms, p99 ${pct(wsAll, 99)} ms`, target: 'p99 ≤ 100 ms', pass: pct(wsAll, 99) <= 100, values: { p50: pct(wsAll, 50), p99: pct(wsAll, 99) } },
      { section: 'realtime', bar: `commit → last of ${n} clients (fan-out done)`, measured: `p50 ${pct(wsFanoutDone, 50)} ms, p99 ${pct(wsFanoutDone, 99)} ms`, target: '—', pass: null },
      { section: 'realtime', bar: `events that reached all ${n} clients`, measured: `${complete} / ${committedAt.size}`, target: 'all', pass: complete === committedAt.size },
      { section: 'realtime', bar: `server RSS with ${n} WebSocket clients`, measured: `${rssBefore.toFixed(0)} MB idle → ${rssWith.toFixed(0)} MB → ${rssAfter.toFixed(0)} MB after the events`, target: '≤ 400 MB', pass: Math.max(rssWith, rssAfter) <= 400, values: { idle: round(rssBefore, 0), with_clients: round(rssWith, 0), after_events: round(rssAfter, 0) } },
      { section: 'realtime', bar: 'commit → first webhook attempt (during the fan-out)', measured: `p50 ${pct(hook, 50)} ms, p99 ${pct(hook, 99)} ms`, target: 'p50 ≤ 50 ms', pass: pct(hook, 50) <= 50, values: { p50: pct(hook, 50), p99: pct(hook, 99) } },
      { section: 'realtime', bar: 'sustained webhook deliveries (one endpoint)', measured: `${rate.toFixed(0)} /s (${delivered} in ${seconds.toFixed(1)} s)`, target: '≥ 500 /s', pass: rate >= 500 && delivered === BURST, values: { per_second: round(rate, 1), delivered, seconds: round(seconds, 2) } },
    ];
    return { bars, details: { clients: CLIENTS, events: EVENTS, burst: BURST, webhook_concurrency: o.webhookConcurrency ?? process.env.WEBHOOK_CONCURRENCY ?? '1', ws_samples: wsAll.length, hook_samples: hook.length } };
  } finally {
    for (const ws of sockets) ws.terminate();
    await server?.stop();
    await database?.close();
    receiver.close();
    await dropDatabase(name);
  }
}
