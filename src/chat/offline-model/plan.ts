// Turn planning: from the prompt, decide the next tool calls (with inputs matching the *Input
// interfaces), or the text to say. Runs once per agent step: on the user's message it plans the
// first calls; when tool results of this turn are in, it plans what still needs calling (a
// customer lookup first, then the orders...) and, when nothing is left, writes the answer.
import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import type {
  ConnectInput,
  CrossSellInput,
  CustomerIdInput,
  DirectionsInput,
  EmailInput,
  EscalationInput,
  OrderIdInput,
  PhoneInput,
  RecommendationInput,
  ToolName,
} from '../tools/types.ts';
import { writeAnswer, writeCanned, writeProductPick, type Canned } from './answers.ts';
import { displayPhone } from '../../shared/phone.ts';
import {
  asRecord,
  knownCustomers,
  latestCustomerId,
  latestOrderList,
  latestProductList,
  readPrompt,
  selfCustomerIds,
  type OrderList,
  type TurnContext,
} from './context.ts';
import {
  extractEmail,
  extractPhone,
  findBrand,
  findCategory,
  findCustomerId,
  findDescriptors,
  findMaxPrice,
  findName,
  findOrderId,
  findOrdinal,
  findStore,
  pickByOrdinal,
  type Ordinal,
} from './entities.ts';
import { detectIntent, isAffirmative, isPersonal, type Intent } from './intents.ts';

export interface PlannedCall {
  toolName: ToolName;
  input: Record<string, unknown>;
}
export type Plan = { toolCalls: PlannedCall[] } | { text: string };

/** No more tool rounds than this in one turn (the agent allows 5 steps; the last one answers). */
const MAX_TOOL_STEPS = 4;

interface Entities {
  phone?: string;
  email?: string;
  customerId?: string;
  orderId?: string;
  ordinal?: Ordinal;
  store?: string;
  category?: string;
  brand?: string;
  maxPrice?: number;
  query?: string;
  name?: string;
}

function extract(ctx: TurnContext): Entities {
  const raw = ctx.analysedText;
  const t = ctx.t;
  return {
    phone: extractPhone(raw),
    email: extractEmail(raw),
    customerId: findCustomerId(raw)?.value,
    orderId: findOrderId(raw)?.value,
    ordinal: findOrdinal(t),
    store: findStore(t),
    category: findCategory(t),
    brand: findBrand(t),
    maxPrice: findMaxPrice(t),
    query: findDescriptors(t),
    name: findName(raw),
  };
}

type CustomerRes =
  | { kind: 'id'; id: string; source: 'explicit' | 'turn' | 'history' | 'system' }
  | { kind: 'pending'; call: PlannedCall }
  | { kind: 'failed' }
  | { kind: 'missing' };

type OrdersRes =
  | { kind: 'list'; list: OrderList }
  | { kind: 'pending'; calls: PlannedCall[] }
  | { kind: 'failed' }
  | { kind: 'missing' };

class Planner {
  readonly tools: Set<string>;
  readonly e: Entities;
  constructor(
    readonly ctx: TurnContext,
    toolNames: readonly string[],
  ) {
    this.tools = new Set(toolNames);
    this.e = extract(ctx);
  }

  has(name: ToolName): boolean {
    return this.tools.has(name);
  }

  private turnResult(name: ToolName) {
    for (let i = this.ctx.turnResults.length - 1; i >= 0; i--) {
      const r = this.ctx.turnResults[i]!;
      if (r.toolName === name) return r;
    }
    return undefined;
  }

