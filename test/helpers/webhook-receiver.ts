// A local webhook receiver for tests: a node:http server on 127.0.0.1 that verifies every request
// with the `standardwebhooks` package (as a real consumer would) and answers as each test says.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  webhookId: string;
  timestamp: string;
  signatures: string[];
  body: string;
  json: { type: string; timestamp: string; data: Record<string, unknown> } | null;
  /** performance.now() when the request was complete */
  at: number;
  /** the secrets (from `secrets`) that verified this request */
  verifiedWith: string[];
  /** what we answered */
  status: number | null;
  path: string;
}

export interface Answer {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** never answer (the sender must time out) */
  hang?: boolean;
  delayMs?: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** secrets to verify with; a request is valid if at least one verifies */
  secrets: string[];
  answer: (r: Received, n: number) => Answer;
  byId(id: string): Received[];
  /** resolves when `pred` holds (checked on every request and every 20 ms) */
  waitFor(pred: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(opts: { secrets?: string[]; answer?: Receiver['answer']; port?: number } = {}): Promise<Receiver> {
  const hanging = new Set<ServerResponse>();
  const receiver: Receiver = {
    url: '',
    received: [],
    secrets: opts.secrets ?? [],
    answer: opts.answer ?? (() => ({ status: 200, body: 'ok' })),
    byId: (id) => receiver.received.filter((r) => r.webhookId === id),
    async waitFor(pred, timeoutMs = 10_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      while (!pred()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (received ${receiver.received.length})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      };
      const verifiedWith = receiver.secrets.filter((secret) => {
        try {
          new Webhook(secret).verify(body, headers);
          return true;
        } catch {
          return false;
        }
      });
      let json: Received['json'] = null;
      try {
        json = JSON.parse(body);
      } catch {
        // recorded as is
      }
      const r: Received = {
        webhookId: headers['webhook-id'],
        timestamp: headers['webhook-timestamp'],
        signatures: headers['webhook-signature'].split(' ').filter(Boolean),
        body,
        json,
        at: performance.now(),
        verifiedWith,
        status: null,
        path: req.url ?? '/',
      };
      receiver.received.push(r);
      const a = receiver.answer(r, receiver.received.length);
      if (a.hang) {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      const send = () => {
        r.status = a.status ?? 200;
        res.writeHead(r.status, { 'content-type': 'text/plain', ...(a.headers ?? {}) });
        res.end(a.body ?? '');
      };
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
