import { tool } from 'ai';
import { z } from 'zod';
import { checkCustomerAccess } from './access.ts';
import { analyticsInsights, computeLoyalty, computePurchasePatterns } from './insights.ts';
import { assembleJourney } from './journey.ts';
import { loadCustomerOrdersWithDetails, loadCustomerRecord } from './loft-data.ts';
import { ok } from './results.ts';
import { loftId } from './schemas.ts';
import type { AnalyticsData, CustomerIdInput, ToolContext, ToolResult } from './types.ts';

export const getCustomerAnalyticsInput = z.object({
  customer_id: loftId('The LOFT customer_id from a customer look-up.'),
}) satisfies z.ZodType<CustomerIdInput>;

export const getCustomerAnalyticsDescription =
  'The full picture of one customer in one call: profile, purchase patterns (spend, categories, high value), journey timeline, loyalty tier and short insights (orders in progress, missing benefit plans, time since last order). Use when staff ask for an overview of a customer, or a customer asks for a summary of their account. Prefer this over calling the pattern, journey and loyalty tools separately. Only for the verified account owner or staff.';

export async function getCustomerAnalytics(ctx: ToolContext, input: CustomerIdInput): Promise<ToolResult<AnalyticsData>> {
  const access = await checkCustomerAccess(ctx, input.customer_id);
  if (!access.ok) return access;
  // One load serves patterns, journey and loyalty: no LOFT call is made twice.
  const [customer, history] = await Promise.all([
    loadCustomerRecord(ctx, input.customer_id),
    loadCustomerOrdersWithDetails(ctx, input.customer_id),
  ]);
  if (!customer.ok) return customer;
  if (!history.ok) return history;
  const patterns = await computePurchasePatterns(ctx.catalog, history.data);
  const journey = assembleJourney(customer.data, history.data);
  const loyalty = computeLoyalty(patterns);
  return ok({
    customer: customer.data,
    patterns,
    journey,
    loyalty_tier: loyalty.tier,
    insights: analyticsInsights({ patterns, loyalty, orders: history.data.orders, recentDetails: journey.recent_order_details }),
  });
}

export const createGetCustomerAnalyticsTool = (ctx: ToolContext) =>
  tool({
    description: getCustomerAnalyticsDescription,
    inputSchema: getCustomerAnalyticsInput,
    execute: (input) => getCustomerAnalytics(ctx, input),
  });
