// A database outage under load: the real server (src/main.ts, as `npm start` runs it) works on a
// fresh PostgreSQL database while customers chat, agents reply and the inbox lists; PostgreSQL is
// then stopped for a few seconds and started again. While it is down every answer is a 503
// problem+json (never another 5xx, never a dropped connection); afterwards the same server
// process recovers by itself; every write that was acknowledged is stored; and every committed
// event still reaches the webhook receiver (the worker's LISTEN connection comes back too).
//
// It stops the machine's PostgreSQL, so it runs in the fault suite, alone (vitest project
// `faults`: one file at a time, nothing else running beside it).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrl, createEmptyDatabase } from '../helpers/database.ts';
import { serverProcess, type ServerProcess } from '../helpers/server-process.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

const API_KEY = 'outage-test-bootstrap-key-0123456789';
const SECRET = 'whsec_' + Buffer.from('outage-test-secret-0123456789abc').toString('base64');
const DOWN_MS = 6_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const cluster = () => readdirSync('/etc/postgresql').sort()[0]!;
function pgctl(action: 'stop' | 'start'): void {
  const args = ['--skip-systemctl-redirect', cluster(), 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])];
  execFileSync('pg_ctlcluster', args, { stdio: 'pipe', timeout: 60_000 });
}
async function postgresUp(): Promise<boolean> {
  const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 1_000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}
async function ensurePostgresRunning(): Promise<void> {
  if (await postgresUp()) return;
  try {
    pgctl('start');
  } catch {
    // already starting
  }
  for (let i = 0; i < 60 && !(await postgresUp()); i++) await sleep(500);
}

type Outcome = { at: number; status: number; problem: boolean; kind: 'chat' | 'reply' | 'list' | 'ready' } | { at: number; status: 'network'; error: string; kind: string };

