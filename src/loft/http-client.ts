// The LOFT client: plain GETs under a base URL, every reply {"entry": [...]}. Expected failures
// (not found, LOFT down, rate limited, unreadable reply) are returned as values the model can
// explain to a customer; this module never throws for them.
import { displayPhone, normalizeEmail, normalizePhone } from '../shared/phone.ts';
import {
  sortOrdersNewestFirst,
  toCustomer,
  toOrder,
  toOrderDetails,
  toOrderLine,
} from './parse.ts';
import type { Customer, LoftClient, LoftResult, Order, OrderDetails, OrderLine } from './types.ts';

export type LoftCallName = 'GetCustomerByPhone' | 'GetCustomerByEmail' | 'GetOrdersByCustomer' | 'GetDetailsByOrder';
export type LoftCallOutcome = 'ok' | 'not_found' | 'loft_unavailable' | 'rate_limited' | 'bad_response';

export interface LoftCallInfo {
  call: LoftCallName;
  /** wall time of the whole call, retries and waits included */
  ms: number;
  outcome: LoftCallOutcome;
  attempts: number;
  /** HTTP status of the last attempt, when there was one */
  status?: number;
}

/** The part of a pino logger we use; never given phones, emails or ids (personal data). */
export interface LoftLogger {
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface LoftHttpClientOptions {
  baseUrl: string;
  /** per request (each attempt has its own budget) */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  logger?: LoftLogger;
  onCall?(info: LoftCallInfo): void;
  /** longest Retry-After we wait for on a 429 before giving up with rate_limited */
  maxRetryAfterMs?: number;
  /** pause before the single retry after a 5xx, timeout or network error */
  retryDelayMs?: number;
}

export const loftMessages = {
  loft_unavailable:
    "Our order system isn't answering right now, so I can't look that up at the moment. Please try again in a few minutes, or call your nearest Woodstock Outlet showroom and they'll be glad to help.",
  rate_limited:
    'Our order system is busy right now. Please try again in a minute, or call your nearest showroom.',
  bad_response:
    "Our order system sent back something I couldn't read, so I can't look that up right now. Please try again shortly, or call your nearest showroom.",
} as const;

type Failure = Extract<LoftResult<never>, { ok: false }>;
type Attempt =
  | { kind: 'reply'; status: number; entries: unknown[] }
  | { kind: 'retryable'; status?: number; reason: string }
  | { kind: 'rate_limited'; status: 429; retryAfterMs?: number }
  | { kind: 'bad'; status?: number; reason: string };

const fail = (error: Failure['error'], message: string): Failure => ({ ok: false, error, message });

export function createLoftHttpClient(options: LoftHttpClientOptions): LoftClient {
  const {
    timeoutMs = 10_000,
    fetch: doFetch = globalThis.fetch,
    logger,
    onCall,
    maxRetryAfterMs = 2_000,
    retryDelayMs = 250,
  } = options;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  async function attempt(call: LoftCallName, params: Record<string, string>): Promise<Attempt> {
    const url = `${baseUrl}/${call}?${new URLSearchParams(params).toString()}`;
    let response: Response;
    let body: string;
    try {
      // The signal also covers reading the body, so a server that stalls mid-reply times out too.
      response = await doFetch(url, {
        method: 'GET',
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      body = await response.text();
    } catch (err) {
      const name = (err as { name?: string }).name;
      const reason = name === 'TimeoutError' || name === 'AbortError' ? `timeout after ${timeoutMs} ms` : 'network error';
      return { kind: 'retryable', reason };
    }
    if (response.status === 429) {
      return { kind: 'rate_limited', status: 429, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) };
    }
    if (response.status >= 500) return { kind: 'retryable', status: response.status, reason: `HTTP ${response.status}` };
    if (response.status !== 200) return { kind: 'bad', status: response.status, reason: `HTTP ${response.status}` };
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { kind: 'bad', status: 200, reason: 'malformed JSON' };
    }
    const entries = (json as { entry?: unknown } | null)?.entry;
    if (!Array.isArray(entries)) return { kind: 'bad', status: 200, reason: 'reply has no entry list' };
    return { kind: 'reply', status: 200, entries };
  }

  /** One logical call: at most one retry, then a value or an expected failure. */
  async function request(
    call: LoftCallName,
    params: Record<string, string>,
  ): Promise<{ ok: true; entries: unknown[]; attempts: number } | (Failure & { attempts: number; status?: number })> {
    let last = await attempt(call, params);
    let attempts = 1;
    if (last.kind === 'retryable') {
      logger?.warn({ loft_call: call, reason: last.reason, status: last.status }, 'LOFT call failed; retrying once');
      await sleep(retryDelayMs);
      last = await attempt(call, params);
      attempts++;
    } else if (last.kind === 'rate_limited' && last.retryAfterMs !== undefined && last.retryAfterMs <= maxRetryAfterMs) {
      await sleep(last.retryAfterMs);
      last = await attempt(call, params);
      attempts++;
    }
    switch (last.kind) {
      case 'reply':
        return { ok: true, entries: last.entries, attempts };
      case 'retryable':
        logger?.warn({ loft_call: call, reason: last.reason, status: last.status, attempts }, 'LOFT unavailable');
        return { ...fail('loft_unavailable', loftMessages.loft_unavailable), attempts, status: last.status };
      case 'rate_limited':
        logger?.warn({ loft_call: call, attempts, retry_after_ms: last.retryAfterMs }, 'LOFT rate limited');
        return { ...fail('rate_limited', loftMessages.rate_limited), attempts, status: 429 };
      case 'bad':
        logger?.warn({ loft_call: call, reason: last.reason, status: last.status, attempts }, 'LOFT sent an unreadable reply');
        return { ...fail('bad_response', loftMessages.bad_response), attempts, status: last.status };
    }
  }

  /** Runs a call, maps its entries, and reports timing and outcome to onCall. */
  async function run<T>(
    call: LoftCallName,
    params: Record<string, string>,
    map: (entries: unknown[]) => LoftResult<T>,
  ): Promise<LoftResult<T>> {
    const started = performance.now();
    const reply = await request(call, params);
    let result: LoftResult<T>;
    if (reply.ok) {
      result = map(reply.entries);
      if (!result.ok && result.error === 'bad_response') {
        logger?.warn({ loft_call: call }, 'LOFT entries could not be read');
      }
    } else {
      result = fail(reply.error, reply.message);
    }
    const info: LoftCallInfo = {
      call,
      ms: Math.round(performance.now() - started),
      outcome: result.ok ? 'ok' : result.error,
      attempts: reply.attempts,
      ...(reply.ok ? { status: 200 } : reply.status !== undefined ? { status: reply.status } : {}),
    };
    logger?.debug({ loft_call: call, ms: info.ms, outcome: info.outcome, attempts: info.attempts }, 'LOFT call');
    try {
      onCall?.(info);
    } catch {
      // A broken metrics hook must not break a customer's lookup.
    }
    return result;
  }

  function pickCustomer(entries: unknown[], matches: (c: Customer) => boolean, notFound: string): LoftResult<Customer> {
    if (entries.length === 0) return fail('not_found', notFound);
    const customers = entries.map((e) => toCustomer(e as never)).filter((c): c is Customer => c !== undefined);
    if (customers.length === 0) return fail('bad_response', loftMessages.bad_response);
    // LOFT may return several accounts; prefer the one whose contact really matches.
    return { ok: true, value: customers.find(matches) ?? customers[0]! };
  }

  return {
    async getCustomerByPhone(phone) {
      const e164 = normalizePhone(phone);
      if (!e164) return fail('not_found', "That doesn't look like a 10-digit US phone number.");
      return run('GetCustomerByPhone', { phone: displayPhone(e164) }, (entries) =>
        pickCustomer(entries, (c) => c.phone === e164, 'No customer was found with that phone number.'),
      );
    },

    async getCustomerByEmail(email) {
      const wanted = normalizeEmail(email);
      if (!wanted.includes('@')) return fail('not_found', "That doesn't look like an email address.");
      return run('GetCustomerByEmail', { email: wanted }, (entries) =>
        pickCustomer(entries, (c) => c.email === wanted, 'No customer was found with that email address.'),
      );
    },

    async getOrdersByCustomer(customerId) {
      const id = customerId.trim();
      if (!id) return fail('not_found', 'No customer id was given.');
      return run<Order[]>('GetOrdersByCustomer', { custid: id }, (entries) => {
        if (entries.length === 0) return fail('not_found', 'No orders were found for this customer.');
        const orders = entries.map((e) => toOrder(e as never)).filter((o): o is Order => o !== undefined);
        if (orders.length === 0) return fail('bad_response', loftMessages.bad_response);
        return { ok: true, value: sortOrdersNewestFirst(orders) };
      });
    },

    async getDetailsByOrder(orderId) {
      const id = orderId.trim().replace(/^#/, '');
      if (!id) return fail('not_found', 'No order number was given.');
      return run<OrderDetails>('GetDetailsByOrder', { orderid: id }, (entries) => {
        if (entries.length === 0) return fail('not_found', `No details were found for order ${id}.`);
        const lines = entries.map((e) => toOrderLine(e as never)).filter((l): l is OrderLine => l !== undefined);
        if (lines.length === 0) return fail('bad_response', loftMessages.bad_response);
        return { ok: true, value: toOrderDetails(id, lines) };
      });
    },
  };
}

/** Retry-After as seconds or an HTTP date → milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((r) => setTimeout(r, ms)) : Promise.resolve());
