// The typed inputs and results of the 14 customer functions. The tools (one file each in this
// folder), the component renderers (src/components) and the offline model all code against these.
import type { Catalog, Customer, LoftClient, Order, OrderDetails, Product, Showroom } from '../../loft/types.ts';

/** Every tool returns this: a typed value, or an expected failure the model can explain. */
export type ToolResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      error:
        | 'not_found'
        | 'verification_required'
        | 'loft_unavailable'
        | 'rate_limited'
        | 'bad_response'
        | 'invalid_input';
      message: string;
    };

/** Who is asking: a staff caller (API key) sees everything; a customer only their own records. */
export interface Access {
  staff: boolean;
  /** set when the host site verified the visitor with an identity_token */
  verified?: { customer_id?: string; phone?: string; email?: string };
}

export interface HandoffRequest {
  kind: 'escalation' | 'connect';
  reason: string;
  summary: string;
  priority: 'urgent' | 'high' | 'normal' | 'low';
  category?: string;
  customer_id?: string;
  order_id?: string;
  contact?: { name?: string; phone?: string; email?: string };
  preferred_store?: string;
}

export interface HandoffRecord {
  ticket_id: string;
  priority: 'urgent' | 'high' | 'normal' | 'low';
  status: 'pending_human';
  created_at: string;
  /** what the assistant already did in this conversation (function names, in order) */
  steps_taken: string[];
}

export interface ToolContext {
  loft: LoftClient;
  catalog: Catalog;
  showrooms: Showroom[];
  access: Access;
  conversationId: string;
  /** Hands the conversation to the human inbox for real (handled_by=human, pending_human, event). */
  requestHandoff(request: HandoffRequest): Promise<HandoffRecord>;
}

// ---- inputs ----
export interface PhoneInput { phone: string }
export interface EmailInput { email: string }
export interface CustomerIdInput { customer_id: string }
export interface OrderIdInput { order_id: string }
export interface RecommendationInput {
  customer_id?: string;
  query?: string;
  category?: string;
  brand?: string;
  max_price?: number;
}
export interface CrossSellInput { customer_id: string; order_id?: string }
export interface EscalationInput {
  issue: string;
  customer_id?: string;
  order_id?: string;
  category?: 'damaged_item' | 'refund' | 'complaint' | 'delivery' | 'other';
  priority?: 'urgent' | 'high' | 'normal' | 'low';
}
export interface ConnectInput { name?: string; contact?: string; preferred_store?: string; reason?: string }
export interface DirectionsInput { store?: string }

// ---- results (the `data` of an ok ToolResult) ----
export type CustomerData = Customer;

export interface OrderListData {
  customer_id: string;
  orders: Order[]; // newest first
}

export type OrderDetailsData = OrderDetails & { order?: Order };

export interface PurchasePatternsData {
  customer_id: string;
  order_count: number;
  total_spent: number;
  average_order: number;
  first_order_date: string | null;
  last_order_date: string | null;
  categories: { category: string; items: number; spent: number }[];
  benefit_plans_bought: number;
  high_value: boolean; // lifetime spend over $1,500
}

export interface RecommendationsData {
  customer_id?: string;
  reason: string; // why these products, in one sentence
  products: Product[];
}

export interface CrossSellData {
  customer_id: string;
  order: Order;
  order_lines: OrderDetails['lines'];
  suggestions: Product[];
  message: string;
}

export interface SupportTicketData {
  ticket_id: string;
  issue: string;
  category: string;
  priority: 'urgent' | 'high' | 'normal' | 'low';
  status: 'pending_human';
  customer_id?: string;
  order_id?: string;
  created_at: string;
  next_steps: string;
}

export type LoyaltyTier = 'Bronze' | 'Silver' | 'Gold' | 'Platinum';
export interface LoyaltyData {
  customer_id: string;
  lifetime_spend: number;
  tier: LoyaltyTier;
  next_tier: LoyaltyTier | null;
  amount_to_next_tier: number;
  benefits: string[];
  upgraded: boolean; // true when spend qualifies for a higher tier than order count alone suggests
}

