import { tool } from 'ai';
import { z } from 'zod';
import { checkOrderAccess, verificationRequired } from './access.ts';
import { loadOrderDetails } from './loft-data.ts';
import { failure, ok } from './results.ts';
import { loftId } from './schemas.ts';
import type { OrderDetailsData, OrderIdInput, ToolContext, ToolResult } from './types.ts';

export const getDetailsByOrderInput = z.object({
  order_id: loftId('The LOFT order number, e.g. "1042" (from getOrdersByCustomer or given by the customer).'),
}) satisfies z.ZodType<OrderIdInput>;

export const getDetailsByOrderDescription =
  "Show what is in one order: each line's product, quantity and price, with furniture and benefit plans (warranty add-ons, shown as is_benefit_plan) totalled separately. Use when the customer asks what they ordered or about an item in an order. Only for the verified owner of the order or staff.";

export async function getDetailsByOrder(ctx: ToolContext, input: OrderIdInput): Promise<ToolResult<OrderDetailsData>> {
  if (!ctx.access.staff && !ctx.access.verified) return verificationRequired();
  // Both reads start at once; the details are only returned once ownership is confirmed.
  const [access, details] = await Promise.all([checkOrderAccess(ctx, input.order_id), loadOrderDetails(ctx, input.order_id)]);
  if (!access.ok) return access;
  if (!details.ok) return details;
  if (details.data.lines.length === 0) return failure('not_found', `I couldn't find any items for order #${input.order_id}.`);
  return ok(access.data.order ? { ...details.data, order: access.data.order } : details.data);
}

export const createGetDetailsByOrderTool = (ctx: ToolContext) =>
  tool({
    description: getDetailsByOrderDescription,
    inputSchema: getDetailsByOrderInput,
    execute: (input) => getDetailsByOrder(ctx, input),
  });
