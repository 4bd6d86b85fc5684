// Many instances: two real server processes on one PostgreSQL. A WebSocket client on either
// receives the events committed by both, in order, once.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import WebSocket from 'ws';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/index.ts';
import { createEmptyDatabase, testDbKind } from '../helpers/database.ts';

const KEY = 'two-process-bootstrap-key-0123456789';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe.runIf(testDbKind === 'postgres')('two server processes on one PostgreSQL', () => {
  let empty: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let db: Database;
  const servers: { child: ChildProcess; url: string }[] = [];

  beforeAll(async () => {
    empty = await createEmptyDatabase();
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        env: { ...process.env, DATABASE_URL: empty.url, PORT: String(port), HOST: '127.0.0.1', DEMO_DATA: 'false', INBOX_API_KEY: KEY, LOG_LEVEL: 'warn' },
        stdio: 'ignore',
      });
      servers.push({ child, url: `http://127.0.0.1:${port}` });
    }
    for (const s of servers) {
      let ready = false;
      for (let i = 0; i < 150 && !ready; i++) {
        ready = await fetch(`${s.url}/ready`).then((r) => r.ok).catch(() => false);
        if (!ready) await sleep(200);
      }
      expect(ready).toBe(true);
    }
    db = await openDatabase({ databaseUrl: empty.url });
  }, 60_000);

  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGTERM');
    await sleep(500);
    for (const s of servers) s.child.kill('SIGKILL');
    await db?.close();
    await empty?.drop();
  });

  it('a WebSocket client on either instance receives what both commit', async () => {
    // One conversation per instance, created through each instance's chat API.
    const conversations: string[] = [];
    for (const [i, s] of servers.entries()) {
      const r = await (await fetch(`${s.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session_id: `two-proc-${i}`, messages: [{ role: 'user', content: 'hours in Canton?' }] }) })).json();
      conversations.push(r.conversation_id);
    }
    const [{ max }] = await db.query<{ max: string }>(sql`SELECT max(id) AS max FROM inbox_events`);
    const start = Number(max);

    const clients = servers.map((s) => {
      const ids: number[] = [];
      const ws = new WebSocket(`${s.url.replace('http', 'ws')}/ws/inbox?token=${KEY}&after=${start}`);
      ws.on('message', (raw) => {
        const f = JSON.parse(String(raw));
        if (f.type === 'event') ids.push(f.id);
      });
      return { ws, ids, open: new Promise((r) => ws.on('open', r)) };
    });
    await Promise.all(clients.map((c) => c.open));

    // Both instances write, interleaved.
    for (let k = 0; k < 20; k++) {
      for (const [i, s] of servers.entries()) {
        const res = await fetch(`${s.url}/api/conversations/${conversations[(i + k) % 2]}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ content: `note ${k} from instance ${i}`, is_internal_note: true }),
        });
        expect(res.status).toBe(201);
      }
    }
    const committed = (await db.query<{ id: string }>(sql`SELECT id FROM inbox_events WHERE id > ${start} ORDER BY id`)).map((r) => Number(r.id));
    expect(committed.length).toBeGreaterThanOrEqual(40); // plus any enrichment events
    for (let k = 0; k < 100 && clients.some((c) => c.ids.at(-1) !== committed.at(-1)); k++) await sleep(50);
    for (const c of clients) {
      expect(c.ids).toEqual(committed);
      c.ws.close();
    }
  });
});
