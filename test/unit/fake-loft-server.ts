// A local fake of the retailer's LOFT API for tests (node:http on 127.0.0.1, a free port). By
// default it answers from a small dataset in LOFT's wire format; scripted steps make the next
// requests misbehave: slow, 5xx, 429, malformed JSON, a dropped connection.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoftCustomerEntry, LoftOrderEntry, LoftOrderLineEntry } from '../../src/loft/types.ts';

export interface FakeStep {
  status?: number;
  /** raw text, or a value sent as JSON */
  body?: unknown;
  headers?: Record<string, string>;
  /** wait this long before answering */
  delayMs?: number;
  /** drop the connection without an answer */
  destroy?: boolean;
}

export interface FakeLoftData {
  customers: LoftCustomerEntry[];
  orders: Record<string, LoftOrderEntry[]>;
  lines: Record<string, LoftOrderLineEntry[]>;
}

export interface FakeLoftServer {
  /** base URL to give the client, e.g. http://127.0.0.1:41234/loft */
  url: string;
  requests: { path: string; query: URLSearchParams }[];
  /** the next requests get these answers, in order; then the dataset answers again */
  script(...steps: FakeStep[]): void;
  close(): Promise<void>;
}

const digits = (s: string) => s.replace(/\D/g, '').slice(-10);

function answerFromData(data: FakeLoftData, path: string, query: URLSearchParams): FakeStep {
  const call = path.replace(/^\/loft\//, '');
  switch (call) {
    case 'GetCustomerByPhone':
      return { body: { entry: data.customers.filter((c) => digits(c.phonenumber) === digits(query.get('phone') ?? '')) } };
    case 'GetCustomerByEmail':
      return { body: { entry: data.customers.filter((c) => c.email.toLowerCase() === (query.get('email') ?? '').toLowerCase()) } };
    case 'GetOrdersByCustomer':
      return { body: { entry: data.orders[query.get('custid') ?? ''] ?? [] } };
    case 'GetDetailsByOrder':
      return { body: { entry: data.lines[query.get('orderid') ?? ''] ?? [] } };
    default:
      return { status: 404, body: { error: 'no such call' } };
  }
}

export async function startFakeLoft(data: FakeLoftData): Promise<FakeLoftServer> {
  const queue: FakeStep[] = [];
  const requests: FakeLoftServer['requests'] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ path: url.pathname, query: url.searchParams });
    const step = queue.shift() ?? answerFromData(data, url.pathname, url.searchParams);
    const answer = () => {
      if (step.destroy) {
        req.socket.destroy();
        return;
      }
      const body = typeof step.body === 'string' ? step.body : JSON.stringify(step.body ?? { entry: [] });
      res.writeHead(step.status ?? 200, { 'content-type': 'application/json', ...step.headers });
      res.end(body);
    };
    if (step.delayMs) {
      const t = setTimeout(() => {
        timers.delete(t);
        if (!res.destroyed) answer();
      }, step.delayMs);
      timers.add(t);
    } else {
      answer();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/loft`,
    requests,
    script(...steps) {
      queue.push(...steps);
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
