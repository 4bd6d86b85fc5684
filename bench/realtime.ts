// Benchmark: commit → WebSocket latency with 1,000 connected clients (and the server's memory),
// commit → first webhook attempt latency, and sustained webhook deliveries per second.
// Real server process (src/main.ts) on a fresh PostgreSQL database; clients and the receiver are
// in this process. Run: npx tsx bench/realtime.ts [--clients 1000] [--events 200] [--burst 3000]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import WebSocket from 'ws';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/index.ts';
import { appendEvents } from '../src/events/event-log.ts';
import { installWebhookOutbox } from '../src/events/webhooks/index.ts';

const { values } = parseArgs({ options: { clients: { type: 'string', default: '1000' }, events: { type: 'string', default: '200' }, burst: { type: 'string', default: '3000' } } });
const CLIENTS = Number(values.clients);
const EVENTS = Number(values.events);
const BURST = Number(values.burst);
const KEY = 'bench-bootstrap-key-0123456789abcdef';
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const admin = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function main() {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const url = admin.replace(/\/[^/]*$/, `/${name}`);

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

  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', DEMO_DATA: 'false', INBOX_API_KEY: KEY, WEBHOOK_URL: receiverUrl, WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'warn', WEBHOOK_CONCURRENCY: process.env.WEBHOOK_CONCURRENCY ?? '1' },
    stdio: 'inherit',
  });
  const base = `http://127.0.0.1:${port}`;
  const database = await openDatabase({ databaseUrl: url, poolSize: 4 });
  try {
    for (let i = 0; i < 300; i++) {
      if (await fetch(`${base}/ready`).then((r) => r.ok).catch(() => false)) break;
      await sleep(200);
    }
    const rss = () => {
      const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    };
    const chat = await (await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session_id: 'bench-session-1', messages: [{ role: 'user', content: 'hours in Canton?' }] }) })).json();
    const conversationId: string = chat.conversation_id;
    await sleep(500);
    const rssBefore = rss();

    // 1,000 WebSocket clients.
    const arrivals = new Map<number, number[]>();
    const sockets: WebSocket[] = [];
    for (let i = 0; i < CLIENTS; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, CLIENTS - i) }, () => new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/inbox?token=${KEY}`);
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
    const rssWith = rss();
    const [{ max: startMax }] = await database.query<{ max: string | null }>(sql`SELECT max(id) AS max FROM inbox_events`);
    const startId = Number(startMax ?? 0);

    // Commit → WebSocket and commit → webhook: events written through the API, one at a time.
    const committedAt = new Map<number, number>();
    for (let i = 0; i < EVENTS; i++) {
      const res = await fetch(`${base}/api/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content: `bench note ${i}`, is_internal_note: true }),
      });
      if (res.status !== 201) throw new Error(`POST answered ${res.status}`);
      await sleep(20);
    }
    await sleep(2000);
    const rows = await database.query<{ id: string; occurred_at: string }>(sql`SELECT id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at FROM inbox_events ORDER BY id`);
    // only the events committed while the clients were connected
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
    // rows, as the server would), then the time the worker takes to deliver them all.
    // The WebSocket clients leave first: the burst measures the delivery worker, not the fan-out.
    for (const ws of sockets) ws.terminate();
    await sleep(500);
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

    const table = [
      ['commit → WebSocket client, every delivery (1,000 clients)', `p50 ${pct(wsAll, 50)} ms, p99 ${pct(wsAll, 99)} ms`, 'p99 ≤ 100 ms', pct(wsAll, 99) <= 100],
      ['commit → last of 1,000 clients (fan-out done)', `p50 ${pct(wsFanoutDone, 50)} ms, p99 ${pct(wsFanoutDone, 99)} ms`, '—', true],
      ['events that reached all 1,000 clients', `${complete} / ${committedAt.size}`, 'all', complete === committedAt.size],
      ['server RSS: idle → with 1,000 clients', `${rssBefore.toFixed(0)} MB → ${rssWith.toFixed(0)} MB`, '≤ 400 MB', rssWith <= 400],
      ['commit → first webhook attempt', `p50 ${pct(hook, 50)} ms, p99 ${pct(hook, 99)} ms`, 'p50 ≤ 50 ms', pct(hook, 50) <= 50],
      ['sustained webhook deliveries (one endpoint)', `${(delivered / seconds).toFixed(0)} /s (${delivered} in ${seconds.toFixed(1)} s)`, '≥ 500 /s', delivered / seconds >= 500],
    ];
    console.log('\n| bar | measured | target | pass |\n|---|---|---|---|');
    for (const [bar, measured, target, ok] of table) console.log(`| ${bar} | ${measured} | ${target} | ${ok ? 'yes' : 'NO'} |`);
  } finally {
    server.kill('SIGTERM');
    await sleep(1500);
    server.kill('SIGKILL');
    await database.close();
    receiver.close();
    const d = new pg.Client({ connectionString: admin });
    await d.connect();
    await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await d.end();
  }
}

await main();
