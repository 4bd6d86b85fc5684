// The offline model, driven through the AI SDK (generateText / streamText with real tool
// execution and stepCountIs(5)), with fake tools that return ToolResult values shaped like the
// real ones (src/chat/tools/types.ts).
import { generateText, stepCountIs, streamText, tool, type ModelMessage, type ToolSet } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import type { Customer, Order, Product } from '../loft/types.ts';
import type {
  AnalyticsData,
  CrossSellData,
  DirectionsData,
  JourneyData,
  LoyaltyData,
  OrderDetailsData,
  OrderListData,
  PurchasePatternsData,
  RecommendationsData,
  SupportConnectionData,
  SupportTicketData,
  ToolDataMap,
  ToolName,
  ToolResult,
} from './tools/types.ts';
import { chunkText, createOfflineModel, planTurn } from './offline-model.ts';
import {
  extractPhone,
  findCustomerId,
  findMaxPrice,
  findOrderId,
  findOrdinal,
  findStore,
  normalize,
} from './offline-model/entities.ts';

// ---- canned data ----

const ann: Customer = {
  customer_id: 'C100234',
  first_name: 'Ann',
  last_name: 'Lee',
  name: 'Ann Lee',
  email: 'ann@x.com',
  phone: '+14045550142',
  address: { line1: '12 Peachtree St', city: 'Marietta', state: 'GA', zipcode: '30060' },
};

const orders: Order[] = [
  { order_id: 'SO-2025-000003', status: 'S', status_label: 'Shipped / scheduled', order_date: '2025-02-20', delivery_date: '2025-03-04', total: 1429.98 },
  { order_id: 'SO-2024-000002', status: 'F', status_label: 'Finalized', order_date: '2024-06-11', delivery_date: '2024-06-20', total: 1029.98 },
  { order_id: 'SO-2023-000001', status: 'C', status_label: 'Cancelled', order_date: '2023-01-05', delivery_date: null, total: 499.99 },
];

const details = (orderId: string): OrderDetailsData => ({
  order_id: orderId,
  lines: [
    { product_id: 'SOF-1001', description: 'BRENNAN SOFA', quantity: 1, unit_price: 899.99, line_total: 899.99, is_benefit_plan: false },
    { product_id: 'BP-5YR', description: '5 YEAR BENEFIT PLAN', quantity: 1, unit_price: 129.99, line_total: 129.99, is_benefit_plan: true },
  ],
  items_total: 899.99,
  benefit_plan_total: 129.99,
  order: orders.find((o) => o.order_id === orderId),
});

const sofa: Product = {
  sku: 'SOF-1001',
  name: 'Brennan Sofa',
  category: 'sofas',
  brand: 'Ashley',
  price: 899.99,
  stock: 12,
  image: '/assets/products/sofas.svg',
  description: 'Deep seats.',
  featured: true,
  pairs_with: ['coffee_tables'],
};

const patterns: PurchasePatternsData = {
  customer_id: 'C100234',
  order_count: 2,
  total_spent: 2459.96,
  average_order: 1229.98,
  first_order_date: '2024-06-11',
  last_order_date: '2025-02-20',
  categories: [{ category: 'sofas', items: 2, spent: 1799.98 }],
  benefit_plans_bought: 2,
  high_value: true,
};

const journey: JourneyData = {
  customer: ann,
  orders,
  recent_order_details: [details('SO-2025-000003')],
  timeline: [
    { date: '2023-01-05', kind: 'first_order', order_id: 'SO-2023-000001', label: 'First order', amount: 499.99 },
    { date: '2025-02-20', kind: 'order', order_id: 'SO-2025-000003', label: 'Order placed', amount: 1429.98 },
  ],
};

const canton = {
  id: 'canton',
  name: 'Woodstock Outlet – Canton',
  city: 'Canton',
  address: '1870 Cumming Hwy',
  state: 'GA' as const,
  zipcode: '30114',
  phone: '770-555-0130',
  hours: [
    { days: 'Monday–Saturday', open: '10:00 AM – 8:00 PM' },
    { days: 'Sunday', open: '12:00 PM – 6:00 PM' },
  ],
  maps_url: 'https://www.google.com/maps/search/?api=1&query=canton',
  lat: 34.2,
  lng: -84.5,
};

