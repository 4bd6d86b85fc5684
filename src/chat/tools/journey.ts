// Building a customer's journey from loaded data, shared by getCustomerJourney and getCustomerAnalytics.
import type { Customer, OrderDetails } from '../../loft/index.ts';
import { buildTimeline } from './insights.ts';
import type { CustomerHistory } from './loft-data.ts';
import type { JourneyData } from './types.ts';

/** How many of the latest orders the journey shows in full. */
export const journeyRecentOrders = 3;

export function recentOrderIds(history: Pick<CustomerHistory, 'orders'>): string[] {
  return history.orders.filter((o) => o.status !== 'C').slice(0, journeyRecentOrders).map((o) => o.order_id);
}

export function assembleJourney(customer: Customer, history: CustomerHistory): JourneyData {
  const recent = recentOrderIds(history)
    .map((id) => history.details.get(id))
    .filter((d): d is OrderDetails => d !== undefined);
  return { customer, orders: history.orders, recent_order_details: recent, timeline: buildTimeline(history.orders) };
}
