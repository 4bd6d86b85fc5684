// A stand-in for our server, just enough for the chat page's browser test: it serves the real
// web/ files at the paths the app uses and fakes the three /v1 endpoints of contract §1.
// (The real server is built in parallel; this pins the wire format the page relies on.)
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');

// The policy we recommend the real server sends with the page: the page needs nothing inline and
// nothing from another origin, so the test proves it works under it.
export const CHAT_PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface Component {
  type: string;
  data: unknown;
  html: string;
}

export interface StoredMessage {
  message_id: string;
  role: 'user' | 'assistant' | 'tool';
  sender_type: 'customer' | 'ai_assistant' | 'business_rep';
  sender_name: string | null;
  content: string;
  components: Component[] | null;
  created_at: string;
}

/** One step of a scripted reply: a text delta, a component, or a pause until the test says go. */
export type ReplyStep = { text: string } | { component: Component } | { hold: Promise<void> };

export interface Problem {
  status: number;
  title: string;
  detail: string;
  code: string;
}

export interface FakeChatServer {
  url: string;
  /** Every POST /v1/chat/completions body, in order. */
  chatRequests: Record<string, unknown>[];
  /** Every request path the server saw (to prove the page asks nothing of anyone else). */
  paths: string[];
  /** The reply for the next turn (default: the order-status reply below). */
  setNextReply(steps: ReplyStep[]): void;
  /** Answer the next turn with this problem instead of a reply. */
  failNextWith(problem: Problem): void;
  /** Stores an agent reply and pushes it to the session's live stream (if `push`). */
  addAgentMessage(sessionId: string, opts: { name: string; content: string; push?: boolean }): StoredMessage;
  /** Pushes an already stored message again (duplicate delivery). */
  pushMessage(sessionId: string, message: StoredMessage): void;
  pushHandoff(sessionId: string, status: 'pending_human' | 'bot'): void;
  /** Ends every live stream, as a proxy timeout or a server restart would. */
  dropLiveStreams(): void;
  liveClients(sessionId: string): number;
  messages(sessionId: string): StoredMessage[];
  close(): Promise<void>;
}

export const orderListComponent: Component = {
  type: 'order_list',
  data: {
    customer_id: 'C1001',
    orders: [
      { order_id: 'SO-48213', status: 'S', status_label: 'Shipped / scheduled', order_date: '2025-11-02', delivery_date: '2025-11-29', total: 2149.97 },
      { order_id: 'SO-47155', status: 'F', status_label: 'Finalized', order_date: '2025-08-14', delivery_date: '2025-08-21', total: 899 },
    ],
  },
  // The shape src/components/order-list.ts renders (a card with a table and a Details action).
  html:
    '<section class="wo-card wo-order-list" data-component="order_list" aria-label="Orders" data-customer-id="C1001">' +
    '<header class="wo-card__header"><h3 class="wo-card__title">Orders <span class="wo-count">(2)</span></h3></header>' +
    '<div class="wo-table-wrap"><table class="wo-table wo-orders"><caption class="wo-visually-hidden">Orders, newest first</caption>' +
    '<thead><tr><th scope="col">Order</th><th scope="col">Date</th><th scope="col">Status</th><th scope="col">Delivery</th>' +
    '<th scope="col" class="wo-num">Total</th><th scope="col"><span class="wo-visually-hidden">Actions</span></th></tr></thead><tbody>' +
    '<tr class="wo-order wo-order--s" data-order-id="SO-48213"><th scope="row">#SO-48213</th><td><time datetime="2025-11-02">Nov 2, 2025</time></td>' +
    '<td><span class="wo-badge wo-badge--scheduled">Shipped / scheduled</span></td><td><time datetime="2025-11-29">Nov 29, 2025</time></td>' +
    '<td class="wo-num">$2,149.97</td><td><button type="button" class="wo-button wo-button--small wo-button--ghost" data-action="order-details" data-order-id="SO-48213">Details</button></td></tr>' +
    '<tr class="wo-order wo-order--f" data-order-id="SO-47155"><th scope="row">#SO-47155</th><td><time datetime="2025-08-14">Aug 14, 2025</time></td>' +
    '<td><span class="wo-badge wo-badge--finalized">Finalized</span></td><td><time datetime="2025-08-21">Aug 21, 2025</time></td>' +
    '<td class="wo-num">$899.00</td><td><button type="button" class="wo-button wo-button--small wo-button--ghost" data-action="order-details" data-order-id="SO-47155">Details</button></td></tr>' +
    '</tbody></table></div></section>',
};

const defaultReply = (): ReplyStep[] => [
  { text: 'Thanks! Let me ' },
  { text: 'look up your ' },
  { text: 'orders.' },
  { component: orderListComponent },
  { text: '\n\nYour **Sierra sectional** (order SO-48213) is *scheduled* for delivery on Nov 29.' },
  { text: '\n- Delivery window: 8 AM – 12 PM\n- We call 30 minutes ahead' },
  { text: '\n\nDelivery details: https://www.woodstockoutlet.com/delivery' },
];

