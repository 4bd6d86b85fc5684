// WebSocket resume under fire. The real server process runs on a fresh PostgreSQL database; eight
// writers put 50 events/s through the API (agent replies, PATCHes, mark-read / mark-unread) for
// 50 s; 100 /ws/inbox clients are each dropped at random for 1–30 s, either torn down at once
// (terminate) or by going silent (no reads, no pongs) until the server's heartbeat gives up on
// them, and then resume from the last event id they saw, as the contract says: a new connection
// with `{"type":"subscribe","after":<last id>}` (some with `?after=` in the URL, some sending the
// frame late, after the automatic subscription of a fresh connection has started). In the end each
// client's sequence of event ids equals the committed ids after its first subscription point:
// strictly increasing, no duplicate, no gap.
// PostgreSQL only: the server is a separate process, so the clients' and the server's event loops
// do not share a core, and heartbeats and TCP back-pressure behave as they do in production.
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, testDbKind } from '../helpers/database.ts';
import { serverProcess, type ServerProcess } from '../helpers/server-process.ts';

const API_KEY = 'ws-resume-bootstrap-key-0123456789';
const CLIENTS = 100;
const RATE = 50; // committed events per second
const WRITE_MS = 50_000;
const WRITERS = 8;
const DROP_MIN_MS = 1_000;
const DROP_MAX_MS = 30_000;
// A drop never outlasts the writing by more than this, so the run stays short.
const TAIL_MS = 15_000;
// Short heartbeats, so a silent client is given up on within the run (after 2 missed beats).
const HEARTBEAT_MS = 2_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** How a connection subscribes: the frame on open, `?after=` in the URL, or the frame ~250 ms late. */
type How = 'frame' | 'url' | 'late';

interface Connection {
  ws: WebSocket;
  how: How;
  after: number | null;
  acked: boolean;
  /** the client dropped it itself: nothing more is counted from it */
  abandoned: boolean;
  /** the client went silent on it at some point */
  silenced: boolean;
  closed: boolean;
  closedSignal: Promise<void>;
}

interface Drop {
  mode: 'terminate' | 'silent';
  atMs: number;
  ms: number;
  lastBefore: number | null;
  /** silent drops: the server hung up on the silent client (else the connection survived) */
  serverDropped?: boolean;
}

interface Client {
  n: number;
  /** the `after` of its first acknowledged subscription: it must get every event after it */
  first: number | null;
  last: number | null;
  ids: number[];
  conn?: Connection;
  /** where each connection's events start in `ids`, for the failure messages */
  segments: { at: number; after: number; how: How }[];
  drops: Drop[];
  /** closes the client did not cause itself (code, reason) */
  serverCloses: string[];
  connectFailures: string[];
  protocolErrors: string[];
  /** a reconnect after a close the client did not cause */
  pending?: Promise<void>;
  /** the silent drop in progress handles its own connection's close */
  inSilence?: Connection;
  /** the test is over: no more reconnects */
  done: boolean;
}