  /** Whose records the user means: an id they typed, a lookup of the phone/email they gave, the
   *  customer found earlier in the conversation, or the verified identity of the system prompt. */
  customer(): CustomerRes {
    const { e, ctx } = this;
    if (e.customerId) return { kind: 'id', id: e.customerId, source: 'explicit' };
    const lookups: [string | undefined, ToolName, 'phone' | 'email'][] = [
      [e.phone, 'getCustomerByPhone', 'phone'],
      [e.email, 'getCustomerByEmail', 'email'],
    ];
    for (const [value, tool, field] of lookups) {
      if (!value) continue;
      const done = this.turnResult(tool);
      if (done) {
        if (!done.result.ok) return { kind: 'failed' };
        const id = latestCustomerId([done]);
        return id ? { kind: 'id', id, source: 'turn' } : { kind: 'failed' };
      }
      if (this.has(tool)) {
        const input: PhoneInput | EmailInput = field === 'phone' ? { phone: value } : { email: value };
        return { kind: 'pending', call: { toolName: tool, input: { ...input } } };
      }
    }
    const fromHistory = latestCustomerId(ctx.results);
    if (fromHistory) return { kind: 'id', id: fromHistory, source: 'history' };
    if (ctx.verifiedCustomerId) return { kind: 'id', id: ctx.verifiedCustomerId, source: 'system' };
    return { kind: 'missing' };
  }

  /** A customer id known without calling anything (for optional customer_id fields). */
  knownCustomerId(): string | undefined {
    const c = this.customer();
    return c.kind === 'id' ? c.id : undefined;
  }

  /** The order list "the second one" refers to; fetched first when there is none yet. */
  orders(): OrdersRes {
    const c = this.customer();
    if (c.kind === 'failed' || c.kind === 'missing') {
      const any = latestOrderList(this.ctx.results);
      return any && c.kind === 'missing' ? { kind: 'list', list: any } : c;
    }
    if (c.kind === 'pending') return { kind: 'pending', calls: [c.call] };
    const list = latestOrderList(this.ctx.results, c.id);
    if (list) return { kind: 'list', list };
    const done = this.turnResult('getOrdersByCustomer');
    if (done) return { kind: 'failed' };
    if (!this.has('getOrdersByCustomer')) return { kind: 'missing' };
    const input: CustomerIdInput = { customer_id: c.id };
    return { kind: 'pending', calls: [{ toolName: 'getOrdersByCustomer', input: { ...input } }] };
  }

  /** An order id: typed, or picked by position from the order list (default: the newest). */
  orderId(defaultOrdinal?: Ordinal): { id: string } | { calls: PlannedCall[] } | { outOfRange: number } | undefined {
    if (this.e.orderId) return { id: this.e.orderId };
    const ordinal = this.e.ordinal ?? defaultOrdinal;
    if (ordinal === undefined) return undefined;
    const o = this.orders();
    if (o.kind === 'pending') return { calls: o.calls };
    if (o.kind !== 'list') return undefined;
    const order = pickByOrdinal(o.list.orders, ordinal);
    if (!order) return { outOfRange: o.list.orders.length };
    return { id: order.order_id };
  }

  /** A call that needs a customer id: the call, the lookup that comes first, or a question. */
  withCustomer(tool: ToolName, build: (id: string) => Record<string, unknown>): Plan | null {
    const c = this.customer();
    if (c.kind === 'id') return { toolCalls: [{ toolName: tool, input: build(c.id) }] };
    if (c.kind === 'pending') return { toolCalls: [c.call] };
    if (c.kind === 'failed') return null; // the lookup's failure is the answer
    return this.ask('identify');
  }

  ask(what: Canned): Plan {
    return { text: writeCanned(what, this.ctx) };
  }

  intent(): Intent | undefined {
    const { e, ctx } = this;
    const orderList = latestOrderList(ctx.results);
    const productList = latestProductList(ctx.results);
    const ordersShownLast = !!orderList && (!productList || orderList.at > productList.at);
    const intent = detectIntent(ctx.t, {
      hasPhone: !!e.phone,
      hasEmail: !!e.email,
      hasCustomerId: !!e.customerId,
      hasOrderId: !!e.orderId,
      hasOrdinal: e.ordinal !== undefined,
      hasProductFilter: !!(e.category || e.brand || e.maxPrice !== undefined),
      ordersShownLast,
    });
    if (intent) return intent;
    if (isAffirmative(ctx.t)) return this.offered();
    return undefined;
  }

