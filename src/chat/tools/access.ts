// Personal data only for verified identities. A staff caller (API key) sees everything; a customer
// verified by the host site's identity token sees only their own records; anyone else gets
// verification_required, phrased so it never reveals whether a customer or order exists.
import type { Customer, Order } from '../../loft/index.ts';
import { normalizeEmail, normalizePhone } from '../../shared/phone.ts';
import { findCustomerByEmail, findCustomerByPhone, loadOrders } from './loft-data.ts';
import { failure, ok, type ToolFailure } from './results.ts';
import type { ToolContext, ToolResult } from './types.ts';

export const verificationMessage =
  "For your privacy I can only share account and order details once you're verified. Please sign in on woodstockoutlet.com so the chat can verify you, or call your showroom and they'll be glad to help.";

export const verificationRequired = (): ToolFailure => failure('verification_required', verificationMessage);

const samePhone = (a: string | undefined, b: string | undefined) => {
  const na = a ? normalizePhone(a) : undefined;
  return na !== undefined && na === (b ? normalizePhone(b) : undefined);
};
const sameEmail = (a: string | undefined, b: string | undefined) =>
  !!a && !!b && normalizeEmail(a) === normalizeEmail(b);

/** Whether the caller may see this customer record (checked on the record LOFT returned). */
export function canSeeCustomer(ctx: ToolContext, customer: Customer): boolean {
  if (ctx.access.staff) return true;
  const v = ctx.access.verified;
  if (!v) return false;
  return (
    (!!v.customer_id && v.customer_id === customer.customer_id) ||
    samePhone(v.phone, customer.phone) ||
    sameEmail(v.email, customer.email)
  );
}

/** Whether the caller is asking about their own verified phone/email (so "not found" may be said). */
export function isOwnContact(ctx: ToolContext, contact: { phone?: string; email?: string }): boolean {
  const v = ctx.access.verified;
  if (!v) return false;
  return samePhone(v.phone, contact.phone) || sameEmail(v.email, contact.email);
}

const resolved = new WeakMap<ToolContext, Promise<ToolResult<string | undefined>>>();

/**
 * The verified visitor's LOFT customer id: given by the identity token, or found by looking up
 * the verified phone/email. undefined when the visitor is not verified (or unknown to LOFT).
 */
export function verifiedCustomerId(ctx: ToolContext): Promise<ToolResult<string | undefined>> {
  let pending = resolved.get(ctx);
  if (!pending) {
    pending = resolveVerifiedCustomerId(ctx);
    resolved.set(ctx, pending);
    // A LOFT outage must not stick to the context for the rest of the turn.
    void pending.then((r) => {
      if (!r.ok) resolved.delete(ctx);
    });
  }
  return pending;
}

async function resolveVerifiedCustomerId(ctx: ToolContext): Promise<ToolResult<string | undefined>> {
  const v = ctx.access.verified;
  if (!v) return ok(undefined);
  if (v.customer_id) return ok(v.customer_id);
  const lookup = v.phone ? await findCustomerByPhone(ctx, v.phone) : v.email ? await findCustomerByEmail(ctx, v.email) : undefined;
  if (!lookup) return ok(undefined);
  if (lookup.ok) return ok(lookup.value.customer_id);
  return lookup.error === 'not_found' ? ok(undefined) : failure(lookup.error, lookup.message);
}

/** ok when the caller may see this customer's records. */
export async function checkCustomerAccess(ctx: ToolContext, customerId: string): Promise<ToolResult<void>> {
  if (ctx.access.staff) return ok(undefined);
  if (!ctx.access.verified) return verificationRequired();
  const own = await verifiedCustomerId(ctx);
  if (!own.ok) return own;
  return own.data !== undefined && own.data === customerId ? ok(undefined) : verificationRequired();
}

/**
 * ok when the caller may see this order: staff always (the order itself is then unknown: LOFT
 * has no lookup by order), a verified customer when it is one of their orders.
 */
export async function checkOrderAccess(
  ctx: ToolContext,
  orderId: string,
): Promise<ToolResult<{ order?: Order; customer_id?: string }>> {
  if (ctx.access.staff) return ok({});
  if (!ctx.access.verified) return verificationRequired();
  const own = await verifiedCustomerId(ctx);
  if (!own.ok) return own;
  if (own.data === undefined) return verificationRequired();
  const orders = await loadOrders(ctx, own.data);
  if (!orders.ok) return orders;
  const order = orders.data.find((o) => o.order_id === orderId);
  return order ? ok({ order, customer_id: own.data }) : verificationRequired();
}
