import { tool } from 'ai';
import { z } from 'zod';
import { verificationRequired, verifiedCustomerId } from './access.ts';
import { personalisedPicks } from './personalised-picks.ts';
import { failure } from './results.ts';
import { optionalLoftId, optionalPrice, optionalText } from './schemas.ts';
import type { RecommendationInput, RecommendationsData, ToolContext, ToolResult } from './types.ts';

export const handleProductRecommendationsInput = z.object({
  customer_id: optionalLoftId("The LOFT customer_id. Leave empty for the verified visitor's own account."),
  query: optionalText(200, 'Optional: what they are looking for now, e.g. "something for the bedroom".'),
  category: optionalText(60, 'Optional category to narrow the picks, e.g. "rugs", "nightstands".'),
  brand: optionalText(100, 'Optional brand.'),
  max_price: optionalPrice('Optional budget: the highest price per item in US dollars.'),
}) satisfies z.ZodType<RecommendationInput>;

export const handleProductRecommendationsDescription =
  "Personalised picks for an identified customer: in-stock products that complement what they already bought (a rug for a new sofa, nightstands for a bed), never items they own, optionally narrowed by query, category, brand or budget. Use when a verified customer asks what else would suit their home. For anonymous shoppers use getProductRecommendations instead.";

export async function handleProductRecommendations(ctx: ToolContext, input: RecommendationInput): Promise<ToolResult<RecommendationsData>> {
  let customerId = input.customer_id;
  if (!customerId) {
    const own = await verifiedCustomerId(ctx);
    if (!own.ok) return own;
    customerId = own.data;
  }
  if (!customerId) {
    return ctx.access.staff
      ? failure('invalid_input', 'Personalised picks need a customer_id: look the customer up first, or use getProductRecommendations for general picks.')
      : verificationRequired();
  }
  return personalisedPicks(ctx, input, customerId);
}

export const createHandleProductRecommendationsTool = (ctx: ToolContext) =>
  tool({
    description: handleProductRecommendationsDescription,
    inputSchema: handleProductRecommendationsInput,
    execute: (input) => handleProductRecommendations(ctx, input),
  });
