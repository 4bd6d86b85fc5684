// The chat/tools room's door: the 14 customer functions as AI SDK tools (keys are the legacy
// camelCase names stored in executed_function_name) and a direct way to run one by name.
import type { Tool } from 'ai';
import type { z } from 'zod';
import { analyzeCustomerPatterns, analyzeCustomerPatternsDescription, analyzeCustomerPatternsInput, createAnalyzeCustomerPatternsTool } from './analyze-customer-patterns.ts';
import { connectToSupport, connectToSupportDescription, connectToSupportInput, createConnectToSupportTool } from './connect-to-support.ts';
import { createGetCustomerAnalyticsTool, getCustomerAnalytics, getCustomerAnalyticsDescription, getCustomerAnalyticsInput } from './get-customer-analytics.ts';
import { createGetCustomerByEmailTool, getCustomerByEmail, getCustomerByEmailDescription, getCustomerByEmailInput } from './get-customer-by-email.ts';
import { createGetCustomerByPhoneTool, getCustomerByPhone, getCustomerByPhoneDescription, getCustomerByPhoneInput } from './get-customer-by-phone.ts';
import { createGetCustomerJourneyTool, getCustomerJourney, getCustomerJourneyDescription, getCustomerJourneyInput } from './get-customer-journey.ts';
import { createGetDetailsByOrderTool, getDetailsByOrder, getDetailsByOrderDescription, getDetailsByOrderInput } from './get-details-by-order.ts';
import { createGetOrdersByCustomerTool, getOrdersByCustomer, getOrdersByCustomerDescription, getOrdersByCustomerInput } from './get-orders-by-customer.ts';
import { createGetProductRecommendationsTool, getProductRecommendations, getProductRecommendationsDescription, getProductRecommendationsInput } from './get-product-recommendations.ts';
import { createHandleLoyaltyUpgradeTool, handleLoyaltyUpgrade, handleLoyaltyUpgradeDescription, handleLoyaltyUpgradeInput } from './handle-loyalty-upgrade.ts';
import { createHandleOrderConfirmationAndCrossSellTool, handleOrderConfirmationAndCrossSell, handleOrderConfirmationAndCrossSellDescription, handleOrderConfirmationAndCrossSellInput } from './handle-order-confirmation-and-cross-sell.ts';
import { createHandleProductRecommendationsTool, handleProductRecommendations, handleProductRecommendationsDescription, handleProductRecommendationsInput } from './handle-product-recommendations.ts';
import { createHandleSupportEscalationTool, handleSupportEscalation, handleSupportEscalationDescription, handleSupportEscalationInput } from './handle-support-escalation.ts';
import { failure } from './results.ts';
import { createShowDirectionsTool, showDirections, showDirectionsDescription, showDirectionsInput } from './show-directions.ts';
import { toolNames, type ToolContext, type ToolDataMap, type ToolName, type ToolResult } from './types.ts';

export interface CustomerToolDefinition<N extends ToolName = ToolName> {
  name: N;
  description: string;
  inputSchema: z.ZodType;
  run(ctx: ToolContext, input: never): Promise<ToolResult<ToolDataMap[N]>>;
  create(ctx: ToolContext): Tool;
}

const def = <N extends ToolName, S extends z.ZodType>(
  name: N,
  description: string,
  inputSchema: S,
  run: (ctx: ToolContext, input: z.output<S>) => Promise<ToolResult<ToolDataMap[N]>>,
  create: (ctx: ToolContext) => Tool,
): CustomerToolDefinition<N> => ({ name, description, inputSchema, run: run as CustomerToolDefinition<N>['run'], create });

