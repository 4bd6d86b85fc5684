import { tool } from 'ai';
import { z } from 'zod';
import { findShowroom } from '../../loft/index.ts';
import { normalizeEmail, normalizePhone } from '../../shared/phone.ts';
import { ok } from './results.ts';
import { optionalText } from './schemas.ts';
import { isUrgent, truncate } from './support.ts';
import type { ConnectInput, SupportConnectionData, ToolContext, ToolResult } from './types.ts';

export const connectToSupportInput = z.object({
  name: optionalText(120, "The customer's name, if they gave it."),
  contact: optionalText(255, 'A phone number or email where the team can reach them, if they gave one.'),
  preferred_store: optionalText(120, 'The showroom they prefer, e.g. "Canton" or "Woodstock", if any.'),
  reason: optionalText(1000, 'What they want to talk about, in a sentence.'),
}) satisfies z.ZodType<ConnectInput>;

export const connectToSupportDescription =
  'Connect the customer with a person from the Woodstock Outlet team: hands this conversation to the human inbox (a team member replies in this chat; the assistant stops answering). Use when the customer asks for a human, an agent, a manager, a call back, or when you cannot help further. Pass their name, contact and preferred showroom when they gave them. No verification needed. For damaged items, refunds or complaints prefer handleSupportEscalation.';

function normalizeContact(contact: string | undefined): { value?: string; phone?: string; email?: string } {
  if (!contact) return {};
  const phone = normalizePhone(contact);
  if (phone && !contact.includes('@')) return { value: phone, phone };
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact)) {
    const email = normalizeEmail(contact);
    return { value: email, email };
  }
  return { value: contact };
}

export async function connectToSupport(ctx: ToolContext, input: ConnectInput): Promise<ToolResult<SupportConnectionData>> {
  const contact = normalizeContact(input.contact);
  const showroom = input.preferred_store ? findShowroom(input.preferred_store) : undefined;
  const store = showroom?.name ?? input.preferred_store;
  const reason = input.reason ?? 'The customer asked to talk to a person.';
  const summary = [
    `Customer asked for a person. Reason: ${truncate(reason, 800)}`,
    input.name ? `Name: ${input.name}` : '',
    contact.value ? `Contact: ${contact.value}` : '',
    store ? `Preferred store: ${store}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const record = await ctx.requestHandoff({
    kind: 'connect',
    reason: truncate(reason, 200),
    summary,
    priority: isUrgent(reason) ? 'urgent' : 'normal',
    ...(ctx.access.verified?.customer_id ? { customer_id: ctx.access.verified.customer_id } : {}),
    contact: {
      ...(input.name ? { name: input.name } : {}),
      ...(contact.phone ? { phone: contact.phone } : {}),
      ...(contact.email ? { email: contact.email } : {}),
    },
    ...(store ? { preferred_store: store } : {}),
  });
  const where = showroom ? ` from our ${showroom.city} showroom` : '';
  const reach = contact.value ? ` If we miss you here, we'll reach you at ${contact.value}.` : '';
  return ok({
    ticket_id: record.ticket_id,
    ...(input.name ? { name: input.name } : {}),
    ...(contact.value ? { contact: contact.value } : {}),
    ...(store ? { preferred_store: store } : {}),
    status: record.status,
    message: `I've asked a member of our team${where} to join this chat; they'll reply right here.${reach}`,
    created_at: record.created_at,
  });
}

export const createConnectToSupportTool = (ctx: ToolContext) =>
  tool({
    description: connectToSupportDescription,
    inputSchema: connectToSupportInput,
    execute: (input) => connectToSupport(ctx, input),
  });