const ok = <T,>(data: T): ToolResult<T> => ({ ok: true, data });

type Handlers = { [K in ToolName]: (input: Record<string, unknown>) => ToolResult<ToolDataMap[K]> };

const defaultHandlers: Handlers = {
  getCustomerByPhone: () => ok(ann),
  getCustomerByEmail: () => ok(ann),
  getOrdersByCustomer: (i) => ok<OrderListData>({ customer_id: String(i.customer_id), orders }),
  getDetailsByOrder: (i) => ok(details(String(i.order_id))),
  analyzeCustomerPatterns: () => ok(patterns),
  getProductRecommendations: () => ok<RecommendationsData>({ reason: 'In-stock sofas under $1,200', products: [sofa] }),
  handleOrderConfirmationAndCrossSell: () =>
    ok<CrossSellData>({ customer_id: 'C100234', order: orders[0]!, order_lines: details('SO-2025-000003').lines, suggestions: [sofa], message: 'ok' }),
  handleSupportEscalation: (i) =>
    ok<SupportTicketData>({
      ticket_id: 'T-48213',
      issue: String(i.issue),
      category: String(i.category ?? 'other'),
      priority: (i.priority as SupportTicketData['priority']) ?? 'normal',
      status: 'pending_human',
      created_at: '2025-03-01T10:00:00Z',
      next_steps: 'A person will reply here.',
    }),
  handleLoyaltyUpgrade: () =>
    ok<LoyaltyData>({ customer_id: 'C100234', lifetime_spend: 2459.96, tier: 'Silver', next_tier: 'Gold', amount_to_next_tier: 540.04, benefits: ['Free delivery on orders over $999'], upgraded: false }),
  handleProductRecommendations: () => ok<RecommendationsData>({ customer_id: 'C100234', reason: 'Pieces that go with your sofa', products: [sofa] }),
  getCustomerJourney: () => ok(journey),
  getCustomerAnalytics: () => ok<AnalyticsData>({ customer: ann, patterns, journey, loyalty_tier: 'Silver', insights: ['Buys living-room pieces'] }),
  connectToSupport: (i) =>
    ok<SupportConnectionData>({ ticket_id: 'T-50001', status: 'pending_human', message: 'Connecting you', created_at: '2025-03-01T10:00:00Z', preferred_store: i.preferred_store as string | undefined }),
  showDirections: (i) => ok<DirectionsData>({ showrooms: [canton], matched: !!i.store }),
};

const customerId = z.object({ customer_id: z.string() });
const schemas: Record<ToolName, z.ZodType> = {
  getCustomerByPhone: z.object({ phone: z.string() }),
  getCustomerByEmail: z.object({ email: z.string() }),
  getOrdersByCustomer: customerId,
  getDetailsByOrder: z.object({ order_id: z.string() }),
  analyzeCustomerPatterns: customerId,
  getProductRecommendations: z.object({
    customer_id: z.string().optional(),
    query: z.string().optional(),
    category: z.string().optional(),
    brand: z.string().optional(),
    max_price: z.number().optional(),
  }),
  handleOrderConfirmationAndCrossSell: z.object({ customer_id: z.string(), order_id: z.string().optional() }),
  handleSupportEscalation: z.object({
    issue: z.string(),
    customer_id: z.string().optional(),
    order_id: z.string().optional(),
    category: z.enum(['damaged_item', 'refund', 'complaint', 'delivery', 'other']).optional(),
    priority: z.enum(['urgent', 'high', 'normal', 'low']).optional(),
  }),
  handleLoyaltyUpgrade: customerId,
  handleProductRecommendations: customerId,
  getCustomerJourney: customerId,
  getCustomerAnalytics: customerId,
  connectToSupport: z.object({ name: z.string().optional(), contact: z.string().optional(), preferred_store: z.string().optional(), reason: z.string().optional() }),
  showDirections: z.object({ store: z.string().optional() }),
};

