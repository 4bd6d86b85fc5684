import { tool } from 'ai';
import { z } from 'zod';
import { checkCustomerAccess, checkOrderAccess } from './access.ts';
import { ok } from './results.ts';
import { optionalEnum, optionalLoftId, requiredText } from './schemas.ts';
import { categoryTitles, inferCategory, inferPriority, nextStepsFor, truncate } from './support.ts';
import type { EscalationInput, SupportTicketData, ToolContext, ToolResult } from './types.ts';

export const handleSupportEscalationInput = z.object({
  issue: requiredText(4000, "The problem in the customer's own words, with the details they gave (what happened, which item, when)."),
  customer_id: optionalLoftId('Optional LOFT customer_id, when the customer was looked up.'),
  order_id: optionalLoftId('Optional order number the issue is about.'),
  category: optionalEnum(['damaged_item', 'refund', 'complaint', 'delivery', 'other'] as const, 'Optional kind of issue; inferred from the issue when left out.'),
  priority: optionalEnum(['urgent', 'high', 'normal', 'low'] as const, 'Optional priority; inferred when left out (safety risk or injury → urgent, damaged item or refund → high).'),
}) satisfies z.ZodType<EscalationInput>;

export const handleSupportEscalationDescription =
  "Open a support ticket and hand this conversation to the human customer care team, for problems the assistant cannot solve: a damaged or defective item, a refund, a delivery problem, a complaint. This really transfers the chat to a person (they reply in this chat) and the assistant stops answering. Returns the ticket id, priority and next steps to tell the customer. No verification needed. Use connectToSupport instead when the customer simply asks to talk to a person.";

/** Only ids the caller may see go into the ticket as ids; others are noted as the customer's claim. */
async function confirmIds(ctx: ToolContext, input: EscalationInput) {
  const [customer, order] = await Promise.all([
    input.customer_id ? checkCustomerAccess(ctx, input.customer_id) : undefined,
    input.order_id ? checkOrderAccess(ctx, input.order_id) : undefined,
  ]);
  const customerId = input.customer_id
    ? customer?.ok
      ? input.customer_id
      : undefined
    : (ctx.access.verified?.customer_id ?? (order?.ok ? order.data.customer_id : undefined));
  const orderId = input.order_id && order?.ok ? input.order_id : undefined;
  const unconfirmed: string[] = [];
  if (input.customer_id && !customerId) unconfirmed.push(`customer id ${input.customer_id}`);
  if (input.order_id && !orderId) unconfirmed.push(`order #${input.order_id}`);
  return { customerId, orderId, unconfirmed };
}

export async function handleSupportEscalation(ctx: ToolContext, input: EscalationInput): Promise<ToolResult<SupportTicketData>> {
  const category = input.category ?? inferCategory(input.issue);
  const priority = input.priority ?? inferPriority(input.issue, category);
  const { customerId, orderId, unconfirmed } = await confirmIds(ctx, input);
  const summary = [
    truncate(input.issue, 2000),
    unconfirmed.length ? `Mentioned but not verified: ${unconfirmed.join(', ')}.` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const record = await ctx.requestHandoff({
    kind: 'escalation',
    reason: `${categoryTitles[category]}: ${truncate(input.issue, 120)}`,
    summary,
    priority,
    category,
    ...(customerId ? { customer_id: customerId } : {}),
    ...(orderId ? { order_id: orderId } : {}),
  });
  return ok({
    ticket_id: record.ticket_id,
    issue: input.issue,
    category,
    priority: record.priority,
    status: record.status,
    ...(customerId ? { customer_id: customerId } : {}),
    ...(orderId ? { order_id: orderId } : {}),
    created_at: record.created_at,
    next_steps: nextStepsFor(record.priority, category),
  });
}

export const createHandleSupportEscalationTool = (ctx: ToolContext) =>
  tool({
    description: handleSupportEscalationDescription,
    inputSchema: handleSupportEscalationInput,
    execute: (input) => handleSupportEscalation(ctx, input),
  });
