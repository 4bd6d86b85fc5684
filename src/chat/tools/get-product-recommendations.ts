import { tool } from 'ai';
import { z } from 'zod';
import { personalisedPicks } from './personalised-picks.ts';
import { optionalLoftId, optionalPrice, optionalText } from './schemas.ts';
import type { RecommendationInput, RecommendationsData, ToolContext, ToolResult } from './types.ts';

export const getProductRecommendationsInput = z.object({
  customer_id: optionalLoftId('Optional LOFT customer_id of a verified customer, to leave out what they already own and use their history when nothing else is asked.'),
  query: optionalText(200, 'What the shopper is looking for in their words, e.g. "grey sectional", "king bed", "firm mattress".'),
  category: optionalText(60, 'Optional category: sofas, sectionals, recliners, chairs, coffee tables, TV stands, beds, mattresses, dressers, nightstands, dining tables, dining chairs, desks, rugs, lamps, outdoor.'),
  brand: optionalText(100, 'Optional brand, e.g. "La-Z-Boy", "Tempur-Pedic".'),
  max_price: optionalPrice('Optional budget: the highest price per item in US dollars.'),
}) satisfies z.ZodType<RecommendationInput>;

export const getProductRecommendationsDescription =
  'Search the product catalog and suggest in-stock products (shown to the shopper as a product carousel with image, price and stock). Use whenever someone asks for furniture or mattresses, by description, category, brand or budget; no account needed. With only a verified customer_id it suggests items that go with what they bought. Returns products and a one-sentence reason; describe a few, do not list every field.';

export async function getProductRecommendations(ctx: ToolContext, input: RecommendationInput): Promise<ToolResult<RecommendationsData>> {
  return personalisedPicks(ctx, input, input.customer_id);
}

export const createGetProductRecommendationsTool = (ctx: ToolContext) =>
  tool({
    description: getProductRecommendationsDescription,
    inputSchema: getProductRecommendationsInput,
    execute: (input) => getProductRecommendations(ctx, input),
  });
