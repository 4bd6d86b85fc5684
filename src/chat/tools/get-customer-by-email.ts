import { tool } from 'ai';
import { z } from 'zod';
import { normalizeEmail } from '../../shared/phone.ts';
import { canSeeCustomer, isOwnContact, verificationRequired } from './access.ts';
import { findCustomerByEmail } from './loft-data.ts';
import { failure, ok } from './results.ts';
import { requiredText } from './schemas.ts';
import type { CustomerData, EmailInput, ToolContext, ToolResult } from './types.ts';

export const getCustomerByEmailInput = z.object({
  email: requiredText(255, 'The email address the customer gave, e.g. "jane@example.com".'),
}) satisfies z.ZodType<EmailInput>;

export const getCustomerByEmailDescription =
  "Look up a customer's account in LOFT (the store's order system) by email address. Use when a customer gives their email to check their account or orders. Returns the customer record (customer_id, name, email, phone, address); use its customer_id for order tools. Account data is only returned to the verified owner of the account or to staff; otherwise the result is verification_required: relay its message and do not guess.";

const emailShape = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function getCustomerByEmail(ctx: ToolContext, input: EmailInput): Promise<ToolResult<CustomerData>> {
  const email = normalizeEmail(input.email);
  if (!emailShape.test(email)) return failure('invalid_input', "That doesn't look like an email address. Could you check it?");
  if (!ctx.access.staff && !ctx.access.verified) return verificationRequired();
  const found = await findCustomerByEmail(ctx, email);
  if (!found.ok) {
    if (found.error === 'not_found') {
      return ctx.access.staff || isOwnContact(ctx, { email })
        ? failure('not_found', 'No customer account was found with that email address.')
        : verificationRequired();
    }
    return failure(found.error, found.message);
  }
  return canSeeCustomer(ctx, found.value) ? ok(found.value) : verificationRequired();
}

export const createGetCustomerByEmailTool = (ctx: ToolContext) =>
  tool({
    description: getCustomerByEmailDescription,
    inputSchema: getCustomerByEmailInput,
    execute: (input) => getCustomerByEmail(ctx, input),
  });
