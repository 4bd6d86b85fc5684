// Reads a LanguageModelV3 prompt into what the offline model needs: the latest user text, the
// verified identity in the system prompt, and every tool result so far (typed ToolResult values),
// split into "earlier turns" and "this turn" (everything after the last user message).
import type { LanguageModelV3Prompt, LanguageModelV3ToolResultOutput } from '@ai-sdk/provider';
import type { Customer, Order, Product } from '../../loft/types.ts';
import { detectLang, normalize, type Lang } from './entities.ts';

export type Outcome =
  | { ok: true; data: unknown }
  | { ok: false; error: string; message: string };

export interface ToolOutcome {
  toolName: string;
  toolCallId: string;
  /** the input of the matching tool call, when the prompt has it */
  input: Record<string, unknown> | undefined;
  result: Outcome;
  /** after the last user message */
  inTurn: boolean;
  /** the (normalised) user message of the turn this result belongs to */
  turnText: string;
}

/** How much of a user message the intent and entity patterns read. */
export const MAX_ANALYSED_CHARS = 2000;

export interface TurnContext {
  /** the last user message's text, as written */
  userText: string;
  /** its first MAX_ANALYSED_CHARS characters, which entity extraction reads */
  analysedText: string;
  /** the same, normalised (lower case, no accents) */
  t: string;
  lang: Lang;
  lastRole: 'system' | 'user' | 'assistant' | 'tool' | undefined;
  /** `customer_id=...` from the system prompt (the agent's verified identity line) */
  verifiedCustomerId: string | undefined;
  /** all tool results in the prompt, oldest first (structured parts and legacy markers) */
  results: ToolOutcome[];
  /** the ones after the last user message */
  turnResults: ToolOutcome[];
  /** tool names already called after the last user message */
  turnCalledTools: Set<string>;
  /** how many assistant steps with tool calls happened after the last user message */
  turnToolSteps: number;
  /** the last assistant text before the last user message (to understand "yes") */
  previousAssistantText: string;
}

/** `customer_id=C100234` anywhere in the system prompt; a trailing `.`, `,` or `;` is dropped. */
export function parseVerifiedCustomerId(systemText: string): string | undefined {
  const line = /verified customer[^\n]*?\bcustomer_id=(\S+)/i.exec(systemText) ?? /\bcustomer_id=(\S+)/i.exec(systemText);
  const id = line?.[1]?.replace(/^["'`]|["'`.,;:)\]]+$/g, '');
  if (!id || /^(none|null|undefined|unknown|n\/a)$/i.test(id) || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id)) return undefined;
  return id;
}

function outcomeFromValue(value: unknown): Outcome {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (v.ok === true) return { ok: true, data: v.data };
    if (v.ok === false) {
      return { ok: false, error: typeof v.error === 'string' ? v.error : 'tool_error', message: typeof v.message === 'string' ? v.message : '' };
    }
    if (Array.isArray(v.entry)) return fromLoftReply(v.entry);
  }
  return { ok: true, data: value };
}

/** The original stored raw LOFT replies ({"entry": [...]}) in its markers. */
function fromLoftReply(entry: unknown[]): Outcome {
  if (entry.length === 0) return { ok: false, error: 'not_found', message: 'not found' };
  const first = entry[0] as Record<string, unknown>;
  if (typeof first.customerid === 'string' || typeof first.customerid === 'number') {
    const firstName = String(first.firstname ?? '');
    const lastName = String(first.lastname ?? '');
    return {
      ok: true,
      data: {
        customer_id: String(first.customerid),
        first_name: firstName,
        last_name: lastName,
        name: `${firstName} ${lastName}`.trim(),
        email: String(first.email ?? ''),
        phone: String(first.phonenumber ?? ''),
        address: { line1: String(first.address1 ?? ''), city: String(first.city ?? ''), state: String(first.state ?? ''), zipcode: String(first.zipcode ?? '') },
      },
    };
  }
  if (first.orderid !== undefined) {
    return {
      ok: true,
      data: {
        customer_id: '',
        orders: (entry as Record<string, unknown>[]).map((e) => ({
          order_id: String(e.orderid),
          status: String(e.status ?? ''),
          status_label: String(e.status ?? ''),
          order_date: String(e.orderdate ?? ''),
          delivery_date: e.deliverydate ? String(e.deliverydate) : null,
          total: Number(e.ordertotal ?? 0),
        })),
      },
    };
  }
  return { ok: true, data: { entry } };
}

