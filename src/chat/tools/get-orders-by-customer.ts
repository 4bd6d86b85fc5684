import { tool } from 'ai';
import { z } from 'zod';
import { checkCustomerAccess } from './access.ts';
import { loadOrders } from './loft-data.ts';
import { ok } from './results.ts';
import { loftId } from './schemas.ts';
import type { CustomerIdInput, OrderListData, ToolContext, ToolResult } from './types.ts';

export const getOrdersByCustomerInput = z.object({
  customer_id: loftId('The LOFT customer_id from getCustomerByPhone / getCustomerByEmail.'),
}) satisfies z.ZodType<CustomerIdInput>;

export const getOrdersByCustomerDescription =
  "List a customer's orders, newest first: order_id, status (Finalized, Pending, Cancelled, Shipped / scheduled), order date, delivery date and total. Use when the customer asks about their orders, a delivery or a purchase. Needs the customer_id from a customer look-up. An empty list means no orders on file. Only for the verified account owner or staff.";

export async function getOrdersByCustomer(ctx: ToolContext, input: CustomerIdInput): Promise<ToolResult<OrderListData>> {
  const access = await checkCustomerAccess(ctx, input.customer_id);
  if (!access.ok) return access;
  const orders = await loadOrders(ctx, input.customer_id);
  if (!orders.ok) return orders;
  return ok({ customer_id: input.customer_id, orders: orders.data });
}

export const createGetOrdersByCustomerTool = (ctx: ToolContext) =>
  tool({
    description: getOrdersByCustomerDescription,
    inputSchema: getOrdersByCustomerInput,
    execute: (input) => getOrdersByCustomer(ctx, input),
  });