function fakeTools(overrides: Partial<Handlers> = {}) {
  const calls: { name: ToolName; input: Record<string, unknown> }[] = [];
  const handlers = { ...defaultHandlers, ...overrides } as Handlers;
  const tools: ToolSet = {};
  for (const name of Object.keys(schemas) as ToolName[]) {
    tools[name] = tool({
      description: name,
      inputSchema: schemas[name] as z.ZodType<Record<string, unknown>>,
      execute: async (input: Record<string, unknown>) => {
        calls.push({ name, input });
        return handlers[name](input);
      },
    });
  }
  return { tools, calls };
}

const model = createOfflineModel();
const VERIFIED = 'You are the Woodstock Outlet assistant.\nVerified customer: customer_id=C100234\n';

async function turn(history: ModelMessage[], text: string, opts: { system?: string; overrides?: Partial<Handlers> } = {}) {
  const { tools, calls } = fakeTools(opts.overrides);
  const messages: ModelMessage[] = [...history, { role: 'user', content: text }];
  const result = await generateText({ model, tools, system: opts.system, messages, stopWhen: stepCountIs(5) });
  return { result, calls, history: [...messages, ...result.response.messages] };
}

// ---- multi-step conversations ----

describe('offline model through the AI SDK', () => {
  it('phone → customer card → "show me their orders" → "details of the second one"', async () => {
    const t1 = await turn([], 'Find customer with phone 404-555-0142');
    expect(t1.calls).toEqual([{ name: 'getCustomerByPhone', input: { phone: '404-555-0142' } }]);
    expect(t1.result.steps).toHaveLength(2);
    expect(t1.result.text).toContain('**Ann Lee** (customer C100234) in Marietta, GA');
    expect(t1.result.text).toMatch(/pull up their orders\?/);

    const t2 = await turn(t1.history, 'show me their orders');
    expect(t2.calls).toEqual([{ name: 'getOrdersByCustomer', input: { customer_id: 'C100234' } }]);
    expect(t2.result.text).toContain('**Ann Lee** has 3 orders');
    expect(t2.result.text).toContain('The most recent, **SO-2025-000003**, is shipped / scheduled for delivery on Mar 4, 2025');

    const t3 = await turn(t2.history, 'details of the second one');
    expect(t3.calls).toEqual([{ name: 'getDetailsByOrder', input: { order_id: 'SO-2024-000002' } }]);
    expect(t3.result.text).toContain('Order **SO-2024-000002**');
    expect(t3.result.text).toContain('1 × Brennan Sofa — $899.99');
    expect(t3.result.text).toMatch(/5 Year Benefit Plan — protection plan — \$129\.99/);

    const t4 = await turn(t3.history, 'and the last one?');
    expect(t4.calls).toEqual([{ name: 'getDetailsByOrder', input: { order_id: 'SO-2023-000001' } }]);
  });

  it('a phone and an orders intent in one message: lookup first, then the orders (multi-step)', async () => {
    const { result, calls } = await turn([], 'orders for (404) 555-0142');
    expect(calls.map((c) => c.name)).toEqual(['getCustomerByPhone', 'getOrdersByCustomer']);
    expect(calls[1]!.input).toEqual({ customer_id: 'C100234' });
    expect(result.steps.map((s) => s.finishReason)).toEqual(['tool-calls', 'tool-calls', 'stop']);
    expect(result.text).toContain('I found **Ann Lee** (customer C100234)');
    expect(result.text).not.toMatch(/pull up their orders/); // the offer only ends the last paragraph
    expect(result.text).toContain('3 orders');
  });

  it('uses the verified identity of the system prompt, fetching the order list before "my latest order"', async () => {
    const { result, calls } = await turn([], 'what was in my latest order?', { system: VERIFIED });
    expect(calls).toEqual([
      { name: 'getOrdersByCustomer', input: { customer_id: 'C100234' } },
      { name: 'getDetailsByOrder', input: { order_id: 'SO-2025-000003' } },
    ]);
    expect(result.text).toContain('Order **SO-2025-000003**');
    expect(result.text).not.toContain('You have 3 orders'); // the list was only a stepping stone
  });

  it('"yes" after the offer pulls up the orders', async () => {
    const t1 = await turn([], 'Hi, my phone number is 404.555.0142');
    expect(t1.result.text).toContain('Thanks, Ann! I found your account (customer C100234)');
    const t2 = await turn(t1.history, 'yes please');
    expect(t2.calls).toEqual([{ name: 'getOrdersByCustomer', input: { customer_id: 'C100234' } }]);
    expect(t2.result.text).toContain('You have 3 orders');
  });

  it('"the second one" after a product list describes that product; "is it confirmed?" uses the order just shown', async () => {
    const two: Product = { ...sofa, sku: 'SOF-1002', name: 'Harbor Loveseat', price: 749.99, stock: 0 };
    const t1 = await turn([], 'show me some sofas', { overrides: { getProductRecommendations: () => ok<RecommendationsData>({ reason: 'Sofas', products: [sofa, two] }) } });
    expect(t1.calls).toEqual([{ name: 'getProductRecommendations', input: { category: 'sofas' } }]);
    const t2 = await turn(t1.history, 'the second one');
    expect(t2.calls).toEqual([]);
    expect(t2.result.text).toMatch(/\*\*Harbor Loveseat\*\* \(Ashley\) — \$749\.99, currently out of stock/);

    const t3 = await turn([], 'order SO-2024-000002', { system: VERIFIED });
    const t4 = await turn(t3.history, 'is it confirmed?', { system: VERIFIED });
    expect(t4.calls).toEqual([{ name: 'handleOrderConfirmationAndCrossSell', input: { customer_id: 'C100234', order_id: 'SO-2024-000002' } }]);
  });

  it('connectToSupport carries the name, contact and store, from the text or the visitor\'s own record', async () => {
    const t1 = await turn([], 'Hi, my phone number is 404-555-0142');
    const t2 = await turn(t1.history, 'can I speak with someone at the Acworth store?');
    expect(t2.calls).toEqual([
      { name: 'connectToSupport', input: { reason: 'can I speak with someone at the Acworth store?', name: 'Ann Lee', contact: '404-555-0142', preferred_store: 'Acworth' } },
    ]);
    expect(t2.result.text).toMatch(/noted the Acworth showroom\. A person will reply right here/);
  });

  it('never repeats a call that already has a result in this turn', async () => {
    const down = () => ({ ok: false as const, error: 'loft_unavailable' as const, message: 'timeout' });
    const { result, calls } = await turn([], 'my orders please', { system: VERIFIED, overrides: { getOrdersByCustomer: down } });
    expect(calls).toHaveLength(1);
    expect(result.steps).toHaveLength(2);
    expect(result.text).toMatch(/order system isn't answering right now.*try again.*person/);
  });

  it('reads history stored with the legacy markers', async () => {
    const legacy: ModelMessage[] = [
      { role: 'user', content: 'my number is 404-555-0142' },
      {
        role: 'assistant',
        content: `<div class="customer-card"><h3>Ann Lee</h3></div>\n\n**Function Result (getCustomerByPhone):** {"entry":[{"customerid":"C100234","firstname":"Ann","lastname":"Lee","email":"ann@x.com"}]}`,
      },
    ];
    const { calls } = await turn(legacy, 'show me my orders');
    expect(calls).toEqual([{ name: 'getOrdersByCustomer', input: { customer_id: 'C100234' } }]);
  });
});

// ---- the 14 intents ----

const english: [string, ToolName, Record<string, unknown>][] = [
  ['Find customer with phone 404-555-0142', 'getCustomerByPhone', { phone: '404-555-0142' }],
  ['my email is ann@x.com', 'getCustomerByEmail', { email: 'ann@x.com' }],
  ['show me my orders', 'getOrdersByCustomer', { customer_id: 'C100234' }],
  ['what is in order SO-2024-000002?', 'getDetailsByOrder', { order_id: 'SO-2024-000002' }],
  ['analyze my purchases', 'analyzeCustomerPatterns', { customer_id: 'C100234' }],
  ['recommend a sofa under $1,200', 'getProductRecommendations', { customer_id: 'C100234', category: 'sofas', max_price: 1200 }],
  ['is my order confirmed?', 'handleOrderConfirmationAndCrossSell', { customer_id: 'C100234' }],
  ['my sofa arrived damaged, the leg is broken', 'handleSupportEscalation', { issue: 'my sofa arrived damaged, the leg is broken', category: 'damaged_item', priority: 'high', customer_id: 'C100234' }],
  ['what is my loyalty tier?', 'handleLoyaltyUpgrade', { customer_id: 'C100234' }],
  ['what would you recommend for me?', 'handleProductRecommendations', { customer_id: 'C100234' }],
  ['show me my history with you', 'getCustomerJourney', { customer_id: 'C100234' }],
  ['give me the full analytics overview', 'getCustomerAnalytics', { customer_id: 'C100234' }],
  ['I want to talk to a real person', 'connectToSupport', { reason: 'I want to talk to a real person' }],
  ['directions to the Canton store', 'showDirections', { store: 'Canton' }],
];

const spanish: [string, ToolName, Record<string, unknown>, RegExp][] = [
  ['¿Puede mostrarme mis pedidos?', 'getOrdersByCustomer', { customer_id: 'C100234' }, /Tiene 3 pedidos/],
  ['¿Qué incluye el pedido SO-2024-000002?', 'getDetailsByOrder', { order_id: 'SO-2024-000002' }, /El pedido \*\*SO-2024-000002\*\*.*plan de protección/s],
  ['quiero un reembolso del colchón', 'handleSupportEscalation', { issue: 'quiero un reembolso del colchón', category: 'refund', priority: 'high', customer_id: 'C100234' }, /ticket T-48213, prioridad alta/],
  ['¿tengo puntos?', 'handleLoyaltyUpgrade', { customer_id: 'C100234' }, /miembro \*\*Silver\*\*/],
  ['quiero hablar con una persona', 'connectToSupport', { reason: 'quiero hablar con una persona' }, /Una persona le responderá aquí/],
  ['¿dónde están?', 'showDirections', {}, /Tenemos 1 tiendas|tiendas en Georgia/],
  ['¿Cuál es el horario de la tienda de Canton?', 'showDirections', { store: 'Canton' }, /Horario: lunes a sábado/],
  ['busco colchones Sealy, presupuesto 1200', 'getProductRecommendations', { category: 'mattresses', brand: 'Sealy', max_price: 1200 }, /Estas son algunas opciones/],
  ['analiza mis compras', 'analyzeCustomerPatterns', { customer_id: 'C100234' }, /Ha hecho \*\*2 pedidos\*\*/],
  ['mi historial por favor', 'getCustomerJourney', { customer_id: 'C100234' }, /Su historial con nosotros/],
];

describe('intents', () => {
  it.each(english)('%s → %s', async (text, name, input) => {
    const { result, calls } = await turn([], text, { system: VERIFIED });
    expect(calls[0]).toEqual({ name, input });
    expect(result.text.length).toBeGreaterThan(20);
    expect(result.text).not.toMatch(/[{}<>]/); // no raw JSON, no HTML
  });

  it.each(spanish)('%s → %s (Spanish answer)', async (text, name, input, answer) => {
    const { result, calls } = await turn([], text, { system: VERIFIED });
    expect(calls[0]).toEqual({ name, input });
    expect(result.text).toMatch(answer);
  });

  it('"detalles del primer pedido" picks the first order of the list shown', async () => {
    const t1 = await turn([], 'mis pedidos', { system: VERIFIED });
    const t2 = await turn(t1.history, 'detalles del primer pedido', { system: VERIFIED });
    expect(t2.calls).toEqual([{ name: 'getDetailsByOrder', input: { order_id: 'SO-2025-000003' } }]);
    expect(t2.result.text).toContain('Enviado / programado');
  });

  it('only calls tools the call offers', () => {
    const prompt: LanguageModelV3Prompt = [{ role: 'user', content: [{ type: 'text', text: 'my orders' }] }];
    const plan = planTurn([{ role: 'system', content: VERIFIED }, ...prompt], ['showDirections']);
    expect(plan).toHaveProperty('text');
    const none = planTurn([{ role: 'user', content: [{ type: 'text', text: 'directions to Acworth' }] }], []);
    expect(none).toHaveProperty('text');
  });

  it('asks who the customer is when an account question has no identity', async () => {
    const { result, calls } = await turn([], 'what is my loyalty tier?');
    expect(calls).toEqual([]);
    expect(result.text).toMatch(/phone number or email/);
  });
});

// ---- failures ----

describe('failures', () => {
  it('verification_required: explains, shows no data and does not confirm the customer exists', async () => {
    const denied = () => ({ ok: false as const, error: 'verification_required' as const, message: 'verify first' });
    const { result, calls } = await turn([], 'orders for 404-555-0142', { overrides: { getCustomerByPhone: denied } });
    expect(calls.map((c) => c.name)).toEqual(['getCustomerByPhone']);
    expect(result.text).toMatch(/can't share account details.*until you're verified.*sign in/s);
    expect(result.text).not.toMatch(/Ann|C100234|found|SO-/);
  });

  it('after a refusal, an account question repeats the verification note instead of asking for a number', async () => {
    const denied = () => ({ ok: false as const, error: 'verification_required' as const, message: 'verify first' });
    const t1 = await turn([], 'Find customer with phone 404-555-0142', { overrides: { getCustomerByPhone: denied } });
    const t2 = await turn(t1.history, 'show me their orders');
    expect(t2.calls).toEqual([]);
    expect(t2.result.text).toMatch(/until you're verified/);
  });

  it('verification_required in Spanish', async () => {
    const denied = () => ({ ok: false as const, error: 'verification_required' as const, message: 'verify first' });
    const { result } = await turn([], 'Hola, mi número es 404-555-0142', { overrides: { getCustomerByPhone: denied } });
    expect(result.text).toMatch(/no puedo compartir datos de cuentas/);
  });

  it('not_found suggests checking the number', async () => {
    const missing = () => ({ ok: false as const, error: 'not_found' as const, message: 'no customer' });
    const { result } = await turn([], 'look up 770-555-9999', { overrides: { getCustomerByPhone: missing } });
    expect(result.text).toMatch(/couldn't find an account with the phone number 770-555-9999.*double-check/);
  });

  it('rate_limited apologises and offers a person', async () => {
    const limited = () => ({ ok: false as const, error: 'rate_limited' as const, message: 'slow down' });
    const { result } = await turn([], 'order SO-2024-000002', { overrides: { getDetailsByOrder: limited } });
    expect(result.text).toMatch(/^Sorry — our order system isn't answering right now/);
  });
});

// ---- text replies and streaming ----

describe('text replies and streaming', () => {
  it('unrecognised input gets the help text, in the user language', async () => {
    const en = await turn([], 'blorp zzz');
    expect(en.calls).toEqual([]);
    expect(en.result.text).toMatch(/orders and deliveries.*Products.*showrooms.*Talking to a person/s);
    const es = await turn([], 'no sé qué decir la verdad');
    expect(es.result.text).toMatch(/Sus pedidos y entregas.*Hablar con una persona/s);
  });

  it('streams tool calls, then the answer in several text deltas', async () => {
    const { tools } = fakeTools();
    const result = streamText({ model, tools, system: VERIFIED, prompt: 'show me my orders', stopWhen: stepCountIs(5) });
    const types: string[] = [];
    let deltas = 0;
    for await (const part of result.fullStream) {
      types.push(part.type);
      if (part.type === 'text-delta') deltas++;
    }
    expect(types).toContain('tool-call');
    expect(types).toContain('tool-result');
    expect(deltas).toBeGreaterThanOrEqual(5);
    expect(await result.text).toContain('You have 3 orders');
    const steps = await result.steps;
    expect(steps.map((s) => s.finishReason)).toEqual(['tool-calls', 'stop']);
    expect((await result.totalUsage).outputTokens).toBeGreaterThan(0);
  });

  it('doStream emits stream-start, response-metadata, text parts and a V3 finish', async () => {
    const { stream } = await model.doStream({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'hello there' }] }] });
    const parts = [];
    for await (const p of stream as unknown as AsyncIterable<{ type: string }>) parts.push(p);
    expect(parts[0]).toMatchObject({ type: 'stream-start' });
    expect(parts[1]).toMatchObject({ type: 'response-metadata', modelId: 'woodstock-offline' });
    expect(parts.filter((p) => p.type === 'text-delta').length).toBeGreaterThan(3);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'stop' } });
    expect(model.provider).toBe('woodstock');
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(model.doGenerate({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], abortSignal: controller.signal })).rejects.toBeDefined();
    const slow = createOfflineModel({ chunkDelayMs: 20 });
    const c2 = new AbortController();
    const { stream } = await slow.doStream({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'blorp zzz' }] }], abortSignal: c2.signal });
    const reader = stream.getReader();
    await reader.read();
    c2.abort();
    await expect((async () => { for (;;) { const r = await reader.read(); if (r.done) return 'done'; } })()).rejects.toBeDefined();
  });

  it('chunkText round-trips', () => {
    const text = 'Hello there, this is **Woodstock Outlet**.\n- one\n- two';
    expect(chunkText(text).join('')).toBe(text);
    expect(chunkText(text).length).toBeGreaterThan(2);
  });

  it('a long history still resolves a positional reference', () => {
    const prompt: LanguageModelV3Prompt = [{ role: 'system', content: VERIFIED }];
    for (let i = 0; i < 40; i++) {
      prompt.push({ role: 'user', content: [{ type: 'text', text: `message ${i} about my orders` }] });
      prompt.push({ role: 'assistant', content: [{ type: 'tool-call', toolCallId: `c${i}`, toolName: 'getOrdersByCustomer', input: { customer_id: 'C100234' } }] });
      prompt.push({ role: 'tool', content: [{ type: 'tool-result', toolCallId: `c${i}`, toolName: 'getOrdersByCustomer', output: { type: 'json', value: { ok: true, data: { customer_id: 'C100234', orders } } as never } }] });
      prompt.push({ role: 'assistant', content: [{ type: 'text', text: 'You have 3 orders.' }] });
    }
    prompt.push({ role: 'user', content: [{ type: 'text', text: 'details of the second one' }] });
    const names = Object.keys(schemas);
    // (speed is measured by bench/, not here) the long history still resolves "the second one"
    const plan = planTurn(prompt, names);
    expect('toolCalls' in plan && plan.toolCalls[0]?.toolName).toBe('getDetailsByOrder');
  });
});