function outcomeFromOutput(output: LanguageModelV3ToolResultOutput): Outcome {
  switch (output.type) {
    case 'json':
      return outcomeFromValue(output.value);
    case 'text':
      try {
        return outcomeFromValue(JSON.parse(output.value));
      } catch {
        return { ok: true, data: output.value };
      }
    case 'error-text':
      return { ok: false, error: 'tool_error', message: output.value };
    case 'error-json':
      return { ok: false, error: 'tool_error', message: JSON.stringify(output.value) };
    case 'execution-denied':
      return { ok: false, error: 'tool_error', message: output.reason ?? 'denied' };
    default:
      return { ok: true, data: null };
  }
}

/** The JSON object that starts at `from` (balanced braces, strings respected), parsed. */
function jsonAt(text: string, from: number): unknown {
  const start = text.indexOf('{', from);
  if (start < 0 || start - from > 3) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) {
      try {
        return JSON.parse(text.slice(start, i + 1));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Legacy markers in stored assistant text: `**Function Result (name):** {json}` and
 * `**CAROUSEL_DATA:** {"products":[...]}` (the latter read as a product recommendation).
 */
export function markerOutcomes(text: string): { toolName: string; result: Outcome }[] {
  const out: { toolName: string; result: Outcome }[] = [];
  if (!text.includes('**')) return out;
  const re = /\*\*(?:Function Result \((\w+)\)|(CAROUSEL_DATA)):\*\*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const value = jsonAt(text, m.index + m[0].length);
    if (value === undefined) continue;
    if (m[2]) out.push({ toolName: 'getProductRecommendations', result: { ok: true, data: value } });
    else out.push({ toolName: m[1]!, result: outcomeFromValue(value) });
  }
  return out;
}

export function readPrompt(prompt: LanguageModelV3Prompt): TurnContext {
  let lastUser = -1;
  for (let i = prompt.length - 1; i >= 0; i--) {
    if (prompt[i]!.role === 'user') {
      lastUser = i;
      break;
    }
  }
  const systemText = prompt
    .filter((m) => m.role === 'system')
    .map((m) => m.content)
    .join('\n');

  const inputs = new Map<string, Record<string, unknown> | undefined>();
  const results: ToolOutcome[] = [];
  const turnCalledTools = new Set<string>();
  let turnToolSteps = 0;
  let previousAssistantText = '';

  let turnText = '';
  prompt.forEach((message, index) => {
    const inTurn = index > lastUser;
    if (message.role === 'assistant') {
      let hasCall = false;
      let text = '';
      for (const part of message.content) {
        if (part.type === 'tool-call') {
          hasCall = true;
          const input = typeof part.input === 'string' ? safeParse(part.input) : part.input;
          inputs.set(part.toolCallId, input && typeof input === 'object' ? (input as Record<string, unknown>) : undefined);
          if (inTurn) turnCalledTools.add(part.toolName);
        } else if (part.type === 'tool-result') {
          results.push({ toolName: part.toolName, toolCallId: part.toolCallId, input: inputs.get(part.toolCallId), result: outcomeFromOutput(part.output), inTurn, turnText });
        } else if (part.type === 'text') {
          text += part.text;
          for (const r of markerOutcomes(part.text)) results.push({ ...r, toolCallId: '', input: undefined, inTurn, turnText });
        }
      }
      if (hasCall && inTurn) turnToolSteps++;
      if (!inTurn && text.trim()) previousAssistantText = text;
    } else if (message.role === 'tool') {
      for (const part of message.content) {
        if (part.type !== 'tool-result') continue;
        if (inTurn) turnCalledTools.add(part.toolName);
        results.push({ toolName: part.toolName, toolCallId: part.toolCallId, input: inputs.get(part.toolCallId), result: outcomeFromOutput(part.output), inTurn, turnText });
      }
    } else if (message.role === 'user') {
      turnText = normalize(message.content.map((p) => (p.type === 'text' ? p.text : '')).join('\n').slice(0, MAX_ANALYSED_CHARS));
      // a user turn in between resets "the previous assistant text"
      if (index < lastUser) previousAssistantText = '';
    }
  });

  const userMessage = lastUser >= 0 ? prompt[lastUser] : undefined;
  const userText =
    userMessage && userMessage.role === 'user'
      ? userMessage.content
          .filter((p) => p.type === 'text')
          .map((p) => (p as { text: string }).text)
          .join('\n')
      : '';

  // messages over a few thousand characters exist in production: read the start of them only
  const analysed = userText.length > MAX_ANALYSED_CHARS ? userText.slice(0, MAX_ANALYSED_CHARS) : userText;
  return {
    userText,
    analysedText: analysed,
    t: normalize(analysed),
    lang: detectLang(analysed),
    lastRole: prompt.at(-1)?.role,
    verifiedCustomerId: parseVerifiedCustomerId(systemText),
    results,
    turnResults: results.filter((r) => r.inTurn),
    turnCalledTools,
    turnToolSteps,
    previousAssistantText,
  };
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

// ---- reading typed data out of results ----

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The customer id a result's data is about (`customer_id`, or `customer.customer_id`). */
export function customerIdOf(data: unknown): string | undefined {
  const d = asRecord(data);
  if (!d) return undefined;
  if (typeof d.customer_id === 'string' && d.customer_id) return d.customer_id;
  const c = asRecord(d.customer);
  if (c && typeof c.customer_id === 'string' && c.customer_id) return c.customer_id;
  return undefined;
}

/** A customer record inside a result (the lookups' data, or `customer` of journey/analytics). */
export function customerOf(data: unknown): Customer | undefined {
  const d = asRecord(data);
  if (!d) return undefined;
  if (typeof d.customer_id === 'string' && typeof d.name === 'string') return d as unknown as Customer;
  const c = asRecord(d.customer);
  if (c && typeof c.customer_id === 'string') return c as unknown as Customer;
  return undefined;
}

export function ordersOf(data: unknown): Order[] | undefined {
  const d = asRecord(data);
  if (!d || !Array.isArray(d.orders)) return undefined;
  return d.orders.filter((o): o is Order => !!asRecord(o) && typeof (o as Order).order_id === 'string');
}

export function productsOf(data: unknown): Product[] | undefined {
  const d = asRecord(data);
  if (!d || !Array.isArray(d.products)) return undefined;
  return d.products.filter((p): p is Product => !!asRecord(p) && typeof (p as Product).name === 'string');
}

/** The most recent customer id any successful result carries. */
export function latestCustomerId(results: ToolOutcome[]): string | undefined {
  for (let i = results.length - 1; i >= 0; i--) {
    const r = results[i]!.result;
    if (!r.ok) continue;
    const id = customerIdOf(r.data);
    if (id) return id;
  }
  return undefined;
}

const thirdPersonRe = /\b(their|his|her|this customer|the customer|customer|client|cliente|del cliente|de la cliente)\b/;
const firstPersonRe = /\b(my|mine|i|im|i'm|i've|i'd|me llamo|mi|mis|yo|tengo|compre|soy)\b/;

/** The text speaks of the writer's own account ("my orders", "mis pedidos"), not a third party's. */
export function isFirstPerson(t: string): boolean {
  return !thirdPersonRe.test(t) && firstPersonRe.test(t);
}
export function isThirdPerson(t: string): boolean {
  return thirdPersonRe.test(t);
}

/** Customers the visitor identified as themselves ("my phone is …") earlier in the chat. */
export function selfCustomerIds(results: ToolOutcome[]): Set<string> {
  const ids = new Set<string>();
  for (const r of results) {
    if (!r.result.ok || (r.toolName !== 'getCustomerByPhone' && r.toolName !== 'getCustomerByEmail')) continue;
    const id = customerIdOf(r.result.data);
    if (id && isFirstPerson(r.turnText)) ids.add(id);
  }
  return ids;
}

/** Customer records seen in results, by id (for names in answers). */
export function knownCustomers(results: ToolOutcome[]): Map<string, Customer> {
  const map = new Map<string, Customer>();
  for (const r of results) {
    if (!r.result.ok) continue;
    const c = customerOf(r.result.data);
    if (c && c.customer_id) map.set(c.customer_id, c);
  }
  return map;
}

export interface OrderList {
  customerId: string | undefined;
  orders: Order[];
  /** position in `results` (to compare with product lists) */
  at: number;
  inTurn: boolean;
}

/** The most recent list of orders (getOrdersByCustomer, or a journey), newest first. */
export function latestOrderList(results: ToolOutcome[], customerId?: string): OrderList | undefined {
  for (let i = results.length - 1; i >= 0; i--) {
    const r = results[i]!;
    if (!r.result.ok) continue;
    if (r.toolName !== 'getOrdersByCustomer' && r.toolName !== 'getCustomerJourney') continue;
    const orders = ordersOf(r.result.data);
    if (!orders) continue;
    const owner = customerIdOf(r.result.data) || (typeof r.input?.customer_id === 'string' ? r.input.customer_id : undefined);
    if (customerId && owner && owner !== customerId) continue;
    return { customerId: owner, orders, at: i, inTurn: r.inTurn };
  }
  return undefined;
}

/** The most recent product list shown (recommendations), with its position in `results`. */
export function latestProductList(results: ToolOutcome[]): { products: Product[]; at: number } | undefined {
  for (let i = results.length - 1; i >= 0; i--) {
    const r = results[i]!;
    if (!r.result.ok) continue;
    const products = productsOf(r.result.data);
    if (products && products.length) return { products, at: i };
  }
  return undefined;
}
