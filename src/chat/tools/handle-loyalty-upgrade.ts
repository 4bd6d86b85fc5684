import { tool } from 'ai';
import { z } from 'zod';
import { checkCustomerAccess } from './access.ts';
import { computeLoyalty, computePurchasePatterns } from './insights.ts';
import { loadOrders } from './loft-data.ts';
import { ok } from './results.ts';
import { loftId } from './schemas.ts';
import type { CustomerIdInput, LoyaltyData, ToolContext, ToolResult } from './types.ts';

export const handleLoyaltyUpgradeInput = z.object({
  customer_id: loftId('The LOFT customer_id from a customer look-up.'),
}) satisfies z.ZodType<CustomerIdInput>;

export const handleLoyaltyUpgradeDescription =
  "A customer's loyalty tier from lifetime spend (cancelled orders excluded): Bronze under $1,000, Silver from $1,000, Gold from $3,000, Platinum from $7,500. Returns the tier, its benefits, the next tier and how much more spend reaches it, and upgraded=true when their spend puts them above what their number of orders alone would. Use when a customer asks about rewards, perks, status or discounts for loyal customers. Only for the verified account owner or staff.";

export async function handleLoyaltyUpgrade(ctx: ToolContext, input: CustomerIdInput): Promise<ToolResult<LoyaltyData>> {
  const access = await checkCustomerAccess(ctx, input.customer_id);
  if (!access.ok) return access;
  // Spend comes from order totals, so no order lines are needed: one LOFT call instead of many.
  const orders = await loadOrders(ctx, input.customer_id);
  if (!orders.ok) return orders;
  const patterns = await computePurchasePatterns(ctx.catalog, { customer_id: input.customer_id, orders: orders.data, details: new Map() });
  return ok(computeLoyalty(patterns));
}

export const createHandleLoyaltyUpgradeTool = (ctx: ToolContext) =>
  tool({
    description: handleLoyaltyUpgradeDescription,
    inputSchema: handleLoyaltyUpgradeInput,
    execute: (input) => handleLoyaltyUpgrade(ctx, input),
  });