  /** "yes" answers the offer our previous message ended with. */
  offered(): Intent | undefined {
    const prev = this.ctx.previousAssistantText.toLowerCase();
    if (/pull up (?:your|their) orders|busque sus pedidos/.test(prev)) return 'orders';
    if (/connect you with a person|comunicarle con una persona/.test(prev)) return 'connect';
    return undefined;
  }

  /** The calls (or text) for the intent, before filtering what this turn already did. */
  planIntent(intent: Intent | undefined): Plan | null {
    const { e, ctx } = this;
    switch (intent) {
      case 'lookup': {
        if (e.phone && this.has('getCustomerByPhone')) return { toolCalls: [{ toolName: 'getCustomerByPhone', input: { phone: e.phone } }] };
        if (e.email && this.has('getCustomerByEmail')) return { toolCalls: [{ toolName: 'getCustomerByEmail', input: { email: e.email } }] };
        if (e.customerId) {
          // there is no "customer by id" function: the journey shows the customer and their orders
          for (const tool of ['getCustomerJourney', 'getCustomerAnalytics', 'getOrdersByCustomer'] as const) {
            if (this.has(tool)) return { toolCalls: [{ toolName: tool, input: { customer_id: e.customerId } }] };
          }
        }
        return this.ask('identify');
      }
      case 'orders':
        if (!this.has('getOrdersByCustomer')) return this.ask('help');
        return this.withCustomer('getOrdersByCustomer', (id) => ({ customer_id: id }) satisfies CustomerIdInput);
      case 'details': {
        if (!this.has('getDetailsByOrder')) return this.ask('help');
        const o = this.orderId(0);
        if (!o) return this.customer().kind === 'failed' ? null : this.ask('identify');
        if ('calls' in o) return { toolCalls: o.calls };
        if ('outOfRange' in o) return { text: writeCanned('out_of_range', ctx, { count: o.outOfRange }) };
        const input: OrderIdInput = { order_id: o.id };
        return { toolCalls: [{ toolName: 'getDetailsByOrder', input: { ...input } }] };
      }
      case 'confirm': {
        if (!this.has('handleOrderConfirmationAndCrossSell')) return this.planIntent('orders');
        const c = this.customer();
        if (c.kind !== 'id') {
          if (e.orderId && this.has('getDetailsByOrder')) return { toolCalls: [{ toolName: 'getDetailsByOrder', input: { order_id: e.orderId } }] };
          return this.withCustomer('handleOrderConfirmationAndCrossSell', () => ({}));
        }
        const input: CrossSellInput = { customer_id: c.id };
        const o = e.orderId ? { id: e.orderId } : e.ordinal !== undefined ? this.orderId() : this.orderJustShown();
        if (o && 'calls' in o) return { toolCalls: o.calls };
        if (o && 'id' in o) input.order_id = o.id;
        return { toolCalls: [{ toolName: 'handleOrderConfirmationAndCrossSell', input: { ...input } }] };
      }
      case 'patterns':
        return this.customerTool(['analyzeCustomerPatterns', 'getCustomerAnalytics']);
      case 'analytics':
        return this.customerTool(['getCustomerAnalytics', 'getCustomerJourney', 'analyzeCustomerPatterns']);
      case 'journey':
        return this.customerTool(['getCustomerJourney', 'getCustomerAnalytics', 'getOrdersByCustomer']);
      case 'loyalty':
        return this.customerTool(['handleLoyaltyUpgrade']);
      case 'recommend':
      case 'products':
        return this.planProducts(intent);
      case 'escalate':
        return this.planEscalation();
      case 'connect':
        return this.planConnect();
      case 'directions': {
        if (!this.has('showDirections')) return this.ask('help');
        const input: DirectionsInput = e.store ? { store: e.store } : {};
        return { toolCalls: [{ toolName: 'showDirections', input: { ...input } }] };
      }
      case 'financing':
      case 'thanks':
      case 'goodbye':
      case 'greeting':
        return this.ask(intent);
      default: {
        // "the second one" after a product list: describe that product
        const products = latestProductList(ctx.results);
        if (e.ordinal !== undefined && products && ctx.t.split(' ').length <= 8) {
          const p = pickByOrdinal(products.products, e.ordinal);
          if (p) return { text: writeProductPick(p, ctx) };
        }
        return this.ask('help');
      }
    }
  }

