// The components room's door: typed tool results → {type, data, html}, where html is built from
// the data with every value escaped and then sanitised. Never built from the model's prose.
import {
  componentTypeByTool,
  type Component,
  type ComponentType,
  type ToolDataMap,
  type ToolName,
  type ToolResult,
} from '../chat/tools/types.ts';
import { renderCrossSell } from './cross-sell.ts';
import { renderCustomerAnalytics } from './customer-analytics.ts';
import { renderCustomerCard } from './customer-card.ts';
import { renderCustomerJourney } from './customer-journey.ts';
import { html, type SafeHtml } from './html.ts';
import { renderLoyaltyStatus } from './loyalty-status.ts';
import { renderOrderDetails } from './order-details.ts';
import { renderOrderList } from './order-list.ts';
import { renderProductCarousel } from './product-carousel.ts';
import { renderPurchasePatterns } from './purchase-patterns.ts';
import { sanitizeComponentHtml } from './sanitize.ts';
import { renderStoreDirections } from './store-directions.ts';
import { renderSupportConnection } from './support-connection.ts';
import { renderSupportTicket } from './support-ticket.ts';

/** One renderer per tool (tools sharing a component type share its renderer). */
const renderers: { [N in ToolName]: (data: ToolDataMap[N]) => SafeHtml } = {
  getCustomerByPhone: renderCustomerCard,
  getCustomerByEmail: renderCustomerCard,
  getOrdersByCustomer: renderOrderList,
  getDetailsByOrder: renderOrderDetails,
  analyzeCustomerPatterns: renderPurchasePatterns,
  getProductRecommendations: renderProductCarousel,
  handleOrderConfirmationAndCrossSell: renderCrossSell,
  handleSupportEscalation: renderSupportTicket,
  handleLoyaltyUpgrade: renderLoyaltyStatus,
  handleProductRecommendations: renderProductCarousel,
  getCustomerJourney: renderCustomerJourney,
  getCustomerAnalytics: renderCustomerAnalytics,
  connectToSupport: renderSupportConnection,
  showDirections: renderStoreDirections,
};

/**
 * The component for a tool's ok result. Data that does not have the expected shape (an old
 * stored row, say) renders a small notice instead of throwing.
 */
export function renderComponent<N extends ToolName>(tool: N, data: ToolDataMap[N]): Component<ToolDataMap[N]> {
  const type: ComponentType = componentTypeByTool[tool];
  let markup: string;
  try {
    markup = renderers[tool](data).html;
  } catch {
    markup = html`<section class="wo-card wo-component-error" data-component="${type}"><p class="wo-empty">This information can't be shown here.</p></section>`.html;
  }
  return { type, data, html: sanitizeComponentHtml(markup) };
}

/** The component for a ToolResult, or null for a failure (the model explains those in words). */
export function renderToolResult<N extends ToolName>(tool: N, result: ToolResult<ToolDataMap[N]>): Component<ToolDataMap[N]> | null {
  return result.ok ? renderComponent(tool, result.data) : null;
}

export { sanitizeHtml, sanitizeComponentHtml } from './sanitize.ts';
export { escapeHtml } from './html.ts';
export { formatMoney, formatDate } from './format.ts';
export type { Component, ComponentType } from '../chat/tools/types.ts';
