import { tool } from 'ai';
import { z } from 'zod';
import { checkCustomerAccess } from './access.ts';
import { computePurchasePatterns } from './insights.ts';
import { loadCustomerOrdersWithDetails } from './loft-data.ts';
import { ok } from './results.ts';
import { loftId } from './schemas.ts';
import type { CustomerIdInput, PurchasePatternsData, ToolContext, ToolResult } from './types.ts';

export const analyzeCustomerPatternsInput = z.object({
  customer_id: loftId('The LOFT customer_id from a customer look-up.'),
}) satisfies z.ZodType<CustomerIdInput>;

export const analyzeCustomerPatternsDescription =
  "Summarise a customer's buying: total spent and order count (cancelled orders excluded), average order, first and last order dates, spend and items per product category, benefit plans bought, and high_value (lifetime spend over $1,500). Use for questions like \"what have I bought from you\" or before tailoring advice. Only for the verified account owner or staff.";

export async function analyzeCustomerPatterns(ctx: ToolContext, input: CustomerIdInput): Promise<ToolResult<PurchasePatternsData>> {
  const access = await checkCustomerAccess(ctx, input.customer_id);
  if (!access.ok) return access;
  const history = await loadCustomerOrdersWithDetails(ctx, input.customer_id);
  if (!history.ok) return history;
  return ok(await computePurchasePatterns(ctx.catalog, history.data));
}

export const createAnalyzeCustomerPatternsTool = (ctx: ToolContext) =>
  tool({
    description: analyzeCustomerPatternsDescription,
    inputSchema: analyzeCustomerPatternsInput,
    execute: (input) => analyzeCustomerPatterns(ctx, input),
  });