  /** "is it confirmed?" right after an order's details: that order. */
  orderJustShown(): { id: string } | undefined {
    const last = this.ctx.results.at(-1);
    if (!last || last.inTurn || last.toolName !== 'getDetailsByOrder' || !last.result.ok) return undefined;
    const id = asRecord(last.result.data)?.order_id;
    return typeof id === 'string' ? { id } : undefined;
  }

  customerTool(preference: ToolName[]): Plan | null {
    const tool = preference.find((n) => this.has(n));
    if (!tool) return this.ask('help');
    return this.withCustomer(tool, (id) => ({ customer_id: id }) satisfies CustomerIdInput);
  }

  planProducts(intent: 'recommend' | 'products'): Plan | null {
    const { e, ctx } = this;
    const hasFilter = !!(e.category || e.brand || e.maxPrice !== undefined || e.query);
    const customerId = this.knownCustomerId();
    if (intent === 'recommend' && !hasFilter && customerId && (isPersonal(ctx.t) || !this.has('getProductRecommendations'))) {
      if (this.has('handleProductRecommendations')) {
        return { toolCalls: [{ toolName: 'handleProductRecommendations', input: { customer_id: customerId } }] };
      }
    }
    if (!this.has('getProductRecommendations')) {
      if (this.has('handleProductRecommendations') && customerId) {
        return { toolCalls: [{ toolName: 'handleProductRecommendations', input: { customer_id: customerId } }] };
      }
      return this.ask('help');
    }
    const input: RecommendationInput = {};
    if (customerId && (intent === 'recommend' || isPersonal(ctx.t))) input.customer_id = customerId;
    if (e.query) input.query = e.query;
    if (e.category) input.category = e.category;
    if (e.brand) input.brand = e.brand;
    if (e.maxPrice !== undefined) input.max_price = e.maxPrice;
    return { toolCalls: [{ toolName: 'getProductRecommendations', input: { ...input } }] };
  }