// ---- entity patterns ----

describe('entities', () => {
  it.each(['404-555-0142', '(404) 555-0142', '404.555.0142', '404 555 0142', '4045550142', '+1 404 555 0142', '+14045550142', '1-404-555-0142'])('phone %s', (p) => {
    expect(extractPhone(`call me at ${p} please`)).toBe('404-555-0142');
  });

  it('order ids', () => {
    expect(findOrderId('order SO-2024-001234 please')?.value).toBe('SO-2024-001234');
    expect(findOrderId('so-2024-001234')?.value).toBe('SO-2024-001234');
    expect(findOrderId('SO123456')?.value).toBe('SO123456');
    expect(findOrderId('order #123456')?.value).toBe('123456');
    expect(findOrderId('pedido número 98765')?.value).toBe('98765');
    expect(findOrderId('order number: 1234567890')?.value).toBe('1234567890');
    expect(findOrderId('my orders')).toBeUndefined();
    // an order number is never read as a phone
    expect(extractPhone('order 4045550142')).toBeUndefined();
  });

  it('customer ids', () => {
    expect(findCustomerId('customer C100234')?.value).toBe('C100234');
    expect(findCustomerId('customer 100234')?.value).toBe('100234');
    expect(findCustomerId('cliente #100234')?.value).toBe('100234');
    expect(findCustomerId('customer with phone 404-555-0142')).toBeUndefined();
  });

  it('ordinals, stores, prices', () => {
    expect(findOrdinal(normalize('details of the second one'))).toBe(1);
    expect(findOrdinal(normalize('my last order'))).toBe(0);
    expect(findOrdinal(normalize('the last one'))).toBe('last-in-list');
    expect(findOrdinal(normalize('el último'))).toBe('last-in-list');
    expect(findOrdinal(normalize('tercer pedido'))).toBe(2);
    expect(findStore(normalize('Woodstock Outlet in Douglasville'))).toBe('Douglasville');
    expect(findStore(normalize('the Woodstock showroom'))).toBe('Woodstock');
    expect(findMaxPrice(normalize('sofas under $1,000'))).toBe(1000);
    expect(findMaxPrice(normalize('no more than 1.5k'))).toBe(1500);
    expect(findMaxPrice(normalize('menos de 2 mil'))).toBe(2000);
    expect(findMaxPrice(normalize('between 500 and 900'))).toBe(900);
  });
});