describe.skipIf(testDbKind !== 'postgres')('WebSocket resume under random drops (postgres)', () => {
  let empty: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let server: ServerProcess;
  let db: pg.Client;
  const base = () => server.base;

  async function api(path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
    const res = await fetch(`${base()}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${API_KEY}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** Every committed event id, from the REST feed (the same ids as the WebSocket's). */
  async function committedIds(after = 0): Promise<number[]> {
    const ids: number[] = [];
    for (;;) {
      const { status, body } = await api(`/api/events?after=${after}&limit=1000`);
      if (status !== 200) throw new Error(`GET /api/events: ${status} ${JSON.stringify(body)}`);
      if (body.reset) throw new Error('GET /api/events answered reset: events were removed during the test');
      for (const e of body.data) ids.push(e.id);
      if (body.data.length < 1000) return ids;
      after = body.next_after;
    }
  }

  beforeAll(async () => {
    empty = await createEmptyDatabase();
    server = await serverProcess({ DATABASE_URL: empty.url!, INBOX_API_KEY: API_KEY, WS_HEARTBEAT_MS: String(HEARTBEAT_MS) });
    await server.start();
    db = new pg.Client({ connectionString: empty.url });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await db?.end().catch(() => {});
    await empty?.drop();
  });

  it('100 clients dropped for 1–30 s at random while 50 events/s are written: each ends with every event, in order, no duplicate', async () => {
    const t0 = performance.now();
    const elapsed = () => performance.now() - t0;
    const phase = (what: string) => console.log(`ws-resume: ${what} at ${Math.round(elapsed())} ms`);

    // Two conversations per writer (straight into the table: no events), so writers never wait
    // on each other's row locks; only the event log's lock orders them.
    const conversations: string[] = [];
    for (let i = 0; i < WRITERS * 2; i++) {
      const r = await db.query(`INSERT INTO chatbot_conversations (user_identifier, platform_type, session_id, message_count, customer_message_count)
        VALUES ($1, 'webchat', $2, 0, 0) RETURNING conversation_id::text AS id`, [`+1404555${3000 + i}`, `ws-resume-${i}`]);
      conversations.push(r.rows[0].id);
    }

    // ---- writers: paced on committed events, RATE a second ----
    // Each write produces one event, and the server adds some of its own (the first agent reply
    // also hands the conversation to a human; enrichment records what it recomputed), so the
    // writers count what is committed, not what they sent: the next write is due when
    // (writes sent + the server's own events) / RATE seconds have passed.
    let writeStart = 0;
    let writeEnded = false;
    let operations = 0;
    let sent = 0;
    let ownEvents = 0;
    const writeFailures: string[] = [];
    const countEvents = async () => Number((await db.query('SELECT count(*) AS n FROM inbox_events')).rows[0].n);
    const counter = (async () => {
      while (!writeEnded) {
        ownEvents = Math.max(0, (await countEvents()) - operations);
        await sleep(200);
      }
    })();
    const priorities = ['low', 'normal', 'high', 'urgent'] as const;
    const convState = conversations.map((_, i) => ({ priority: 1 + (i % 3), read: false }));
    const writer = async (w: number) => {
      for (let slot = 0; ; ) {
        const now = performance.now() - writeStart;
        if (now >= WRITE_MS) break;
        const due = ((sent + ownEvents) / RATE) * 1000;
        if (due > now) {
          await sleep(Math.min(due - now, 50));
          continue;
        }
        sent++;
        slot++;
        const k = `${w}-${slot}`;
        const c = w * 2 + (slot % 2);
        const id = conversations[c]!;
        const state = convState[c]!;
        let res: { status: number; body: any };
        try {
          switch (slot % 5) {
            case 0:
            case 1: // a real change every time: one conversation.updated
              state.priority = (state.priority + 1) % priorities.length;
              res = await api(`/api/conversations/${id}`, { method: 'PATCH', body: { priority_level: priorities[state.priority] } });
              break;
            case 2:
            case 3: // message.created (+ new_message frames)
              res = await api(`/api/conversations/${id}/messages`, { method: 'POST', body: { content: `reply ${k}`, sender_name: `Agent ${w}` } });
              break;
            default: // conversation.read
              state.read = !state.read;
              res = await api(`/api/conversations/${id}/${state.read ? 'mark-read' : 'mark-unread'}`, { method: 'POST' });
          }
          if (res.status >= 300) writeFailures.push(`${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          else operations++;
        } catch (err) {
          writeFailures.push(String(err));
        }
      }
    };

    // ---- clients ----
    const wsBase = base().replace('http', 'ws');
    const clients: Client[] = Array.from({ length: CLIENTS }, (_, n) => ({
      n, first: null, last: null, ids: [], segments: [], drops: [], serverCloses: [], connectFailures: [], protocolErrors: [], done: false,
    }));

    // One connection, resolved once its subscription is acknowledged. Per the protocol, a client
    // counts events from its `subscribed` acknowledgement on (before it, a fresh connection may
    // be on its automatic subscription); it ignores everything from a connection it dropped.
    function connect(c: Client, after: number | null, how: How): Promise<void> {
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(`${wsBase}/ws/inbox?token=${API_KEY}${how === 'url' && after !== null ? `&after=${after}` : ''}`);
        let onClosed!: () => void;
        const conn: Connection = { ws, how, after, acked: false, abandoned: false, silenced: false, closed: false, closedSignal: new Promise((r) => (onClosed = r)) };
        c.conn = conn;
        let settled = false;
        const fail = (err: Error) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          conn.abandoned = true;
          ws.terminate();
          reject(err);
        };
        const timer = setTimeout(() => fail(new Error('no subscribed acknowledgement within 15 s')), 15_000);
        ws.on('open', () => {
          if (how === 'url' && after !== null) return;
          const subscribe = () => {
            if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'subscribe', after }));
          };
          // around the server's 250 ms wait for a subscribe frame: the automatic subscription may win
          if (how === 'late') setTimeout(subscribe, 200 + Math.random() * 120);
          else subscribe();
        });
        ws.on('message', (raw) => {
          if (conn.abandoned) return;
          const f = JSON.parse(String(raw));
          if (f.type === 'reset' || f.type === 'error') {
            // nothing is removed from the log during the run, and every subscribe frame is valid
            c.protocolErrors.push(JSON.stringify(f));
            if (!conn.acked) fail(new Error(`answered ${f.type} instead of subscribed`));
            return;
          }
          if (f.type === 'subscribed') {
            if (f.automatic || (after !== null && f.after !== after)) return;
            if (conn.acked) {
              c.protocolErrors.push(`a second subscribed acknowledgement (after ${f.after})`);
              return;
            }
            conn.acked = true;
            if (c.first === null) c.first = c.last = f.after;
            c.segments.push({ at: c.ids.length, after: f.after, how });
            settled = true;
            clearTimeout(timer);
            resolve();
            return;
          }
          if (!conn.acked) return;
          if (f.type === 'event') {
            c.ids.push(f.id);
            c.last = f.id;
          }
        });
        ws.on('close', (code, reason) => {
          conn.closed = true;
          onClosed();
          if (!settled) return fail(new Error(`closed before the acknowledgement: ${code} ${reason}`));
          if (conn.abandoned) return;
          c.serverCloses.push(`${code}${reason.length ? ` ${reason}` : ''}${conn.silenced ? ' (after silence)' : ''}`);
          // The silent drop in progress reconnects itself; any other close is a drop the client
          // did not ask for, and it resumes at once, as a real client would.
          if (c.inSilence !== conn && !c.done) background(c);
        });
        ws.on('error', (err) => fail(err));
        ws.on('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
      });
    }

    function background(c: Client): void {
      const p = resume(c)
        .catch((err) => void c.connectFailures.push(`gave up reconnecting: ${(err as Error).message}`))
        .finally(() => {
          if (c.pending === p) c.pending = undefined;
        });
      c.pending = p;
    }

    async function resume(c: Client, how: How = pick<How>(['frame', 'frame', 'frame', 'url', 'late'])): Promise<void> {
      for (let attempt = 1; ; attempt++) {
        try {
          await connect(c, c.last, how);
          return;
        } catch (err) {
          c.connectFailures.push(`${(err as Error).message} (after ${c.last}, ${how})`);
          if (attempt >= 20) throw err;
          await sleep(250);
        }
      }
    }

    async function runClient(c: Client): Promise<void> {
      // Staggered start, half live from now (`after: null`), half from an earlier committed id.
      await sleep(500 + Math.random() * 2_500);
      let initial: number | null = null;
      if (c.n % 2 === 1) {
        const ids = await committedIds();
        initial = Math.random() < 0.1 || ids.length === 0 ? 0 : pick(ids);
      }
      for (let attempt = 1; ; attempt++) {
        try {
          await connect(c, initial, c.n % 4 === 3 ? 'late' : 'frame');
          break;
        } catch (err) {
          c.connectFailures.push(`${(err as Error).message} (first connection)`);
          if (attempt >= 20) throw err;
          await sleep(250);
        }
      }
      for (let round = 0; ; round++) {
        // Up for a while: the first drop comes within the first 16 s; later ones sometimes very
        // soon after a reconnect, while the missed events are still being replayed.
        await sleep(round === 0 ? 1_000 + Math.random() * 15_000 : Math.random() < 0.3 ? Math.random() * 1_000 : 1_000 + Math.random() * 9_000);
        const now = performance.now() - writeStart;
        if (now > WRITE_MS - 1_000) break;
        await c.pending;
        const conn = c.conn!;
        const ms = Math.max(DROP_MIN_MS, Math.min(DROP_MIN_MS + Math.random() * (DROP_MAX_MS - DROP_MIN_MS), WRITE_MS + TAIL_MS - now));
        const drop: Drop = { mode: Math.random() < 0.3 ? 'silent' : 'terminate', atMs: Math.round(now), ms: Math.round(ms), lastBefore: c.last };
        c.drops.push(drop);
        if (drop.mode === 'terminate') {
          conn.abandoned = true;
          conn.ws.terminate();
          await sleep(ms);
          await resume(c);
        } else {
          // Silent: no reads, so no pongs; the server gives up after two missed heartbeats. Then
          // the client reads what reached it before the server hung up, and resumes after that.
          c.inSilence = conn;
          conn.silenced = true;
          conn.ws.pause();
          await sleep(ms);
          conn.ws.resume();
          await Promise.race([conn.closedSignal, sleep(1_500)]);
          c.inSilence = undefined;
          if (conn.closed) {
            drop.serverDropped = true;
            await resume(c);
          }
        }
      }
      // From here the client just stays connected (and still resumes after any close it did not
      // ask for) until the end of the test.
      await c.pending;
    }

    // ---- run ----
    writeStart = performance.now();
    const firstId = await countEvents();
    phase('writing');
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    const clientRuns = clients.map((c) => runClient(c));
    await Promise.all(writers);
    const writeMs = performance.now() - writeStart;
    writeEnded = true;
    await counter;
    const written = (await countEvents()) - firstId;
    phase(`written (${operations} operations in ${Math.round(writeMs)} ms)`);
    await Promise.all(clientRuns);
    phase('every client reconnected for the last time');

    // Wait until the log is quiet (enrichment may still add an event or two) and every client
    // has caught up with its last event.
    let committed = await committedIds();
    let stableSince = performance.now();
    const deadline = performance.now() + 30_000;
    for (;;) {
      const last = committed.at(-1);
      const quiet = performance.now() - stableSince > 2_000;
      if ((quiet && clients.every((c) => c.last === last)) || performance.now() > deadline) break;
      await sleep(200);
      const again = await committedIds();
      if (again.length !== committed.length) stableSince = performance.now();
      committed = again;
    }
    phase('caught up');
    for (const c of clients) {
      c.done = true;
      c.conn!.abandoned = true;
      c.conn!.ws.close();
    }

    // ---- the verdict ----
    const events = committed.length - firstId;
    const drops = clients.flatMap((c) => c.drops);
    const silent = drops.filter((d) => d.mode === 'silent');
    const serverCloses = clients.flatMap((c) => c.serverCloses);
    const unasked = serverCloses.filter((s) => !s.endsWith('(after silence)'));
    const connectFailures = clients.flatMap((c) => c.connectFailures);
    console.log([
      `ws-resume: ${written} events in ${(writeMs / 1000).toFixed(1)} s of writing (${(written / (writeMs / 1000)).toFixed(1)} events/s: ${operations} API writes, ${writeFailures.length} failed, the rest the server's own), ${events} in all`,
      `${CLIENTS} clients, ${drops.length} drops (${drops.length - silent.length} terminated, ${silent.length} silent: ${silent.filter((d) => d.serverDropped).length} given up on by the server, ${silent.filter((d) => !d.serverDropped).length} survived), durations ${Math.min(...drops.map((d) => d.ms))}–${Math.max(...drops.map((d) => d.ms))} ms`,
      `${clients.reduce((n, c) => n + c.segments.length, 0)} acknowledged subscriptions, ${unasked.length} closes the clients did not ask for${unasked.length ? ` (${[...new Set(unasked)].slice(0, 5).join(', ')})` : ''}, ${connectFailures.length} failed connection attempts${connectFailures.length ? ` (${[...new Set(connectFailures)].slice(0, 3).join('; ')})` : ''}`,
      `run ${Math.round(elapsed() / 1000)} s`,
    ].join('\n  '));

    expect(writeFailures, `writes that failed:\n${writeFailures.slice(0, 10).join('\n')}`).toEqual([]);
    const failures: string[] = [];
    for (const c of clients) {
      const problem = verdict(c, committed);
      if (problem) failures.push(problem);
    }
    expect(failures, `${failures.length} of ${CLIENTS} clients did not end with every event exactly once, in order:\n${failures.slice(0, 20).join('\n')}`).toEqual([]);

    // The run tests what it says: every client dropped at least once, and a real write load. The
    // pacing holds 50 events/s on an idle machine; the floor only catches a machine so busy that
    // the run would not mean much.
    expect(written / (writeMs / 1000), `only ${(written / (writeMs / 1000)).toFixed(1)} events/s were written: the machine is too busy for this run`).toBeGreaterThanOrEqual(RATE / 2);
    expect(clients.every((c) => c.drops.length > 0)).toBe(true);
  }, 300_000);
});