  planEscalation(): Plan | null {
    const { e, ctx } = this;
    if (!this.has('handleSupportEscalation')) return this.has('connectToSupport') ? this.planConnect() : this.ask('help');
    const t = ctx.t;
    const category: NonNullable<EscalationInput['category']> =
      /\b(refund|money back|return|returns|reembolso|devolucion|devolver|devuelvo|mi dinero|cancel|cancelar|chargeback)\b/.test(t)
        ? 'refund'
        : /\b(damaged?|broken|broke|torn|tear|ripped|rip|scratch\w*|dent\w*|stain\w*|defect\w*|crack\w*|wobbly|sagging|faulty|missing|wrong|danad\w*|rot[oa]s?|rayad\w*|manchad\w*|defectuos\w*|quebrad\w*|rasgad\w*|rajad\w*|pata rota|no funciona|incomplet\w*|equivocad\w*)\b/.test(t)
          ? 'damaged_item'
          : /\b(deliver\w*|arrive\w*|arrival|show(?:ed)? up|reschedule|late|entrega|llego|reprogramar|cambiar la fecha)\b/.test(t)
            ? 'delivery'
            : /\b(complain\w*|unacceptable|unhappy|disappointed|terrible|awful|worst|horrible|rude|frustrat\w*|ridiculous|nobody|queja|reclamo|reclamacion|inaceptable|molest\w*|pesim\w*)\b/.test(t)
              ? 'complaint'
              : 'other';
    const priority: NonNullable<EscalationInput['priority']> =
      /\b(urgent|urgently|asap|emergency|immediately|injur\w*|hurt|unsafe|danger\w*|fire|lawyer|attorney|urgente|emergencia|peligro\w*|herid\w*|abogado|demanda)\b/.test(t)
        ? 'urgent'
        : category === 'damaged_item' || category === 'refund' || /\b(third time|again|still|nobody|unacceptable|furious|angry|tercera vez|otra vez|inaceptable)\b/.test(t)
          ? 'high'
          : 'normal';
    const input: EscalationInput = { issue: ctx.userText.trim().slice(0, 2000), category, priority };
    const customerId = this.knownCustomerId();
    if (customerId) input.customer_id = customerId;
    if (e.orderId) input.order_id = e.orderId;
    else if (e.ordinal !== undefined) {
      const list = latestOrderList(ctx.results, customerId);
      const order = list ? pickByOrdinal(list.orders, e.ordinal) : undefined;
      if (order) input.order_id = order.order_id;
    }
    return { toolCalls: [{ toolName: 'handleSupportEscalation', input: { ...input } }] };
  }

  planConnect(): Plan | null {
    const { e, ctx } = this;
    if (!this.has('connectToSupport')) {
      return this.has('handleSupportEscalation') ? this.planEscalationFromConnect() : this.ask('help');
    }
    const input: ConnectInput = { reason: ctx.userText.trim().slice(0, 500) || 'customer asked for a person' };
    // the visitor's own record (verified, or found from their own phone/email) fills the gaps
    const id = this.knownCustomerId();
    const own = id && (id === ctx.verifiedCustomerId || selfCustomerIds(ctx.results).has(id)) ? knownCustomers(ctx.results).get(id) : undefined;
    const name = e.name ?? own?.name;
    const contact = e.phone ?? e.email ?? (own?.phone ? displayPhone(own.phone) : own?.email);
    if (name) input.name = name;
    if (contact) input.contact = contact;
    if (e.store) input.preferred_store = e.store;
    return { toolCalls: [{ toolName: 'connectToSupport', input: { ...input } }] };
  }

  private planEscalationFromConnect(): Plan {
    const input: EscalationInput = { issue: this.ctx.userText.trim().slice(0, 2000), category: 'other', priority: 'normal' };
    const customerId = this.knownCustomerId();
    if (customerId) input.customer_id = customerId;
    return { toolCalls: [{ toolName: 'handleSupportEscalation', input: { ...input } }] };
  }
}

/**
 * The whole decision of one model step, as a pure function of the prompt and the tools offered:
 * tool calls to make (inputs shaped like the `*Input` interfaces, only tools in `toolNames`), or
 * the text to answer with.
 */
export function planTurn(prompt: LanguageModelV3Prompt, toolNames: readonly string[]): Plan {
  const ctx = readPrompt(prompt);
  const planner = new Planner(ctx, toolNames);
  const answering = ctx.turnResults.length > 0;

  if (!ctx.userText.trim() && !answering) return { text: writeCanned('help', ctx) };

  if (ctx.turnToolSteps < MAX_TOOL_STEPS) {
    const plan = planner.planIntent(planner.intent());
    if (plan && 'toolCalls' in plan) {
      // never repeat a function that already ran in this turn, and only offer tools we were given
      const calls = plan.toolCalls.filter((c) => !ctx.turnCalledTools.has(c.toolName) && planner.has(c.toolName));
      if (calls.length > 0) return { toolCalls: calls };
    } else if (plan && !answering) {
      return plan;
    }
  }
  if (answering) return { text: writeAnswer(ctx) };
  return { text: writeCanned('help', ctx) };
}