/** Every customer function: name, description, zod input schema, the typed function and its AI SDK tool. */
export const customerToolDefinitions: { [N in ToolName]: CustomerToolDefinition<N> } = {
  getCustomerByPhone: def('getCustomerByPhone', getCustomerByPhoneDescription, getCustomerByPhoneInput, getCustomerByPhone, createGetCustomerByPhoneTool),
  getCustomerByEmail: def('getCustomerByEmail', getCustomerByEmailDescription, getCustomerByEmailInput, getCustomerByEmail, createGetCustomerByEmailTool),
  getOrdersByCustomer: def('getOrdersByCustomer', getOrdersByCustomerDescription, getOrdersByCustomerInput, getOrdersByCustomer, createGetOrdersByCustomerTool),
  getDetailsByOrder: def('getDetailsByOrder', getDetailsByOrderDescription, getDetailsByOrderInput, getDetailsByOrder, createGetDetailsByOrderTool),
  analyzeCustomerPatterns: def('analyzeCustomerPatterns', analyzeCustomerPatternsDescription, analyzeCustomerPatternsInput, analyzeCustomerPatterns, createAnalyzeCustomerPatternsTool),
  getProductRecommendations: def('getProductRecommendations', getProductRecommendationsDescription, getProductRecommendationsInput, getProductRecommendations, createGetProductRecommendationsTool),
  handleOrderConfirmationAndCrossSell: def('handleOrderConfirmationAndCrossSell', handleOrderConfirmationAndCrossSellDescription, handleOrderConfirmationAndCrossSellInput, handleOrderConfirmationAndCrossSell, createHandleOrderConfirmationAndCrossSellTool),
  handleSupportEscalation: def('handleSupportEscalation', handleSupportEscalationDescription, handleSupportEscalationInput, handleSupportEscalation, createHandleSupportEscalationTool),
  handleLoyaltyUpgrade: def('handleLoyaltyUpgrade', handleLoyaltyUpgradeDescription, handleLoyaltyUpgradeInput, handleLoyaltyUpgrade, createHandleLoyaltyUpgradeTool),
  handleProductRecommendations: def('handleProductRecommendations', handleProductRecommendationsDescription, handleProductRecommendationsInput, handleProductRecommendations, createHandleProductRecommendationsTool),
  getCustomerJourney: def('getCustomerJourney', getCustomerJourneyDescription, getCustomerJourneyInput, getCustomerJourney, createGetCustomerJourneyTool),
  getCustomerAnalytics: def('getCustomerAnalytics', getCustomerAnalyticsDescription, getCustomerAnalyticsInput, getCustomerAnalytics, createGetCustomerAnalyticsTool),
  connectToSupport: def('connectToSupport', connectToSupportDescription, connectToSupportInput, connectToSupport, createConnectToSupportTool),
  showDirections: def('showDirections', showDirectionsDescription, showDirectionsInput, showDirections, createShowDirectionsTool),
};

/** The 14 tools for streamText/generateText, bound to one turn's context. */
export function createCustomerTools(ctx: ToolContext): Record<ToolName, Tool> {
  return Object.fromEntries(toolNames.map((name) => [name, customerToolDefinitions[name].create(ctx)])) as Record<ToolName, Tool>;
}

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(customerToolDefinitions, name);
}

/**
 * Runs one function by its legacy name with untrusted input (validated like the model's): for the
 * offline model, the CLI and tests. Bad input is an invalid_input result, never a throw.
 */
export async function executeTool<N extends ToolName>(name: N, input: unknown, ctx: ToolContext): Promise<ToolResult<ToolDataMap[N]>> {
  const definition = customerToolDefinitions[name] as CustomerToolDefinition<N> | undefined;
  if (!definition) return failure('invalid_input', `Unknown function "${String(name)}".`);
  const parsed = definition.inputSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    return failure('invalid_input', `The input for ${name} is not valid (${detail}).`);
  }
  return definition.run(ctx, parsed.data as never);
}

export { verificationMessage } from './access.ts';
export { loyaltyTiers, loyaltyTierFor, highValueThreshold } from './insights.ts';
export { inferCategory as inferEscalationCategory, inferPriority as inferEscalationPriority } from './support.ts';
export type * from './types.ts';
export { toolNames, componentTypeByTool, customerDataTools } from './types.ts';
