// Typed LOFT reads shared by the tools: memoised per ToolContext (one turn may ask for the same
// orders from several tools), parallel where calls are independent, never parsing text.
import type { Customer, LoftClient, LoftResult, Order, OrderDetails } from '../../loft/index.ts';
import { fromLoftFailure, ok } from './results.ts';
import type { ToolContext, ToolResult } from './types.ts';

const memoTtlMs = 30_000;
const memos = new WeakMap<ToolContext, Map<string, { at: number; value: Promise<LoftResult<unknown>> }>>();

/** One LOFT read per key and context for a short while; failures are not remembered. */
function memo<T>(ctx: ToolContext, key: string, load: () => Promise<LoftResult<T>>): Promise<LoftResult<T>> {
  let map = memos.get(ctx);
  if (!map) memos.set(ctx, (map = new Map()));
  const hit = map.get(key);
  if (hit && Date.now() - hit.at < memoTtlMs) return hit.value as Promise<LoftResult<T>>;
  const value = load();
  map.set(key, { at: Date.now(), value });
  void value.then((r) => {
    if (!r.ok && r.error !== 'not_found') map.delete(key);
  });
  return value;
}

// Customers seen through phone/email lookups, by id. LOFT has no lookup by id, so this is how a
// journey or analytics view for a customer id gets a name and contact. Kept per LOFT client.
const customerCacheTtlMs = 15 * 60_000;
const customerCacheMax = 1_000;
const customerCaches = new WeakMap<LoftClient, Map<string, { at: number; customer: Customer }>>();

export function rememberCustomer(ctx: ToolContext, customer: Customer): void {
  let cache = customerCaches.get(ctx.loft);
  if (!cache) customerCaches.set(ctx.loft, (cache = new Map()));
  cache.delete(customer.customer_id);
  cache.set(customer.customer_id, { at: Date.now(), customer });
  if (cache.size > customerCacheMax) cache.delete(cache.keys().next().value!);
}

function recalledCustomer(ctx: ToolContext, customerId: string): Customer | undefined {
  const hit = customerCaches.get(ctx.loft)?.get(customerId);
  return hit && Date.now() - hit.at < customerCacheTtlMs ? hit.customer : undefined;
}

export async function findCustomerByPhone(ctx: ToolContext, phone: string): Promise<LoftResult<Customer>> {
  const result = await memo(ctx, `phone:${phone}`, () => ctx.loft.getCustomerByPhone(phone));
  if (result.ok) rememberCustomer(ctx, result.value);
  return result;
}

export async function findCustomerByEmail(ctx: ToolContext, email: string): Promise<LoftResult<Customer>> {
  const result = await memo(ctx, `email:${email}`, () => ctx.loft.getCustomerByEmail(email));
  if (result.ok) rememberCustomer(ctx, result.value);
  return result;
}

/** A customer's orders, newest first; "none on file" is an empty list, not a failure. */
export async function loadOrders(ctx: ToolContext, customerId: string): Promise<ToolResult<Order[]>> {
  const result = await memo(ctx, `orders:${customerId}`, () => ctx.loft.getOrdersByCustomer(customerId));
  if (result.ok) return ok(result.value);
  return result.error === 'not_found' ? ok([]) : fromLoftFailure(result);
}

/** An order's lines; an order LOFT has no lines for reads as empty. */
export async function loadOrderDetails(ctx: ToolContext, orderId: string): Promise<ToolResult<OrderDetails>> {
  const result = await memo(ctx, `details:${orderId}`, () => ctx.loft.getDetailsByOrder(orderId));
  if (result.ok) return ok(result.value);
  if (result.error === 'not_found') return ok({ order_id: orderId, lines: [], items_total: 0, benefit_plan_total: 0 });
  return fromLoftFailure(result);
}

/** Details of several orders at once, a few LOFT calls in flight at a time. */
export async function loadDetailsOfOrders(ctx: ToolContext, orderIds: string[], concurrency = 6): Promise<ToolResult<Map<string, OrderDetails>>> {
  const results = await mapWithConcurrency(orderIds, concurrency, (id) => loadOrderDetails(ctx, id));
  const details = new Map<string, OrderDetails>();
  for (const r of results) {
    if (!r.ok) return r;
    details.set(r.data.order_id, r.data);
  }
  return ok(details);
}

export interface CustomerHistory {
  customer_id: string;
  /** every order, newest first (cancelled included) */
  orders: Order[];
  /** lines of the non-cancelled orders loaded, by order id */
  details: Map<string, OrderDetails>;
}

/** How many orders' lines a composite reads at most: enough for any real customer, bounded for LOFT. */
export const maxOrdersWithDetails = 25;

/**
 * The basis of every composite: a customer's orders, then the lines of their non-cancelled
 * orders (newest first, at most `maxDetails`), fetched in parallel.
 */
export async function loadCustomerOrdersWithDetails(
  ctx: ToolContext,
  customerId: string,
  opts: { maxDetails?: number } = {},
): Promise<ToolResult<CustomerHistory>> {
  const orders = await loadOrders(ctx, customerId);
  if (!orders.ok) return orders;
  const wanted = orders.data
    .filter((o) => o.status !== 'C')
    .slice(0, opts.maxDetails ?? maxOrdersWithDetails)
    .map((o) => o.order_id);
  const details = await loadDetailsOfOrders(ctx, wanted);
  if (!details.ok) return details;
  return ok({ customer_id: customerId, orders: orders.data, details: details.data });
}

/**
 * A customer record for an id (LOFT only looks customers up by phone or email): one seen
 * recently, else the verified visitor's own record, else a minimal record naming the id.
 */
export async function loadCustomerRecord(ctx: ToolContext, customerId: string): Promise<ToolResult<Customer>> {
  const recalled = recalledCustomer(ctx, customerId);
  if (recalled) return ok(recalled);
  const verified = ctx.access.verified;
  const lookups: Promise<LoftResult<Customer>>[] = [];
  if (verified?.phone) lookups.push(findCustomerByPhone(ctx, verified.phone));
  if (verified?.email) lookups.push(findCustomerByEmail(ctx, verified.email));
  for (const r of await Promise.all(lookups)) {
    if (r.ok && r.value.customer_id === customerId) return ok(r.value);
  }
  return ok({
    customer_id: customerId,
    first_name: '',
    last_name: '',
    name: `Customer ${customerId}`,
    email: '',
    phone: '',
    address: { line1: '', city: '', state: '', zipcode: '' },
  });
}

export async function mapWithConcurrency<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

