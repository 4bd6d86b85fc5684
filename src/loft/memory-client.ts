// An in-memory LoftClient over raw LOFT entries, read through the same parsers as the HTTP
// client. For tests, the offline demo and anything that must not touch the network.
import { normalizeEmail, normalizePhone } from '../shared/phone.ts';
import type { LoftCallName } from './http-client.ts';
import { loftMessages } from './http-client.ts';
import { sortOrdersNewestFirst, toCustomer, toOrder, toOrderDetails, toOrderLine } from './parse.ts';
import type {
  Customer,
  LoftClient,
  LoftCustomerEntry,
  LoftOrderEntry,
  LoftOrderLineEntry,
  LoftResult,
  Order,
  OrderLine,
} from './types.ts';

export interface MemoryLoftData {
  customers: LoftCustomerEntry[];
  /** orders by customer id */
  orders: Record<string, LoftOrderEntry[]>;
  /** order lines by order id */
  lines: Record<string, LoftOrderLineEntry[]>;
}

export type LoftFailureCode = 'loft_unavailable' | 'rate_limited' | 'bad_response';

export interface MemoryLoftClient extends LoftClient {
  /** every call made, in order (argument as given) */
  readonly calls: { call: LoftCallName; arg: string }[];
  /** make calls fail: all of them, or those the predicate picks */
  failWith(code: LoftFailureCode | undefined, when?: (call: LoftCallName, arg: string) => boolean): void;
}

export function createMemoryLoftClient(data: MemoryLoftData, opts: { latencyMs?: number } = {}): MemoryLoftClient {
  const calls: { call: LoftCallName; arg: string }[] = [];
  let failure: { code: LoftFailureCode; when: (call: LoftCallName, arg: string) => boolean } | undefined;

  async function enter(call: LoftCallName, arg: string): Promise<Extract<LoftResult<never>, { ok: false }> | undefined> {
    calls.push({ call, arg });
    if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
    if (failure?.when(call, arg)) return { ok: false, error: failure.code, message: loftMessages[failure.code] };
    return undefined;
  }

  function findCustomer(match: (c: Customer) => boolean, notFound: string): LoftResult<Customer> {
    const found = data.customers.map((c) => toCustomer(c)).find((c): c is Customer => c !== undefined && match(c));
    return found ? { ok: true, value: found } : { ok: false, error: 'not_found', message: notFound };
  }

  return {
    calls,
    failWith(code, when = () => true) {
      failure = code ? { code, when } : undefined;
    },
    async getCustomerByPhone(phone) {
      const failed = await enter('GetCustomerByPhone', phone);
      if (failed) return failed;
      const e164 = normalizePhone(phone);
      if (!e164) return { ok: false, error: 'not_found', message: "That doesn't look like a 10-digit US phone number." };
      return findCustomer((c) => c.phone === e164, 'No customer was found with that phone number.');
    },
    async getCustomerByEmail(email) {
      const failed = await enter('GetCustomerByEmail', email);
      if (failed) return failed;
      const wanted = normalizeEmail(email);
      return findCustomer((c) => c.email === wanted, 'No customer was found with that email address.');
    },
    async getOrdersByCustomer(customerId) {
      const failed = await enter('GetOrdersByCustomer', customerId);
      if (failed) return failed;
      const orders = (data.orders[customerId.trim()] ?? []).map((o) => toOrder(o)).filter((o): o is Order => !!o);
      if (orders.length === 0) return { ok: false, error: 'not_found', message: 'No orders were found for this customer.' };
      return { ok: true, value: sortOrdersNewestFirst(orders) };
    },
    async getDetailsByOrder(orderId) {
      const failed = await enter('GetDetailsByOrder', orderId);
      if (failed) return failed;
      const id = orderId.trim().replace(/^#/, '');
      const lines = (data.lines[id] ?? []).map((l) => toOrderLine(l)).filter((l): l is OrderLine => !!l);
      if (lines.length === 0) return { ok: false, error: 'not_found', message: `No details were found for order ${id}.` };
      return { ok: true, value: toOrderDetails(id, lines) };
    },
  };
}
