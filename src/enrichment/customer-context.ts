// Who the customer of a conversation is, for an agent: identity (verified or only claimed), LOFT
// customer id, name, contact, city, lifetime orders and spend, the last order and its status.
//
// Sources, weakest first: the context stored by the previous enrichment, the results of the
// functions the assistant already ran in the conversation (new rows: ToolResult `{ok, data}`;
// legacy rows: raw LOFT `{entry: [...]}` or the `**Function Result (name):** {json}` marker in the
// content), then LOFT itself when the customer is identified. LOFT is called outside any
// transaction, through a small per-process cache (fresh for 10 minutes); LOFT being down is not an
// error: the last known context is kept and marked `stale: true`.
import { highValueThreshold, loyaltyTierFor } from '../chat/tools/index.ts';
import type { Customer, LoftClient, Order } from '../loft/index.ts';
import { round2 } from '../loft/index.ts';
// The loft room's entry parsers (not on its door): the same reading of LOFT entries the clients use.
import { sortOrdersNewestFirst, toCustomer, toOrder } from '../loft/parse.ts';
import { normalizeEmail, normalizePhone } from '../shared/phone.ts';

export type IdentityLevel = 'verified' | 'claimed' | 'unknown';

export interface LastOrder {
  order_id: string;
  status: string;
  status_label: string;
  order_date: string;
  delivery_date: string | null;
  total: number;
}

/** Stored in chatbot_conversations.customer_context (plus the `enrichment` key, see enricher.ts). */
export interface CustomerContext {
  v: 1;
  identity: IdentityLevel;
  customer_id: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  city: string | null;
  state: string | null;
  /** non-cancelled orders */
  lifetime_orders: number | null;
  /** sum of non-cancelled order totals, USD */
  lifetime_spend: number | null;
  /** lifetime spend over $1,500 (the original's rule) */
  high_value: boolean;
  loyalty_tier: string | null;
  /** the newest order, whatever its status */
  last_order: LastOrder | null;
  /** orders pending or shipped/scheduled */
  open_orders: number | null;
  /** where the facts come from: 'conversation' (function results), 'loft', 'previous' */
  sources: string[];
  /** when LOFT last answered for this customer (ISO) */
  loft_checked_at: string | null;
  /** LOFT was asked and did not answer: these are the last known facts */
  stale: boolean;
}

/** The conversation fields the context starts from. */
export interface ConversationIdentity {
  customer_id: string | null;
  customer_name: string | null;
  customer_phone: string | null;
  customer_email: string | null;
  customer_verified: boolean;
}

/** A function-result row of the conversation (newest first when passed to the builder). */
export interface ToolRow {
  name: string | null;
  output: unknown;
  input: unknown;
  status: string | null;
  content: string | null;
  at: string;
}

/** Function names whose results say something about the customer. */
export const CONTEXT_FUNCTIONS = [
  'getCustomerByPhone',
  'getCustomerByEmail',
  'getOrdersByCustomer',
  'analyzeCustomerPatterns',
  'handleLoyaltyUpgrade',
  'getCustomerJourney',
  'getCustomerAnalytics',
] as const;

const MARKER_RE = /\*\*Function Result \(([^)\n]{1,120})\):\*\*\s*/g;

/** The JSON value after each `**Function Result (name):**` marker of a legacy message. */
export function parseLegacyMarkers(content: string | null): { name: string; value: unknown }[] {
  if (!content || content.indexOf('**Function Result (') === -1) return [];
  const out: { name: string; value: unknown }[] = [];
  MARKER_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = MARKER_RE.exec(content)) !== null) {
    const start = MARKER_RE.lastIndex;
    const end = jsonEnd(content, start);
    if (end > start) {
      try {
        out.push({ name: m[1]!.trim(), value: JSON.parse(content.slice(start, end)) });
      } catch {
        // truncated or not JSON: nothing to learn from it
      }
    }
  }
  return out;
}

