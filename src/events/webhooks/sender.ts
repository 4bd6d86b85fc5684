// One HTTP attempt: POST the signed body, wait at most `timeoutMs` for the whole answer, and
// report what happened (status, duration, error, the start of the response) without throwing.
// Keep-alive agents make back-to-back deliveries to one receiver cheap. Redirects are not
// followed: a 3xx is a failed attempt, like any other non-2xx.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { isPrivateAddress, publicOnlyLookup } from './url-policy.ts';

export const EXCERPT_CHARS = 500;
const MAX_BODY_BYTES = 64 * 1024;

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseExcerpt: string | null;
  retryAfter: string | undefined;
}

// Idle sockets are dropped after 4 s, before the usual 5 s keep-alive timeout of receivers, so a
// request is not sent on a socket the receiver is closing.
const agentOptions = { keepAlive: true, maxSockets: 256, maxFreeSockets: 64, timeout: 4_000 };
// Separate pools: a socket opened for a trusted endpoint is never reused for a checked one.
const agents = {
  http: { open: new http.Agent(agentOptions), guarded: new http.Agent(agentOptions) },
  https: { open: new https.Agent(agentOptions), guarded: new https.Agent(agentOptions) },
};

export function closeAgents(): void {
  for (const pair of Object.values(agents)) {
    pair.open.destroy();
    pair.guarded.destroy();
  }
}

export interface SendOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** refuse private and loopback addresses when connecting */
  publicOnly: boolean;
  signal?: AbortSignal;
}

function describeError(err: NodeJS.ErrnoException, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timeout: no complete response within ${timeoutMs} ms`;
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  if (code === 'ECONNRESET') return 'connection reset (ECONNRESET)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code})`;
  if (code === 'EPRIVATEADDRESS') return `blocked: ${err.message}`;
  return `${code ? `${code}: ` : ''}${err.message}`.slice(0, 300);
}

export function sendAttempt(opts: SendOptions): Promise<AttemptResult> {
  const started = performance.now();
  const duration = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    let timedOut = false;
    const finish = (r: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ ...r, durationMs: duration() });
    };
    const fail = (error: string, statusCode: number | null = null) =>
      finish({ ok: false, statusCode, error, responseExcerpt: null, retryAfter: undefined });

    let url: URL;
    try {
      url = new URL(opts.url);
    } catch {
      return fail('invalid URL');
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (opts.publicOnly && isIP(host) && isPrivateAddress(host)) return fail(`blocked: ${host} is a private address`);
    const isHttps = url.protocol === 'https:';
    const pair = isHttps ? agents.https : agents.http;

    const req = (isHttps ? https : http).request(url, {
      method: 'POST',
      agent: opts.publicOnly ? pair.guarded : pair.open,
      headers: { ...opts.headers, 'content-length': Buffer.byteLength(opts.body) },
      ...(opts.publicOnly ? { lookup: publicOnlyLookup as never } : {}),
    });
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Error('timeout'));
    }, opts.timeoutMs);
    const onAbort = () => req.destroy(new Error('aborted: the worker is stopping'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    req.on('error', (err: NodeJS.ErrnoException) => fail(describeError(err, timedOut, opts.timeoutMs)));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= 4096) chunks.push(chunk);
        // A huge answer is not read to the end: the status is all that counts.
        if (size > MAX_BODY_BYTES) res.destroy();
      });
      const done = () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const ok = status >= 200 && status < 300;
        finish({
          ok,
          statusCode: status,
          error: ok ? null : status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`,
          responseExcerpt: text ? text.slice(0, EXCERPT_CHARS) : null,
          retryAfter: typeof res.headers['retry-after'] === 'string' ? res.headers['retry-after'] : undefined,
        });
      };
      res.on('end', done);
      res.on('close', done);
      res.on('error', (err: NodeJS.ErrnoException) => (timedOut ? fail(describeError(err, true, opts.timeoutMs), status) : done()));
    });
    req.end(opts.body);
  });
}
