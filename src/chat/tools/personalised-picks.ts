// The shared core of both recommendation tools: a customer's purchase basis (when allowed) plus
// the explicit wishes, turned into in-stock picks.
import { checkCustomerAccess } from './access.ts';
import { computePurchasePatterns, furnitureLines } from './insights.ts';
import { loadCustomerOrdersWithDetails } from './loft-data.ts';
import { recommendProducts, type PurchaseBasis } from './recommend.ts';
import { failure, ok } from './results.ts';
import type { RecommendationInput, RecommendationsData, ToolContext, ToolResult } from './types.ts';

export async function purchaseBasis(ctx: ToolContext, customerId: string): Promise<ToolResult<PurchaseBasis>> {
  const history = await loadCustomerOrdersWithDetails(ctx, customerId);
  if (!history.ok) return history;
  const patterns = await computePurchasePatterns(ctx.catalog, history.data);
  return ok({
    categories: patterns.categories.map((c) => c.category),
    skus: new Set(furnitureLines(history.data).map((l) => l.product_id.toUpperCase()).filter(Boolean)),
  });
}

export async function personalisedPicks(
  ctx: ToolContext,
  input: RecommendationInput,
  customerId: string | undefined,
): Promise<ToolResult<RecommendationsData>> {
  let basis: PurchaseBasis | undefined;
  if (customerId) {
    const access = await checkCustomerAccess(ctx, customerId);
    if (!access.ok) return access;
    const loaded = await purchaseBasis(ctx, customerId);
    if (!loaded.ok) return loaded;
    basis = loaded.data;
  }
  const { products, reason } = await recommendProducts(ctx.catalog, {
    filters: { query: input.query, category: input.category, brand: input.brand, max_price: input.max_price },
    basis,
  });
  if (products.length === 0) {
    return failure('not_found', "I couldn't find anything in stock that matches. Could you loosen the search a little (another style, brand or budget)?");
  }
  return ok({ ...(customerId ? { customer_id: customerId } : {}), reason, products });
}