function jsonEnd(s: string, i: number): number {
  const open = s.charCodeAt(i);
  if (open !== 123 && open !== 91) return i;
  let depth = 0;
  let inStr = false;
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (inStr) {
      if (c === 92) j++;
      else if (c === 34) inStr = false;
      continue;
    }
    if (c === 34) inStr = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return i;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string | null => (typeof x === 'string' && x.trim() ? x.trim() : typeof x === 'number' ? String(x) : null);
const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : typeof x === 'string' && x.trim() && Number.isFinite(Number(x)) ? Number(x) : null);

/** A function's result as data: `{ok:true,data}` → data; `{ok:false}` → undefined; anything else as is. */
function unwrap(output: unknown): unknown {
  let v = output;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (!isObj(v)) return Array.isArray(v) ? v : undefined;
  if ('ok' in v) return v.ok === true ? v.data : undefined;
  return v;
}

function asCustomer(x: unknown): Customer | undefined {
  if (!isObj(x)) return undefined;
  if (Array.isArray(x.entry)) return toCustomer(x.entry[0] as never);
  if (typeof x.customerid === 'string' || typeof x.customerid === 'number') return toCustomer(x as never);
  const id = str(x.customer_id);
  if (!id || !('name' in x || 'first_name' in x || 'email' in x || 'phone' in x)) return undefined;
  const address = isObj(x.address) ? x.address : {};
  const first = str(x.first_name) ?? '';
  const last = str(x.last_name) ?? '';
  return {
    customer_id: id,
    first_name: first,
    last_name: last,
    name: str(x.name) ?? [first, last].filter(Boolean).join(' '),
    email: str(x.email) ?? '',
    phone: str(x.phone) ?? '',
    address: { line1: str(address.line1) ?? '', city: str(address.city) ?? '', state: str(address.state) ?? '', zipcode: str(address.zipcode) ?? '' },
  };
}

function asOrders(x: unknown): Order[] | undefined {
  const list = Array.isArray(x) ? x : isObj(x) ? (Array.isArray(x.orders) ? x.orders : Array.isArray(x.entry) ? x.entry : undefined) : undefined;
  if (!list) return undefined;
  const out: Order[] = [];
  for (const o of list) {
    if (!isObj(o)) continue;
    if ('orderid' in o) {
      const parsed = toOrder(o as never);
      if (parsed) out.push(parsed);
    } else if (str(o.order_id) && str(o.order_date) && num(o.total) !== null) {
      out.push({
        order_id: str(o.order_id)!,
        status: (str(o.status) ?? 'P') as Order['status'],
        status_label: str(o.status_label) ?? str(o.status) ?? '',
        order_date: str(o.order_date)!,
        delivery_date: str(o.delivery_date),
        total: num(o.total)!,
      });
    }
  }
  return out;
}

interface Facts {
  customer?: Customer;
  orders?: Order[];
  spend?: number;
  orderCount?: number;
  tier?: string;
  highValue?: boolean;
}

/** The customer id a function row is about (its result or its input). */
function rowCustomerId(data: unknown, input: unknown): string | null {
  if (isObj(data)) {
    const id = str(data.customer_id) ?? (isObj(data.customer) ? str(data.customer.customer_id) : null);
    if (id) return id;
  }
  if (isObj(input)) return str(input.customer_id) ?? str(input.custid);
  return null;
}

/**
 * What the conversation's own function results say about the customer. `rows` newest first.
 * With `customerId` set (a verified or known identity) only results about that customer count;
 * otherwise the newest identified customer is taken, and then only results about them.
 */
