import { tool } from 'ai';
import { z } from 'zod';
import { findShowroom, type Showroom } from '../../loft/index.ts';
import { ok } from './results.ts';
import { optionalText } from './schemas.ts';
import type { DirectionsData, DirectionsInput, ToolContext, ToolResult } from './types.ts';

export const showDirectionsInput = z.object({
  store: optionalText(120, 'The showroom or town the customer asked about, e.g. "Canton", "the Acworth store", "30188". Leave empty to list all six.'),
}) satisfies z.ZodType<DirectionsInput>;

export const showDirectionsDescription =
  "Address, phone, opening hours and a Google Maps directions link for Woodstock Outlet's six Georgia showrooms (Woodstock, Acworth, Canton, Cartersville, Douglasville, Dallas). Use when someone asks where a store is, how to get there, store hours or the nearest showroom. With a store or town it returns that showroom (matched=true); otherwise all six (matched=false), so ask which is closest.";

/** A showroom by id or city (findShowroom), or by its zip code or phone. */
function matchShowroom(showrooms: Showroom[], text: string): Showroom | undefined {
  const byName = findShowroom(text);
  if (byName && showrooms.some((s) => s.id === byName.id)) return showrooms.find((s) => s.id === byName.id);
  const digits = text.replace(/\D/g, '');
  return showrooms.find((s) => (digits.length === 5 && s.zipcode === digits) || (digits.length >= 10 && s.phone.replace(/\D/g, '') === digits.slice(-10)));
}

export async function showDirections(ctx: ToolContext, input: DirectionsInput): Promise<ToolResult<DirectionsData>> {
  const match = input.store ? matchShowroom(ctx.showrooms, input.store) : undefined;
  return ok(match ? { showrooms: [match], matched: true } : { showrooms: ctx.showrooms, matched: false });
}

export const createShowDirectionsTool = (ctx: ToolContext) =>
  tool({
    description: showDirectionsDescription,
    inputSchema: showDirectionsInput,
    execute: (input) => showDirections(ctx, input),
  });
