import { tool } from 'ai';
import { z } from 'zod';
import { checkCustomerAccess } from './access.ts';
import { assembleJourney, journeyRecentOrders } from './journey.ts';
import { loadCustomerOrdersWithDetails, loadCustomerRecord } from './loft-data.ts';
import { ok } from './results.ts';
import { loftId } from './schemas.ts';
import type { CustomerIdInput, JourneyData, ToolContext, ToolResult } from './types.ts';

export const getCustomerJourneyInput = z.object({
  customer_id: loftId('The LOFT customer_id from a customer look-up.'),
}) satisfies z.ZodType<CustomerIdInput>;

export const getCustomerJourneyDescription =
  "A customer's history with the store as a timeline: first order, later orders, cancellations and deliveries (oldest first), with the customer record, all orders and the items of their latest orders. Use when a customer or staff member asks for the whole history (\"everything I've bought and when it came\"). Only for the verified account owner or staff.";

export async function getCustomerJourney(ctx: ToolContext, input: CustomerIdInput): Promise<ToolResult<JourneyData>> {
  const access = await checkCustomerAccess(ctx, input.customer_id);
  if (!access.ok) return access;
  const [customer, history] = await Promise.all([
    loadCustomerRecord(ctx, input.customer_id),
    loadCustomerOrdersWithDetails(ctx, input.customer_id, { maxDetails: journeyRecentOrders }),
  ]);
  if (!customer.ok) return customer;
  if (!history.ok) return history;
  return ok(assembleJourney(customer.data, history.data));
}

export const createGetCustomerJourneyTool = (ctx: ToolContext) =>
  tool({
    description: getCustomerJourneyDescription,
    inputSchema: getCustomerJourneyInput,
    execute: (input) => getCustomerJourney(ctx, input),
  });