export interface JourneyEvent {
  date: string;
  kind: 'first_order' | 'order' | 'delivery' | 'cancelled';
  order_id: string;
  label: string;
  amount?: number;
}
export interface JourneyData {
  customer: Customer;
  orders: Order[];
  recent_order_details: OrderDetails[];
  timeline: JourneyEvent[];
}

export interface AnalyticsData {
  customer: Customer;
  patterns: PurchasePatternsData;
  journey: JourneyData;
  loyalty_tier: LoyaltyTier;
  insights: string[];
}

export interface SupportConnectionData {
  ticket_id: string;
  name?: string;
  contact?: string;
  preferred_store?: string;
  status: 'pending_human';
  message: string;
  created_at: string;
}

export interface DirectionsData {
  showrooms: Showroom[]; // one when a store matched, else all six
  matched: boolean;
}

/** Tool name (legacy camelCase, stored in executed_function_name) → its result data. */
export interface ToolDataMap {
  getCustomerByPhone: CustomerData;
  getCustomerByEmail: CustomerData;
  getOrdersByCustomer: OrderListData;
  getDetailsByOrder: OrderDetailsData;
  analyzeCustomerPatterns: PurchasePatternsData;
  getProductRecommendations: RecommendationsData;
  handleOrderConfirmationAndCrossSell: CrossSellData;
  handleSupportEscalation: SupportTicketData;
  handleLoyaltyUpgrade: LoyaltyData;
  handleProductRecommendations: RecommendationsData;
  getCustomerJourney: JourneyData;
  getCustomerAnalytics: AnalyticsData;
  connectToSupport: SupportConnectionData;
  showDirections: DirectionsData;
}
export type ToolName = keyof ToolDataMap;

export const toolNames: ToolName[] = [
  'getCustomerByPhone',
  'getCustomerByEmail',
  'getOrdersByCustomer',
  'getDetailsByOrder',
  'analyzeCustomerPatterns',
  'getProductRecommendations',
  'handleOrderConfirmationAndCrossSell',
  'handleSupportEscalation',
  'handleLoyaltyUpgrade',
  'handleProductRecommendations',
  'getCustomerJourney',
  'getCustomerAnalytics',
  'connectToSupport',
  'showDirections',
];

/**
 * The functions that read a customer's record or orders from LOFT (or build their answer from
 * them): refused to unverified visitors, their results are personal data in a conversation's
 * history, and when they fail it is LOFT that is down.
 */
export const customerDataTools: readonly ToolName[] = [
  'getCustomerByPhone',
  'getCustomerByEmail',
  'getOrdersByCustomer',
  'getDetailsByOrder',
  'analyzeCustomerPatterns',
  'handleOrderConfirmationAndCrossSell',
  'handleLoyaltyUpgrade',
  'handleProductRecommendations',
  'getCustomerJourney',
  'getCustomerAnalytics',
];

export type ComponentType =
  | 'customer_card'
  | 'order_list'
  | 'order_details'
  | 'purchase_patterns'
  | 'customer_analytics'
  | 'customer_journey'
  | 'product_carousel'
  | 'support_ticket'
  | 'loyalty_status'
  | 'cross_sell'
  | 'support_connection'
  | 'store_directions';

export const componentTypeByTool: Record<ToolName, ComponentType> = {
  getCustomerByPhone: 'customer_card',
  getCustomerByEmail: 'customer_card',
  getOrdersByCustomer: 'order_list',
  getDetailsByOrder: 'order_details',
  analyzeCustomerPatterns: 'purchase_patterns',
  getProductRecommendations: 'product_carousel',
  handleOrderConfirmationAndCrossSell: 'cross_sell',
  handleSupportEscalation: 'support_ticket',
  handleLoyaltyUpgrade: 'loyalty_status',
  handleProductRecommendations: 'product_carousel',
  getCustomerJourney: 'customer_journey',
  getCustomerAnalytics: 'customer_analytics',
  connectToSupport: 'support_connection',
  showDirections: 'store_directions',
};

export interface Component<T = unknown> {
  type: ComponentType;
  data: T;
  html: string;
}
