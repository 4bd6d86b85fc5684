import { tool } from 'ai';
import { z } from 'zod';
import { categoryLabel } from '../../loft/index.ts';
import { checkCustomerAccess } from './access.ts';
import { categorizeLines } from './insights.ts';
import { loadOrderDetails, loadOrders } from './loft-data.ts';
import { complementaryCategories, productsFromCategories } from './recommend.ts';
import { failure, listWords, ok, readableDate } from './results.ts';
import { loftId, optionalLoftId } from './schemas.ts';
import type { CrossSellData, CrossSellInput, ToolContext, ToolResult } from './types.ts';

export const handleOrderConfirmationAndCrossSellInput = z.object({
  customer_id: loftId('The LOFT customer_id from a customer look-up.'),
  order_id: optionalLoftId("Optional order number to confirm; leave empty for the customer's most recent active order."),
}) satisfies z.ZodType<CrossSellInput>;

export const handleOrderConfirmationAndCrossSellDescription =
  "Confirm the status of a customer's order (the given one, or their most recent non-cancelled order) with its items and delivery date, and suggest 3 in-stock products that go with it. Use when a customer asks \"is my order confirmed?\", \"when is my delivery?\" or right after discussing an order. Only for the verified account owner or staff.";

const suggestionCount = 3;

export async function handleOrderConfirmationAndCrossSell(ctx: ToolContext, input: CrossSellInput): Promise<ToolResult<CrossSellData>> {
  const access = await checkCustomerAccess(ctx, input.customer_id);
  if (!access.ok) return access;
  const orders = await loadOrders(ctx, input.customer_id);
  if (!orders.ok) return orders;
  const order = input.order_id
    ? orders.data.find((o) => o.order_id === input.order_id)
    : orders.data.find((o) => o.status !== 'C');
  if (!order) {
    return failure(
      'not_found',
      input.order_id ? `Order #${input.order_id} isn't on this customer's account.` : 'There is no active order on this account to confirm.',
    );
  }
  const details = await loadOrderDetails(ctx, order.order_id);
  if (!details.ok) return details;
  const furniture = details.data.lines.filter((l) => !l.is_benefit_plan);
  const bought = [...new Set((await categorizeLines(ctx.catalog, furniture)).filter((c) => c !== 'other'))];
  const complements = await complementaryCategories(ctx.catalog, bought);
  const suggestions = await productsFromCategories(ctx.catalog, complements.slice(0, 3), {
    exclude: new Set(furniture.map((l) => l.product_id.toUpperCase())),
    limit: suggestionCount,
  });

  const status =
    order.status === 'C'
      ? 'was cancelled'
      : `is ${order.status_label.toLowerCase()}${order.delivery_date ? `, with delivery on ${readableDate(order.delivery_date)}` : ''}`;
  const pairing = suggestions.length
    ? ` To go with it: ${listWords([...new Set(suggestions.map((p) => categoryLabel(p.category)))])}.`
    : '';
  return ok({
    customer_id: input.customer_id,
    order,
    order_lines: details.data.lines,
    suggestions,
    message: `Order #${order.order_id} from ${readableDate(order.order_date)} ${status}.${pairing}`,
  });
}

export const createHandleOrderConfirmationAndCrossSellTool = (ctx: ToolContext) =>
  tool({
    description: handleOrderConfirmationAndCrossSellDescription,
    inputSchema: handleOrderConfirmationAndCrossSellInput,
    execute: (input) => handleOrderConfirmationAndCrossSell(ctx, input),
  });