export async function startFakeChatServer(opts: { stepDelayMs?: number } = {}): Promise<FakeChatServer> {
  const stepDelay = opts.stepDelayMs ?? 90;
  const sessions = new Map<string, StoredMessage[]>();
  const live = new Map<string, Set<http.ServerResponse>>();
  const chatRequests: Record<string, unknown>[] = [];
  const paths: string[] = [];
  let nextReply: ReplyStep[] | null = null;
  let nextProblem: Problem | null = null;

  const store = (sessionId: string, m: Omit<StoredMessage, 'message_id' | 'created_at'>): StoredMessage => {
    const message: StoredMessage = { message_id: randomUUID(), created_at: new Date().toISOString(), ...m };
    if (!sessions.has(sessionId)) sessions.set(sessionId, []);
    sessions.get(sessionId)!.push(message);
    return message;
  };

  const sendLive = (sessionId: string, event: unknown) => {
    for (const res of live.get(sessionId) ?? []) res.write(`data: ${JSON.stringify(event)}\n\n`);
  };

  const problem = (res: http.ServerResponse, p: Problem) => {
    res.writeHead(p.status, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify({ type: 'about:blank', ...p }));
  };

  async function serveFile(res: http.ServerResponse, rel: string) {
    const file = path.resolve(WEB, rel);
    if (!file.startsWith(WEB + path.sep)) return problem(res, { status: 404, title: 'Not Found', detail: 'No such file', code: 'not_found' });
    try {
      const body = await readFile(file);
      const headers: Record<string, string> = { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
      if (file.endsWith('.html')) headers['content-security-policy'] = CHAT_PAGE_CSP;
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      problem(res, { status: 404, title: 'Not Found', detail: 'No such file', code: 'not_found' });
    }
  }

  async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  }

  async function chat(req: http.IncomingMessage, res: http.ServerResponse) {
    const body = await readJson(req);
    chatRequests.push(body);
    if (nextProblem) {
      const p = nextProblem;
      nextProblem = null;
      return problem(res, p);
    }
    const sessionId = String(body.session_id);
    const messages = body.messages as { role: string; content: string }[];
    const content = messages[messages.length - 1].content;
    store(sessionId, { role: 'user', sender_type: 'customer', sender_name: null, content, components: null });

    const steps = nextReply ?? defaultReply();
    nextReply = null;
    const id = `chatcmpl-${randomUUID()}`;
    const conversationId = randomUUID();
    const created = Math.floor(Date.now() / 1000);
    const frame = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}, finish: string | null = null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: 'woodstock-assistant', conversation_id: conversationId, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(frame({ role: 'assistant' }));
    let text = '';
    for (const step of steps) {
      await new Promise((r) => setTimeout(r, stepDelay));
      if ('hold' in step) {
        await step.hold;
      } else if ('component' in step) {
        store(sessionId, { role: 'tool', sender_type: 'ai_assistant', sender_name: null, content: '', components: [step.component] });
        res.write(frame({}, { components: [step.component] }));
      } else {
        text += step.text;
        // Split each frame across two writes: the page must reassemble frames cut mid-line.
        const f = frame({ content: step.text });
        const cut = Math.floor(f.length / 2);
        res.write(f.slice(0, cut));
        await new Promise((r) => setTimeout(r, 5));
        res.write(f.slice(cut));
      }
    }
    store(sessionId, { role: 'assistant', sender_type: 'ai_assistant', sender_name: null, content: text, components: null });
    res.write(frame({}, {}, 'stop'));
    res.end('data: [DONE]\n\n');
  }

  function history(res: http.ServerResponse, sessionId: string) {
    const messages = sessions.get(sessionId);
    if (!messages) return problem(res, { status: 404, title: 'Not Found', detail: 'No conversation for this session', code: 'conversation_not_found' });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ user_identifier: sessionId, conversation_id: randomUUID(), message_count: messages.length, messages, customer_context: null }));
  }

  function stream(req: http.IncomingMessage, res: http.ServerResponse, sessionId: string) {
    // A short retry so the test's reconnect takes well under a second (browsers default to ~3 s).
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write('retry: 250\n: connected\n\n');
    if (!live.has(sessionId)) live.set(sessionId, new Set());
    live.get(sessionId)!.add(res);
    req.on('close', () => live.get(sessionId)?.delete(res));
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.pathname;
    paths.push(p);
    const sessionMatch = /^\/v1\/sessions\/([^/]+)(\/stream)?$/.exec(p);
    const run = async () => {
      if (req.method === 'POST' && p === '/v1/chat/completions') return chat(req, res);
      if (req.method === 'GET' && sessionMatch) {
        const id = decodeURIComponent(sessionMatch[1]);
        return sessionMatch[2] ? stream(req, res, id) : history(res, id);
      }
      if (req.method === 'GET' && (p === '/' || p === '/chat' || p === '/chat/')) return serveFile(res, 'chat/index.html');
      if (req.method === 'GET' && p.startsWith('/chat/')) return serveFile(res, `chat/${p.slice('/chat/'.length)}`);
      if (req.method === 'GET' && p.startsWith('/assets/')) return serveFile(res, `assets/${p.slice('/assets/'.length)}`);
      problem(res, { status: 404, title: 'Not Found', detail: `No route ${req.method} ${p}`, code: 'not_found' });
    };
    run().catch((err) => {
      if (!res.headersSent) problem(res, { status: 500, title: 'Internal Server Error', detail: String(err), code: 'internal' });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    chatRequests,
    paths,
    setNextReply(steps) {
      nextReply = steps;
    },
    failNextWith(p) {
      nextProblem = p;
    },
    addAgentMessage(sessionId, { name, content, push = true }) {
      const message = store(sessionId, { role: 'assistant', sender_type: 'business_rep', sender_name: name, content, components: null });
      if (push) sendLive(sessionId, { type: 'message', message });
      return message;
    },
    pushMessage(sessionId, message) {
      sendLive(sessionId, { type: 'message', message });
    },
    pushHandoff(sessionId, status) {
      sendLive(sessionId, { type: 'handoff', status });
    },
    dropLiveStreams() {
      for (const set of live.values()) {
        for (const res of set) res.end();
        set.clear();
      }
    },
    liveClients(sessionId) {
      return live.get(sessionId)?.size ?? 0;
    },
    messages(sessionId) {
      return sessions.get(sessionId) ?? [];
    },
    close() {
      for (const set of live.values()) for (const res of set) res.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