describe.skipIf(process.env.TEST_DB !== 'postgres')('PostgreSQL restarted under load (postgres)', () => {
  let empty: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let receiver: Receiver;
  let server: ServerProcess;
  let base: string;

  beforeAll(async () => {
    await ensurePostgresRunning();
    empty = await createEmptyDatabase();
    receiver = await startReceiver({ secrets: [SECRET] });
    server = await serverProcess({
      DATABASE_URL: empty.url!,
      INBOX_API_KEY: API_KEY,
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_RETRY_SCHEDULE: '0,0.5,1,1,2,2,3,3,5,5',
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    base = server.base;
    await server.start();
  }, 120_000);

  afterAll(async () => {
    // Whatever happened, leave PostgreSQL running for whatever comes next.
    await ensurePostgresRunning();
    await server?.stop(3_000);
    await receiver?.close();
    await empty?.drop();
  }, 120_000);

  it('503 problem+json while it is down, recovery without a restart of ours, nothing acknowledged is lost', async () => {
    const outcomes: Outcome[] = [];
    const ackedChat: string[] = [];
    const refusedChat: string[] = [];
    const ackedReplies: string[] = [];
    const refusedReplies: string[] = [];
    const auth = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };

    // Conversations for the agents to reply in (made by a first customer turn each).
    const conversations: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ session_id: `outage-agent-${i}`, messages: [{ role: 'user', content: 'hello, I need help with my order' }] }),
      });
      expect(r.status).toBe(200);
      conversations.push(((await r.json()) as { conversation_id: string }).conversation_id);
    }

    async function call(kind: 'chat' | 'reply' | 'list' | 'ready', url: string, init?: RequestInit): Promise<number | 'network'> {
      const at = Date.now();
      try {
        const res = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
        const text = await res.text();
        const problem = (res.headers.get('content-type') ?? '').startsWith('application/problem+json') && (() => {
          try {
            const p = JSON.parse(text) as { status?: number; title?: string };
            return p.status === res.status && typeof p.title === 'string';
          } catch {
            return false;
          }
        })();
        outcomes.push({ at, status: res.status, problem, kind });
        return res.status;
      } catch (err) {
        outcomes.push({ at, status: 'network', error: (err as Error).message, kind });
        return 'network';
      }
    }

    let stop = false;
    const customer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const content = `customer ${w} message ${i}`;
        const status = await call('chat', `${base}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ session_id: `outage-customer-${w}`, messages: [{ role: 'user', content }] }),
        });
        if (status === 200) ackedChat.push(content);
        else refusedChat.push(content);
        if (status !== 200) await sleep(200);
      }
    };
    const agent = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const content = `agent ${w} reply ${i}`;
        const status = await call('reply', `${base}/api/conversations/${conversations[w]}/messages`, { method: 'POST', headers: auth, body: JSON.stringify({ content }) });
        if (status === 201) ackedReplies.push(content);
        else refusedReplies.push(content);
        await sleep(status === 201 ? 20 : 200);
      }
    };
    const reader = async () => {
      while (!stop) {
        const status = await call('list', `${base}/api/conversations?limit=50`, { headers: auth });
        await sleep(status === 200 ? 20 : 200);
      }
    };
    const readiness = async () => {
      while (!stop) {
        await call('ready', `${base}/ready`);
        await sleep(250);
      }
    };
    const workers = [customer(0), customer(1), agent(0), agent(1), agent(2), reader(), readiness()];

    await sleep(3_000); // load before the outage
    const stoppedAt = Date.now();
    pgctl('stop');
    const downFrom = Date.now();
    await sleep(DOWN_MS);
    const downUntil = Date.now();
    pgctl('start');
    const startedAt = Date.now();

    // Recovery: the same process answers /ready again and writes succeed again.
    let recoveredAt = 0;
    for (let i = 0; i < 120 && !recoveredAt; i++) {
      if (outcomes.some((o) => o.at > startedAt && o.kind === 'reply' && o.status === 201)) recoveredAt = Date.now();
      else await sleep(250);
    }
    await sleep(3_000); // load after recovery
    stop = true;
    await Promise.all(workers);
    console.log(`outage: stop took ${downFrom - stoppedAt} ms, down ${downUntil - downFrom} ms, recovered ${recoveredAt ? recoveredAt - startedAt : 'never'} ms after start; ${outcomes.length} requests`);

    // The server never went away: the same process throughout, no refused connections.
    const child = server.child!;
    expect(child.exitCode, server.logs.join('')).toBeNull();
    expect(outcomes.filter((o) => o.status === 'network')).toEqual([]);
    expect(recoveredAt, 'writes never succeeded again after PostgreSQL came back').toBeGreaterThan(0);

    // While it was down: 503 problem+json for everything that needs the database.
    const during = outcomes.filter((o) => o.at >= downFrom + 500 && o.at < downUntil - 100);
    expect(during.length).toBeGreaterThan(10);
    for (const kind of ['chat', 'reply', 'list', 'ready'] as const) {
      const ofKind = during.filter((o) => o.kind === kind);
      expect(ofKind.length, `no ${kind} request while down`).toBeGreaterThan(0);
      expect(ofKind.every((o) => o.status === 503 && 'problem' in o && o.problem), `${kind} while down: ${JSON.stringify(ofKind.slice(0, 3))}`).toBe(true);
    }
    // Never any other 5xx, at any time.
    const bad = outcomes.filter((o) => typeof o.status === 'number' && o.status >= 500 && o.status !== 503);
    expect(bad).toEqual([]);
    expect(outcomes.filter((o) => typeof o.status === 'number' && o.status === 503 && !('problem' in o && o.problem))).toEqual([]);

    // Nothing acknowledged is lost; and work continued on both sides of the outage.
    const client = new pg.Client({ connectionString: empty.url });
    await client.connect();
    try {
      const stored = new Set((await client.query(`SELECT message_content FROM chatbot_messages`)).rows.map((r) => r.message_content as string));
      expect(ackedChat.filter((c) => !stored.has(c))).toEqual([]);
      expect(ackedReplies.filter((c) => !stored.has(c))).toEqual([]);
      expect(ackedChat.length).toBeGreaterThan(5);
      expect(ackedReplies.length).toBeGreaterThan(5);
      // A refusal told the client it was not stored: report any that was stored anyway (a retry
      // would then repeat it); the customer-facing promise is about acknowledged messages.
      const refusedButStored = [...refusedChat, ...refusedReplies].filter((c) => stored.has(c));
      console.log(`outage: ${ackedChat.length} customer messages and ${ackedReplies.length} agent replies acknowledged; ${refusedChat.length + refusedReplies.length} refused (${refusedButStored.length} of them stored anyway)`);

      // Every committed event reaches the webhook receiver after the outage.
      const committed = async () => (await client.query('SELECT id FROM inbox_events ORDER BY id')).rows.map((r) => String(r.id));
      let ids = await committed();
      await receiver.waitFor(() => {
        const got = new Set(receiver.received.filter((r) => r.status === 200).map((r) => r.webhookId));
        return ids.every((id) => got.has(id));
      }, 60_000, `webhooks for all ${ids.length} committed events`);
      ids = await committed();
      expect(receiver.received.every((r) => r.verifiedWith.length === 1)).toBe(true);
    } finally {
      await client.end();
    }

    // /ready answers 200 again from the same process.
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  }, 300_000);
});
