// Turning LOFT's loosely typed entries (strings everywhere, several date and money shapes) into
// our typed records. Shared by the HTTP client and the in-memory client, so both read LOFT
// data the same way. A malformed entry yields undefined; callers decide what that means.
import { normalizeEmail, normalizePhone } from '../shared/phone.ts';
import {
  orderStatusLabels,
  type Customer,
  type LoftCustomerEntry,
  type LoftOrderEntry,
  type LoftOrderLineEntry,
  type Order,
  type OrderDetails,
  type OrderLine,
  type OrderStatusCode,
} from './types.ts';

export const round2 = (n: number): number => Math.round((n + Number.EPSILON) * 100) / 100;

/** "1,299.99", "$1299.99", " 12.5 ", 1299.99 → a number; anything else → undefined. */
export function parseMoney(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? round2(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const cleaned = value.replace(/[\s$,]/g, '');
  // Number('') is 0 and Number('0x10') is 16: only plain decimals count.
  if (!/^-?\d+(\.\d+)?$/.test(cleaned) && !/^-?\.\d+$/.test(cleaned)) return undefined;
  return round2(Number(cleaned));
}

/** "2", "2.00", 2 → 2 (same rules as money: LOFT sends quantities as decimal strings). */
export const parseQuantity = parseMoney;

const usDate = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const isoDate = /^(\d{4})-(\d{2})-(\d{2})(?:[T\s].*)?$/;

/**
 * LOFT dates as YYYY-MM-DD. Accepts 2025-03-04, 2025-03-04T10:00:00, 03/04/2025.
 * Empty, null and zero dates → null; an unreadable date → undefined.
 */
export function parseLoftDate(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  if (s === '' || /^0{4}-0{2}-0{2}/.test(s)) return null;
  let y: number;
  let m: number;
  let d: number;
  const iso = isoDate.exec(s);
  const us = usDate.exec(s);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (us) [y, m, d] = [Number(us[3]), Number(us[1]), Number(us[2])];
  else return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

const statusWords: Record<string, OrderStatusCode> = {
  finalized: 'F',
  final: 'F',
  complete: 'F',
  completed: 'F',
  delivered: 'F',
  pending: 'P',
  open: 'P',
  cancelled: 'C',
  canceled: 'C',
  shipped: 'S',
  scheduled: 'S',
};

export function parseOrderStatus(value: unknown): { code: OrderStatusCode; label: string } {
  const s = String(value ?? '').trim();
  const upper = s.toUpperCase();
  if (upper === 'F' || upper === 'P' || upper === 'C' || upper === 'S') {
    return { code: upper, label: orderStatusLabels[upper] };
  }
  const word = statusWords[s.toLowerCase()];
  if (word) return { code: word, label: orderStatusLabels[word] };
  // An undocumented code: keep the order visible, but say what LOFT actually sent.
  return { code: 'P', label: s ? `Pending (LOFT status "${s}")` : orderStatusLabels.P };
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v).trim());

export function toCustomer(entry: Partial<LoftCustomerEntry> | null | undefined): Customer | undefined {
  if (!entry || typeof entry !== 'object') return undefined;
  const customerId = text(entry.customerid);
  if (!customerId) return undefined;
  const first = text(entry.firstname);
  const last = text(entry.lastname);
  const rawPhone = text(entry.phonenumber);
  return {
    customer_id: customerId,
    first_name: first,
    last_name: last,
    name: [first, last].filter(Boolean).join(' '),
    email: normalizeEmail(text(entry.email)),
    // LOFT keeps the display form; we key on E.164 (an unreadable number is kept as sent).
    phone: normalizePhone(rawPhone) ?? rawPhone,
    address: {
      line1: text(entry.address1),
      city: text(entry.city),
      state: text(entry.state),
      zipcode: text(entry.zipcode),
    },
  };
}

export function toOrder(entry: Partial<LoftOrderEntry> | null | undefined): Order | undefined {
  if (!entry || typeof entry !== 'object') return undefined;
  const orderId = text(entry.orderid);
  const orderDate = parseLoftDate(entry.orderdate);
  const deliveryDate = parseLoftDate(entry.deliverydate);
  const total = parseMoney(entry.ordertotal);
  if (!orderId || !orderDate || total === undefined) return undefined;
  const status = parseOrderStatus(entry.status);
  return {
    order_id: orderId,
    status: status.code,
    status_label: status.label,
    order_date: orderDate,
    // An unreadable delivery date is not worth losing the order over.
    delivery_date: deliveryDate ?? null,
    total,
  };
}

/** Newest first; equal dates by order id descending (later ids are newer in LOFT). */
export function sortOrdersNewestFirst(orders: Order[]): Order[] {
  return [...orders].sort(
    (a, b) => b.order_date.localeCompare(a.order_date) || b.order_id.localeCompare(a.order_id, 'en', { numeric: true }),
  );
}

/** Warranty add-ons: LOFT records them as lines whose description says BENEFIT PLAN. */
export function isBenefitPlan(description: string): boolean {
  return /benefit\s*plan/i.test(description);
}

export function toOrderLine(entry: Partial<LoftOrderLineEntry> | null | undefined): OrderLine | undefined {
  if (!entry || typeof entry !== 'object') return undefined;
  const description = text(entry.description);
  const quantity = parseQuantity(entry.qtyordered);
  const unitPrice = parseMoney(entry.itemprice);
  if (quantity === undefined || unitPrice === undefined || (!description && !text(entry.productid))) return undefined;
  return {
    product_id: text(entry.productid),
    description,
    quantity,
    unit_price: unitPrice,
    line_total: round2(quantity * unitPrice),
    is_benefit_plan: isBenefitPlan(description),
  };
}

export function toOrderDetails(orderId: string, lines: OrderLine[]): OrderDetails {
  let items = 0;
  let plans = 0;
  for (const line of lines) {
    if (line.is_benefit_plan) plans += line.line_total;
    else items += line.line_total;
  }
  return { order_id: orderId, lines, items_total: round2(items), benefit_plan_total: round2(plans) };
}