export function factsFromToolRows(rows: readonly ToolRow[], customerId: string | null): Facts & { customer_id: string | null } {
  const facts: Facts = {};
  let id = customerId;
  const items: { name: string; data: unknown; input: unknown }[] = [];
  for (const r of rows) {
    if (r.status === 'error') continue;
    if (r.name && r.output !== null && r.output !== undefined) items.push({ name: r.name, data: unwrap(r.output), input: r.input });
    else for (const m of parseLegacyMarkers(r.content)) items.push({ name: m.name, data: unwrap(m.value), input: r.input });
  }
  for (const { name, data, input } of items) {
    if (data === undefined) continue;
    let customer: Customer | undefined;
    if (name === 'getCustomerByPhone' || name === 'getCustomerByEmail') customer = asCustomer(data);
    else if ((name === 'getCustomerJourney' || name === 'getCustomerAnalytics') && isObj(data)) customer = asCustomer(data.customer);
    const about = customer?.customer_id ?? rowCustomerId(data, input);
    if (id === null && customer) id = customer.customer_id;
    // Results about someone else (staff looked another customer up) say nothing about this one.
    if (about && id && about !== id) continue;
    if (!about && id === null) continue;
    if (customer && !facts.customer) facts.customer = customer;
    if (!facts.orders) {
      const orders =
        name === 'getOrdersByCustomer' ? asOrders(data)
        : name === 'getCustomerJourney' && isObj(data) ? asOrders(data.orders)
        : name === 'getCustomerAnalytics' && isObj(data) && isObj(data.journey) ? asOrders(data.journey.orders)
        : undefined;
      if (orders) facts.orders = orders;
    }
    const patterns = name === 'analyzeCustomerPatterns' ? data : name === 'getCustomerAnalytics' && isObj(data) ? data.patterns : undefined;
    if (isObj(patterns) && facts.spend === undefined) {
      const spend = num(patterns.total_spent);
      if (spend !== null) facts.spend = spend;
      const count = num(patterns.order_count);
      if (count !== null) facts.orderCount = count;
      if (typeof patterns.high_value === 'boolean') facts.highValue = patterns.high_value;
    }
    if (name === 'handleLoyaltyUpgrade' && isObj(data)) {
      if (facts.spend === undefined && num(data.lifetime_spend) !== null) facts.spend = num(data.lifetime_spend)!;
      if (!facts.tier && str(data.tier)) facts.tier = str(data.tier)!;
    }
    if (name === 'getCustomerAnalytics' && isObj(data) && !facts.tier && str(data.loyalty_tier)) facts.tier = str(data.loyalty_tier)!;
  }
  return { ...facts, customer_id: id };
}

function summariseOrders(orders: Order[]) {
  const active = orders.filter((o) => o.status !== 'C');
  const newest = sortOrdersNewestFirst(orders)[0];
  return {
    lifetime_orders: active.length,
    lifetime_spend: round2(active.reduce((s, o) => s + (Number.isFinite(o.total) ? o.total : 0), 0)),
    open_orders: orders.filter((o) => o.status === 'P' || o.status === 'S').length,
    last_order: newest
      ? { order_id: newest.order_id, status: newest.status, status_label: newest.status_label, order_date: newest.order_date, delivery_date: newest.delivery_date, total: newest.total }
      : null,
  };
}

// ---------------------------------------------------------------------------------------------
// LOFT, cached

export interface LoftSnapshot {
  customer?: Customer;
  orders: Order[];
  at: number;
}

export interface CustomerContextCache {
  /** A fresh snapshot, a failure ('unavailable'), or undefined when LOFT has nothing to say. */
  load(loft: LoftClient, who: { customer_id: string; phone: string | null; email: string | null }): Promise<LoftSnapshot | 'unavailable'>;
  clear(): void;
}

/**
 * Per-process cache of LOFT reads by customer id: fresh for `ttlMs` (10 min); a failure is
 * remembered for `failureTtlMs` (30 s) so a LOFT outage costs one call per customer per 30 s,
 * not one per message. Concurrent loads of one customer share the call.
 */