/** null when the client got exactly the committed ids after its first subscription point. */
function verdict(c: Client, committed: number[]): string | null {
  if (c.first === null) return `client ${c.n}: never subscribed (${c.connectFailures.slice(0, 3).join('; ')})`;
  const expected = committed.filter((id) => id > c.first!);
  const got = c.ids;
  const problems: string[] = [...c.protocolErrors.slice(0, 3).map((e) => `unexpected frame ${e}`)];
  // which connection delivered (or should have delivered) position i / id x
  const segmentOfPosition = (i: number) => c.segments.findLastIndex((s) => s.at <= i);
  const segmentOfId = (id: number) => c.segments.findLastIndex((s) => s.after < id);
  const describeSegment = (k: number) => {
    const s = c.segments[k]!;
    return `connection ${k + 1}/${c.segments.length}, subscribed after ${s.after} via ${s.how}`;
  };
  for (let i = 1; i < got.length; i++) {
    if (got[i]! <= got[i - 1]!) {
      problems.push(`${got[i] === got[i - 1] ? 'duplicate' : 'out of order'}: id ${got[i]} right after ${got[i - 1]} (${describeSegment(segmentOfPosition(i))})`);
      break;
    }
  }
  const gotSet = new Set(got);
  const expectedSet = new Set(expected);
  const missing = expected.filter((id) => !gotSet.has(id));
  if (missing.length) {
    const m = missing[0]!;
    const before = got.filter((id) => id < m).at(-1);
    problems.push(`${missing.length} missing, first ${m} (last received before it: ${before ?? 'none'}; ${describeSegment(Math.max(0, segmentOfId(m)))})`);
  }
  const extra = got.filter((id) => !expectedSet.has(id));
  if (extra.length) problems.push(`${extra.length} ids not committed after ${c.first}, first ${extra[0]}`);
  const duplicates = got.length - gotSet.size;
  if (duplicates) problems.push(`${duplicates} duplicates in all`);
  if (!problems.length) return null;
  const drops = c.drops.map((d) => `${d.mode} ${(d.ms / 1000).toFixed(1)} s at ${(d.atMs / 1000).toFixed(1)} s after ${d.lastBefore}${d.mode === 'silent' ? (d.serverDropped ? ' (server hung up)' : ' (survived)') : ''}`).join(', ');
  return `client ${c.n} (first subscription after ${c.first}; ${got.length} received, ${expected.length} expected; drops: ${drops}; server closes: ${c.serverCloses.join(', ') || 'none'}): ${problems.join('; ')}`;
}
