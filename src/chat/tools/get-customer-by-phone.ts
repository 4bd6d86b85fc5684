import { tool } from 'ai';
import { z } from 'zod';
import { normalizePhone } from '../../shared/phone.ts';
import { canSeeCustomer, isOwnContact, verificationRequired } from './access.ts';
import { findCustomerByPhone } from './loft-data.ts';
import { failure, ok } from './results.ts';
import { requiredText } from './schemas.ts';
import type { CustomerData, PhoneInput, ToolContext, ToolResult } from './types.ts';

export const getCustomerByPhoneInput = z.object({
  phone: requiredText(40, 'The phone number the customer gave, in any format, e.g. "404-555-0142" or "(404) 555-0142".'),
}) satisfies z.ZodType<PhoneInput>;

export const getCustomerByPhoneDescription =
  "Look up a customer's account in LOFT (the store's order system) by phone number. Use when a customer gives their phone number to check their account or orders, or when staff look someone up. Returns the customer record (customer_id, name, email, phone, address); use its customer_id for order tools. Account data is only returned to the verified owner of the account or to staff; otherwise the result is verification_required: relay its message and do not guess.";

export async function getCustomerByPhone(ctx: ToolContext, input: PhoneInput): Promise<ToolResult<CustomerData>> {
  const phone = normalizePhone(input.phone);
  if (!phone) return failure('invalid_input', "That doesn't look like a 10-digit US phone number. Could you check it?");
  // Nobody verified: no look-up at all, so nothing (not even timing) says whether the number is known.
  if (!ctx.access.staff && !ctx.access.verified) return verificationRequired();
  const found = await findCustomerByPhone(ctx, phone);
  if (!found.ok) {
    if (found.error === 'not_found') {
      return ctx.access.staff || isOwnContact(ctx, { phone })
        ? failure('not_found', 'No customer account was found with that phone number.')
        : verificationRequired();
    }
    return failure(found.error, found.message);
  }
  return canSeeCustomer(ctx, found.value) ? ok(found.value) : verificationRequired();
}

export const createGetCustomerByPhoneTool = (ctx: ToolContext) =>
  tool({
    description: getCustomerByPhoneDescription,
    inputSchema: getCustomerByPhoneInput,
    execute: (input) => getCustomerByPhone(ctx, input),
  });