export function createCustomerContextCache(opts: { ttlMs?: number; failureTtlMs?: number; max?: number } = {}): CustomerContextCache {
  const ttl = opts.ttlMs ?? 10 * 60_000;
  const failureTtl = opts.failureTtlMs ?? 30_000;
  const max = opts.max ?? 2_000;
  const entries = new Map<string, { at: number; value: LoftSnapshot | 'unavailable' }>();
  const inflight = new Map<string, Promise<LoftSnapshot | 'unavailable'>>();
  return {
    clear: () => entries.clear(),
    async load(loft, who) {
      const key = who.customer_id;
      const hit = entries.get(key);
      const now = Date.now();
      if (hit && now - hit.at < (hit.value === 'unavailable' ? failureTtl : ttl)) return hit.value;
      const running = inflight.get(key);
      if (running) return running;
      const p = (async (): Promise<LoftSnapshot | 'unavailable'> => {
        const [orders, record] = await Promise.all([
          loft.getOrdersByCustomer(who.customer_id),
          who.phone ? loft.getCustomerByPhone(who.phone) : who.email ? loft.getCustomerByEmail(who.email) : Promise.resolve(undefined),
        ]);
        if (!orders.ok && orders.error !== 'not_found') return 'unavailable';
        if (record && !record.ok && record.error !== 'not_found') return 'unavailable';
        const customer = record?.ok && record.value.customer_id === who.customer_id ? record.value : undefined;
        return { customer, orders: orders.ok ? orders.value : [], at: Date.now() };
      })().catch((): 'unavailable' => 'unavailable');
      inflight.set(key, p);
      try {
        const value = await p;
        entries.delete(key);
        entries.set(key, { at: Date.now(), value });
        if (entries.size > max) entries.delete(entries.keys().next().value!);
        return value;
      } finally {
        inflight.delete(key);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The builder

export interface BuildContextInput {
  conversation: ConversationIdentity;
  /** function-result rows of the conversation, newest first */
  toolRows: readonly ToolRow[];
  /** the context stored by the previous enrichment, if any */
  previous: unknown;
  loft?: LoftClient | null;
  cache?: CustomerContextCache;
}

export function emptyContext(): CustomerContext {
  return {
    v: 1,
    identity: 'unknown',
    customer_id: null,
    name: null,
    phone: null,
    email: null,
    city: null,
    state: null,
    lifetime_orders: null,
    lifetime_spend: null,
    high_value: false,
    loyalty_tier: null,
    last_order: null,
    open_orders: null,
    sources: [],
    loft_checked_at: null,
    stale: false,
  };
}

/** The previous context as stored (any shape; unknown keys dropped). */
export function readStoredContext(x: unknown): CustomerContext | null {
  if (!isObj(x) || x.v !== 1) return null;
  const base = emptyContext();
  for (const k of Object.keys(base) as (keyof CustomerContext)[]) {
    if (k in x) (base as unknown as Record<string, unknown>)[k] = x[k];
  }
  if (!Array.isArray(base.sources)) base.sources = [];
  return base;
}

const sameCustomer = (a: CustomerContext | null, id: string | null) => a !== null && a.customer_id !== null && a.customer_id === id;

/**
 * The customer context of a conversation. Calls LOFT (outside any transaction!) only when the
 * customer is identified and a client is given. Never throws for LOFT trouble.
 */
export async function buildCustomerContext(input: BuildContextInput): Promise<CustomerContext> {
  const c = input.conversation;
  const verifiedId = c.customer_verified && c.customer_id ? c.customer_id : null;
  const facts = factsFromToolRows(input.toolRows, verifiedId ?? c.customer_id ?? null);
  const id = verifiedId ?? facts.customer_id ?? c.customer_id ?? null;
  const previousRaw = readStoredContext(input.previous);
  const previous = sameCustomer(previousRaw, id) ? previousRaw : null;

  const ctx = emptyContext();
  ctx.identity = verifiedId ? 'verified' : id ? 'claimed' : 'unknown';
  ctx.customer_id = id;
  const sources = new Set<string>();

  // Identity and contact: the conversation's own (verified) fields, then function results.
  const rec = facts.customer;
  ctx.name = (verifiedId ? c.customer_name : null) ?? (rec?.name || null) ?? c.customer_name ?? previous?.name ?? null;
  ctx.phone = (verifiedId ? c.customer_phone : null) ?? (rec?.phone || null) ?? c.customer_phone ?? previous?.phone ?? null;
  ctx.email = (verifiedId ? c.customer_email : null) ?? (rec?.email || null) ?? c.customer_email ?? previous?.email ?? null;
  ctx.city = rec?.address.city || previous?.city || null;
  ctx.state = rec?.address.state || previous?.state || null;
  if (rec || facts.orders || facts.spend !== undefined) sources.add('conversation');

  // Orders and spend from function results.
  if (facts.orders) Object.assign(ctx, summariseOrders(facts.orders));
  else if (facts.spend !== undefined) {
    ctx.lifetime_spend = round2(facts.spend);
    ctx.lifetime_orders = facts.orderCount ?? null;
  }
  if (ctx.lifetime_spend === null && previous) {
    ctx.lifetime_spend = previous.lifetime_spend;
    ctx.lifetime_orders = previous.lifetime_orders;
    ctx.last_order = previous.last_order;
    ctx.open_orders = previous.open_orders;
    if (previous.lifetime_spend !== null) sources.add('previous');
  }
  ctx.loyalty_tier = facts.tier ?? null;

  // LOFT, the freshest word, when the customer is identified. Without a LOFT client (a bulk run
  // with --no-loft) what LOFT said last time is kept.
  if (id && !input.loft && previous?.loft_checked_at) keepLoftFacts(ctx, previous, sources);
  if (id && input.loft) {
    const cache = input.cache ?? defaultCache;
    const phone = ctx.phone ? normalizePhone(ctx.phone) ?? ctx.phone : null;
    const snap = await cache.load(input.loft, { customer_id: id, phone, email: ctx.email ? normalizeEmail(ctx.email) : null });
    if (snap === 'unavailable') {
      // Keep the last known facts (what LOFT said before wins over older function results).
      ctx.stale = true;
      if (previous?.loft_checked_at) keepLoftFacts(ctx, previous, sources);
    } else {
      sources.delete('previous');
      sources.add('loft');
      ctx.loft_checked_at = new Date(snap.at).toISOString();
      Object.assign(ctx, summariseOrders(snap.orders));
      if (snap.customer) {
        const r = snap.customer;
        if (!verifiedId || !c.customer_name) ctx.name = r.name || ctx.name;
        ctx.phone = ctx.phone ?? (r.phone || null);
        ctx.email = ctx.email ?? (r.email || null);
        ctx.city = r.address.city || ctx.city;
        ctx.state = r.address.state || ctx.state;
      }
    }
  }

  if (ctx.lifetime_spend !== null) {
    ctx.high_value = ctx.lifetime_spend > highValueThreshold;
    if (!ctx.loyalty_tier || sources.has('loft')) ctx.loyalty_tier = loyaltyTierFor(ctx.lifetime_spend);
  } else if (facts.highValue) ctx.high_value = true;
  ctx.sources = [...sources];
  return ctx;
}

const defaultCache = createCustomerContextCache();

function keepLoftFacts(ctx: CustomerContext, previous: CustomerContext, sources: Set<string>): void {
  ctx.lifetime_orders = previous.lifetime_orders;
  ctx.lifetime_spend = previous.lifetime_spend;
  ctx.last_order = previous.last_order;
  ctx.open_orders = previous.open_orders;
  ctx.city = previous.city ?? ctx.city;
  ctx.state = previous.state ?? ctx.state;
  ctx.name = ctx.name ?? previous.name;
  ctx.loft_checked_at = previous.loft_checked_at;
  sources.delete('previous');
  for (const s of previous.sources) sources.add(s);
}
