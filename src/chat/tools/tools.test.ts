// The 14 customer functions over an in-memory LOFT: typed results, composition on typed data,
// access rules (personal data only for verified identities) and real hand-offs.
import { describe, expect, it } from 'vitest';
import {
  createMemoryLoftClient,
  createSandboxCatalog,
  showrooms,
  type LoftClient,
  type MemoryLoftData,
} from '../../loft/index.ts';
import { createCustomerTools, executeTool, verificationMessage } from './index.ts';
import type { Access, HandoffRequest, ToolContext, ToolName } from './types.ts';
import { toolNames } from './types.ts';

const data: MemoryLoftData = {
  customers: [
    { customerid: '10042', firstname: 'Dana', lastname: 'Whitfield', email: 'dana@example.com', phonenumber: '404-555-0142', address1: '12 Peachtree Ln', city: 'Canton', state: 'GA', zipcode: '30114' },
    { customerid: '20077', firstname: 'Sam', lastname: 'Ortiz', email: 'sam@example.com', phonenumber: '(770) 555-0199', address1: '4 Oak St', city: 'Acworth', state: 'GA', zipcode: '30101' },
    { customerid: '30001', firstname: 'Lee', lastname: 'Park', email: 'lee@example.com', phonenumber: '678-555-0101', address1: '9 Elm Rd', city: 'Dallas', state: 'GA', zipcode: '30132' },
    { customerid: '40000', firstname: 'New', lastname: 'Customer', email: 'new@example.com', phonenumber: '678-555-0404', address1: '', city: '', state: '', zipcode: '' },
  ],
  orders: {
    '10042': [
      { orderid: '5001', status: 'F', orderdate: '2024-11-02', deliverydate: '2024-11-09', ordertotal: '1,379.98' },
      { orderid: '5003', status: 'C', orderdate: '2024-12-15', deliverydate: null, ordertotal: '489.99' },
      { orderid: '5007', status: 'P', orderdate: '2025-03-04', deliverydate: '2099-03-20', ordertotal: '1829.99' },
      { orderid: '5010', status: 'S', orderdate: '2025-05-01', deliverydate: '2099-05-10', ordertotal: '350.00' },
    ],
    '20077': [{ orderid: '6001', status: 'F', orderdate: '2025-01-10', deliverydate: '2025-01-20', ordertotal: '500.00' }],
    '30001': [{ orderid: '7001', status: 'F', orderdate: '2025-02-01', deliverydate: '2025-02-08', ordertotal: '3200.00' }],
  },
  lines: {
    '5001': [
      { productid: 'SOF-1002', description: 'BRENNAN SLEEPER SOFA', qtyordered: '1', itemprice: '1249.99' },
      { productid: 'BP-5YR', description: '5 YEAR BENEFIT PLAN', qtyordered: '1', itemprice: '129.99' },
    ],
    '5003': [{ productid: 'RUG-1130', description: 'MEDALLION AREA RUG 5X8', qtyordered: '1', itemprice: '489.99' }],
    '5007': [{ productid: 'BED-1062', description: 'AVALON QUEEN BED', qtyordered: '1', itemprice: '1829.99' }],
    // not a catalog sku: the category comes from the description's keywords
    '5010': [{ productid: 'X-77', description: 'HARBOR ACCENT CHAIR IN GREY', qtyordered: '2', itemprice: '175.00' }],
    '6001': [{ productid: 'LAM-9999', description: 'TABLE LAMP', qtyordered: '1', itemprice: '500.00' }],
    '7001': [{ productid: 'SEC-9999', description: 'KINGSLEY RECLINING SECTIONAL', qtyordered: '1', itemprice: '3200.00' }],
  },
};

const staff: Access = { staff: true };
const anonymous: Access = { staff: false };
const asDana: Access = { staff: false, verified: { customer_id: '10042' } };
const asDanaByPhone: Access = { staff: false, verified: { phone: '(404) 555-0142' } };
const asSam: Access = { staff: false, verified: { customer_id: '20077' } };

function setup(access: Access, opts: { latencyMs?: number } = {}) {
  const loft = createMemoryLoftClient(data, opts);
  const handoffs: HandoffRequest[] = [];
  const ctx: ToolContext = {
    loft,
    catalog: createSandboxCatalog(),
    showrooms,
    access,
    conversationId: 'conv-1',
    async requestHandoff(request) {
      handoffs.push(request);
      return { ticket_id: `T-${handoffs.length}`, priority: request.priority, status: 'pending_human', created_at: '2025-03-04T15:00:00.000Z', steps_taken: [] };
    },
  };
  return { ctx, loft, handoffs };
}

const run = <N extends ToolName>(name: N, input: unknown, ctx: ToolContext) => executeTool(name, input, ctx);

describe('getCustomerByPhone / getCustomerByEmail', () => {
  it('returns the customer to staff, whatever the phone shape', async () => {
    const { ctx } = setup(staff);
    const r = await run('getCustomerByPhone', { phone: '+1 (404) 555-0142' }, ctx);
    expect(r).toEqual({
      ok: true,
      data: expect.objectContaining({ customer_id: '10042', name: 'Dana Whitfield', phone: '+14045550142', email: 'dana@example.com' }),
    });
  });

  it('returns the verified owner their own record (by id or by verified phone)', async () => {
    expect(await run('getCustomerByPhone', { phone: '404-555-0142' }, setup(asDana).ctx)).toMatchObject({ ok: true, data: { customer_id: '10042' } });
    expect(await run('getCustomerByEmail', { email: 'DANA@example.com' }, setup(asDanaByPhone).ctx)).toMatchObject({ ok: true, data: { customer_id: '10042' } });
  });

  it('gives an unverified visitor nothing and does not even ask LOFT', async () => {
    const { ctx, loft } = setup(anonymous);
    const r = await run('getCustomerByPhone', { phone: '404-555-0142' }, ctx);
    expect(r).toEqual({ ok: false, error: 'verification_required', message: verificationMessage });
    expect(loft.calls).toHaveLength(0);
    expect(verificationMessage).toMatch(/sign in on woodstockoutlet\.com/);
  });

  it("never shows another customer's record, and answers the same whether the number exists or not", async () => {
    const { ctx } = setup(asSam);
    const existing = await run('getCustomerByPhone', { phone: '404-555-0142' }, ctx);
    const missing = await run('getCustomerByPhone', { phone: '404-555-0000' }, ctx);
    const email = await run('getCustomerByEmail', { email: 'dana@example.com' }, ctx);
    expect(existing).toEqual({ ok: false, error: 'verification_required', message: verificationMessage });
    expect(missing).toEqual(existing);
    expect(email).toEqual(existing);
  });

  it('says not_found to staff, and invalid_input for a non-phone', async () => {
    const { ctx } = setup(staff);
    expect(await run('getCustomerByPhone', { phone: '404-555-0000' }, ctx)).toMatchObject({ ok: false, error: 'not_found' });
    expect(await run('getCustomerByPhone', { phone: '555' }, ctx)).toMatchObject({ ok: false, error: 'invalid_input' });
    expect(await run('getCustomerByEmail', { email: 'not-an-email' }, ctx)).toMatchObject({ ok: false, error: 'invalid_input' });
  });
});

describe('getOrdersByCustomer / getDetailsByOrder', () => {
  it('lists orders newest first', async () => {
    const r = await run('getOrdersByCustomer', { customer_id: '10042' }, setup(asDana).ctx);
    expect(r.ok && r.data.orders.map((o) => o.order_id)).toEqual(['5010', '5007', '5003', '5001']);
    expect(r).toMatchObject({ ok: true, data: { customer_id: '10042' } });
  });

  it('accepts a numeric id from the model, and returns an empty list for a customer without orders', async () => {
    const r = await run('getOrdersByCustomer', { customer_id: 40000 }, setup(staff).ctx);
    expect(r).toEqual({ ok: true, data: { customer_id: '40000', orders: [] } });
  });

  it("refuses another customer's orders without calling LOFT for them", async () => {
    const { ctx, loft } = setup(asSam);
    expect(await run('getOrdersByCustomer', { customer_id: '10042' }, ctx)).toMatchObject({ ok: false, error: 'verification_required' });
    expect(loft.calls.filter((c) => c.arg === '10042')).toHaveLength(0);
  });

  it('shows an own order with its header, and flags benefit plans', async () => {
    const r = await run('getDetailsByOrder', { order_id: '#5001' }, setup(asDana).ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.order).toMatchObject({ order_id: '5001', status: 'F' });
    expect(r.data.items_total).toBe(1249.99);
    expect(r.data.benefit_plan_total).toBe(129.99);
    expect(r.data.lines.map((l) => l.is_benefit_plan)).toEqual([false, true]);
  });

  it("refuses an order that is not the verified customer's, and anonymous callers", async () => {
    expect(await run('getDetailsByOrder', { order_id: '6001' }, setup(asDana).ctx)).toMatchObject({ ok: false, error: 'verification_required' });
    const { ctx, loft } = setup(anonymous);
    expect(await run('getDetailsByOrder', { order_id: '5001' }, ctx)).toMatchObject({ ok: false, error: 'verification_required' });
    expect(loft.calls).toHaveLength(0);
  });

  it('gives staff any order (without the header LOFT cannot look up by order)', async () => {
    const r = await run('getDetailsByOrder', { order_id: '6001' }, setup(staff).ctx);
    expect(r).toMatchObject({ ok: true, data: { order_id: '6001', items_total: 500 } });
    expect(r.ok && r.data.order).toBeUndefined();
  });

  it('passes a LOFT outage on as a result the model can explain', async () => {
    const { ctx, loft } = setup(staff);
    loft.failWith('loft_unavailable');
    const r = await run('getOrdersByCustomer', { customer_id: '10042' }, ctx);
    expect(r).toMatchObject({ ok: false, error: 'loft_unavailable' });
    expect(!r.ok && r.message).toMatch(/isn't answering/);
  });
});

describe('analyzeCustomerPatterns', () => {
  it('computes spend, categories and flags from orders and lines, cancelled orders excluded', async () => {
    const { ctx, loft } = setup(asDana);
    const r = await run('analyzeCustomerPatterns', { customer_id: '10042' }, ctx);
    expect(r).toEqual({
      ok: true,
      data: {
        customer_id: '10042',
        order_count: 3,
        total_spent: 3559.97,
        average_order: 1186.66,
        first_order_date: '2024-11-02',
        last_order_date: '2025-05-01',
        categories: [
          { category: 'beds', items: 1, spent: 1829.99 },
          { category: 'sofas', items: 1, spent: 1249.99 },
          { category: 'chairs', items: 2, spent: 350 },
        ],
        benefit_plans_bought: 1,
        high_value: true,
      },
    });
    const detailCalls = loft.calls.filter((c) => c.call === 'GetDetailsByOrder').map((c) => c.arg).sort();
    expect(detailCalls).toEqual(['5001', '5007', '5010']);
  });

  it('reads the order lines in parallel', async () => {
    const { ctx } = setup(staff, { latencyMs: 40 });
    let inFlight = 0;
    let maxInFlight = 0;
    const base = ctx.loft;
    const counting: LoftClient = {
      ...base,
      getCustomerByPhone: base.getCustomerByPhone,
      getCustomerByEmail: base.getCustomerByEmail,
      getOrdersByCustomer: base.getOrdersByCustomer,
      async getDetailsByOrder(id) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await base.getDetailsByOrder(id);
        } finally {
          inFlight--;
        }
      },
    };
    const r = await run('analyzeCustomerPatterns', { customer_id: '10042' }, { ...ctx, loft: counting });
    expect(r.ok).toBe(true);
    expect(maxInFlight).toBe(3);
  });

  it('is not high value at or under $1,500', async () => {
    const r = await run('analyzeCustomerPatterns', { customer_id: '20077' }, setup(staff).ctx);
    expect(r).toMatchObject({ ok: true, data: { total_spent: 500, high_value: false, categories: [{ category: 'lamps', items: 1, spent: 500 }] } });
  });
});

describe('recommendations', () => {
  it('searches the catalog for anyone, in stock and within budget', async () => {
    const { ctx, loft } = setup(anonymous);
    const r = await run('getProductRecommendations', { query: 'a sofa', max_price: 1000 }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.products.length).toBeGreaterThan(0);
    for (const p of r.data.products) {
      expect(p.category).toBe('sofas');
      expect(p.price).toBeLessThanOrEqual(1000);
      expect(p.stock).toBeGreaterThan(0);
    }
    expect(r.data.reason).toMatch(/sofa/);
    expect(r.data.customer_id).toBeUndefined();
    expect(loft.calls).toHaveLength(0);
  });

  it('suggests complementary in-stock products, never ones already bought', async () => {
    const r = await run('getProductRecommendations', { customer_id: '10042' }, setup(staff).ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const skus = r.data.products.map((p) => p.sku);
    expect(skus).not.toContain('SOF-1002');
    expect(skus).not.toContain('BED-1062');
    expect(r.data.products.every((p) => p.stock > 0)).toBe(true);
    // beds pair with mattresses, nightstands and dressers; sofas with coffee tables, rugs, lamps, recliners
    const cats = new Set(r.data.products.map((p) => p.category));
    expect([...cats].some((c) => ['mattresses', 'nightstands', 'dressers', 'coffee_tables', 'rugs', 'lamps'].includes(c))).toBe(true);
    expect(r.data.reason).toMatch(/^Because you bought/);
  });

  it("needs verification to use someone's history", async () => {
    expect(await run('getProductRecommendations', { customer_id: '10042', query: 'rug' }, setup(asSam).ctx)).toMatchObject({ ok: false, error: 'verification_required' });
  });

  it("handleProductRecommendations uses the verified visitor's own account by default", async () => {
    const r = await run('handleProductRecommendations', {}, setup(asDanaByPhone).ctx);
    expect(r).toMatchObject({ ok: true, data: { customer_id: '10042' } });
    expect(await run('handleProductRecommendations', {}, setup(anonymous).ctx)).toMatchObject({ ok: false, error: 'verification_required' });
    expect(await run('handleProductRecommendations', {}, setup(staff).ctx)).toMatchObject({ ok: false, error: 'invalid_input' });
  });

  it('narrows personalised picks by category', async () => {
    const r = await run('handleProductRecommendations', { customer_id: '10042', category: 'Nightstands' }, setup(asDana).ctx);
    expect(r.ok && r.data.products.every((p) => p.category === 'nightstands')).toBe(true);
  });
});

describe('handleOrderConfirmationAndCrossSell', () => {
  it("confirms the most recent active order and suggests 3 complementary items", async () => {
    const r = await run('handleOrderConfirmationAndCrossSell', { customer_id: '10042' }, setup(asDana).ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.order.order_id).toBe('5010');
    expect(r.data.order_lines).toHaveLength(1);
    expect(r.data.suggestions).toHaveLength(3);
    expect(r.data.suggestions.every((p) => p.stock > 0)).toBe(true);
    expect(r.data.message).toMatch(/Order #5010 .* is shipped \/ scheduled, with delivery on May 10, 2099/);
  });

  it('confirms a given order, leaving out what is in it', async () => {
    const r = await run('handleOrderConfirmationAndCrossSell', { customer_id: '10042', order_id: '5001' }, setup(asDana).ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.suggestions.map((p) => p.sku)).not.toContain('SOF-1002');
    expect(r.data.suggestions.every((p) => ['coffee_tables', 'rugs', 'lamps', 'recliners'].includes(p.category))).toBe(true);
  });

  it("does not confirm an order from another account", async () => {
    expect(await run('handleOrderConfirmationAndCrossSell', { customer_id: '10042', order_id: '6001' }, setup(staff).ctx)).toMatchObject({ ok: false, error: 'not_found' });
  });
});

describe('handleLoyaltyUpgrade', () => {
  it('puts lifetime spend into tiers (Bronze < $1,000 ≤ Silver < $3,000 ≤ Gold < $7,500 ≤ Platinum)', async () => {
    const { ctx, loft } = setup(staff);
    expect(await run('handleLoyaltyUpgrade', { customer_id: '10042' }, ctx)).toMatchObject({
      ok: true,
      data: { tier: 'Gold', lifetime_spend: 3559.97, next_tier: 'Platinum', amount_to_next_tier: 3940.03, upgraded: true },
    });
    expect(await run('handleLoyaltyUpgrade', { customer_id: '20077' }, ctx)).toMatchObject({
      ok: true,
      data: { tier: 'Bronze', next_tier: 'Silver', amount_to_next_tier: 500, upgraded: false },
    });
    // spend comes from order totals: no order lines are read
    expect(loft.calls.some((c) => c.call === 'GetDetailsByOrder')).toBe(false);
  });

  it('lists the benefits of every tier up to the current one', async () => {
    const r = await run('handleLoyaltyUpgrade', { customer_id: '30001' }, setup(staff).ctx);
    expect(r.ok && r.data.tier).toBe('Gold');
    expect(r.ok && r.data.benefits.length).toBe(6);
  });
});

describe('getCustomerJourney / getCustomerAnalytics', () => {
  it('builds a timeline, oldest first, with the latest orders in full', async () => {
    const r = await run('getCustomerJourney', { customer_id: '10042' }, setup(asDanaByPhone).ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.customer.name).toBe('Dana Whitfield');
    expect(r.data.timeline.map((e) => [e.kind, e.order_id])).toEqual([
      ['first_order', '5001'],
      ['delivery', '5001'],
      ['cancelled', '5003'],
      ['order', '5007'],
      ['order', '5010'],
      ['delivery', '5007'],
      ['delivery', '5010'],
    ]);
    expect(r.data.timeline[1]!.label).toBe('Order #5001 delivered');
    expect(r.data.timeline[5]!.label).toBe('Order #5007 delivery scheduled');
    expect(r.data.recent_order_details.map((d) => d.order_id)).toEqual(['5010', '5007', '5001']);
  });

  it('uses the customer record a staff look-up just fetched', async () => {
    const { ctx } = setup(staff);
    await run('getCustomerByEmail', { email: 'sam@example.com' }, ctx);
    const r = await run('getCustomerJourney', { customer_id: '20077' }, ctx);
    expect(r.ok && r.data.customer.name).toBe('Sam Ortiz');
  });

  it('composes patterns, journey and loyalty from one load', async () => {
    const { ctx, loft } = setup(asDana);
    const patterns = await run('analyzeCustomerPatterns', { customer_id: '10042' }, setup(asDana).ctx);
    const r = await run('getCustomerAnalytics', { customer_id: '10042' }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok || !patterns.ok) return;
    expect(r.data.patterns).toEqual(patterns.data);
    expect(r.data.loyalty_tier).toBe('Gold');
    expect(r.data.journey.timeline).toHaveLength(7);
    expect(r.data.insights.join(' ')).toMatch(/Gold member/);
    expect(r.data.insights.join(' ')).toMatch(/in progress: #5010/);
    // each LOFT read once
    const keys = loft.calls.map((c) => `${c.call}:${c.arg}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('refuses both to anyone but the owner', async () => {
    expect(await run('getCustomerJourney', { customer_id: '10042' }, setup(asSam).ctx)).toMatchObject({ ok: false, error: 'verification_required' });
    expect(await run('getCustomerAnalytics', { customer_id: '10042' }, setup(anonymous).ctx)).toMatchObject({ ok: false, error: 'verification_required' });
  });
});

describe('every personal-data function refuses an unverified visitor', () => {
  const personal: [ToolName, unknown][] = [
    ['getCustomerByPhone', { phone: '404-555-0142' }],
    ['getCustomerByEmail', { email: 'dana@example.com' }],
    ['getOrdersByCustomer', { customer_id: '10042' }],
    ['getDetailsByOrder', { order_id: '5001' }],
    ['analyzeCustomerPatterns', { customer_id: '10042' }],
    ['getProductRecommendations', { customer_id: '10042' }],
    ['handleOrderConfirmationAndCrossSell', { customer_id: '10042' }],
    ['handleLoyaltyUpgrade', { customer_id: '10042' }],
    ['handleProductRecommendations', { customer_id: '10042' }],
    ['getCustomerJourney', { customer_id: '10042' }],
    ['getCustomerAnalytics', { customer_id: '10042' }],
  ];
  it.each(personal)('%s', async (name, input) => {
    const { ctx, loft } = setup(anonymous);
    const r = await run(name, input, ctx);
    expect(r).toEqual({ ok: false, error: 'verification_required', message: verificationMessage });
    expect(loft.calls).toHaveLength(0);
  });
});

describe('handleSupportEscalation', () => {
  it.each([
    ['The sofa arrived damaged, one leg is broken', 'damaged_item', 'high'],
    ['I want a refund for my order', 'refund', 'high'],
    ['The dresser tipped over, my son has an injury', 'damaged_item', 'urgent'],
    ['This is urgent: nobody called me back', 'other', 'urgent'],
    ['My delivery is late', 'delivery', 'normal'],
  ])('%s → %s, %s', async (issue, category, priority) => {
    const { ctx, handoffs } = setup(anonymous);
    const r = await run('handleSupportEscalation', { issue }, ctx);
    expect(r).toMatchObject({ ok: true, data: { category, priority, status: 'pending_human', ticket_id: 'T-1', issue } });
    expect(handoffs).toEqual([expect.objectContaining({ kind: 'escalation', priority, category })]);
  });

  it("keeps the model's explicit priority and category", async () => {
    const { ctx, handoffs } = setup(anonymous);
    await run('handleSupportEscalation', { issue: 'Broken table', priority: 'low', category: 'complaint' }, ctx);
    expect(handoffs[0]).toMatchObject({ priority: 'low', category: 'complaint' });
  });

  it('does not attach or echo an unverified customer id', async () => {
    const { ctx, handoffs } = setup(anonymous);
    const r = await run('handleSupportEscalation', { issue: 'Scratched table', customer_id: '10042', order_id: '5001' }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.customer_id).toBeUndefined();
    expect(r.data.order_id).toBeUndefined();
    expect(JSON.stringify(r.data)).not.toMatch(/Dana|Whitfield|Peachtree/);
    expect(handoffs[0]!.customer_id).toBeUndefined();
    expect(handoffs[0]!.summary).toMatch(/not verified: customer id 10042, order #5001/);
  });

  it("attaches a verified customer's ids", async () => {
    const { ctx, handoffs } = setup(asDana);
    const r = await run('handleSupportEscalation', { issue: 'Scratched sofa', order_id: '5001' }, ctx);
    expect(r).toMatchObject({ ok: true, data: { customer_id: '10042', order_id: '5001', priority: 'high' } });
    expect(handoffs[0]).toMatchObject({ customer_id: '10042', order_id: '5001' });
  });

  it('still hands off when LOFT is down', async () => {
    const { ctx, loft, handoffs } = setup(asDanaByPhone);
    loft.failWith('loft_unavailable');
    const r = await run('handleSupportEscalation', { issue: 'Broken bed frame', order_id: '5007' }, ctx);
    expect(r).toMatchObject({ ok: true, data: { priority: 'high' } });
    expect(handoffs).toHaveLength(1);
  });
});

describe('connectToSupport', () => {
  it('hands the chat to a person with normalised contact and store', async () => {
    const { ctx, handoffs } = setup(anonymous);
    const r = await run('connectToSupport', { name: 'Pat', contact: '(404) 555-0100', preferred_store: 'the canton store', reason: 'Question about financing' }, ctx);
    expect(r).toMatchObject({
      ok: true,
      data: { ticket_id: 'T-1', name: 'Pat', contact: '+14045550100', preferred_store: 'Woodstock Outlet – Canton', status: 'pending_human' },
    });
    expect(r.ok && r.data.message).toMatch(/Canton showroom/);
    expect(handoffs).toEqual([
      expect.objectContaining({
        kind: 'connect',
        priority: 'normal',
        contact: { name: 'Pat', phone: '+14045550100' },
        preferred_store: 'Woodstock Outlet – Canton',
      }),
    ]);
  });

  it('works with nothing given', async () => {
    const { ctx, handoffs } = setup(anonymous);
    expect(await run('connectToSupport', {}, ctx)).toMatchObject({ ok: true, data: { status: 'pending_human' } });
    expect(handoffs[0]!.reason).toMatch(/asked to talk to a person/);
  });
});

describe('showDirections', () => {
  it.each([
    ['the Canton store', 'canton'],
    ['ACWORTH', 'acworth'],
    ['30188', 'woodstock'],
  ])('%s → %s', async (store, id) => {
    const r = await run('showDirections', { store }, setup(anonymous).ctx);
    expect(r).toMatchObject({ ok: true, data: { matched: true, showrooms: [{ id }] } });
  });

  it('lists all six when nothing matches', async () => {
    const r = await run('showDirections', { store: 'Atlanta' }, setup(anonymous).ctx);
    expect(r).toMatchObject({ ok: true, data: { matched: false } });
    expect(r.ok && r.data.showrooms).toHaveLength(6);
    expect(await run('showDirections', {}, setup(anonymous).ctx)).toMatchObject({ ok: true, data: { matched: false } });
  });
});

describe('the tool set', () => {
  it('has the 14 legacy names, each an AI SDK tool with a description and a schema', async () => {
    const { ctx } = setup(staff);
    const tools = createCustomerTools(ctx);
    expect(Object.keys(tools).sort()).toEqual([...toolNames].sort());
    for (const name of toolNames) {
      expect(tools[name].description!.length).toBeGreaterThan(60);
      expect(tools[name].inputSchema).toBeDefined();
      expect(typeof tools[name].execute).toBe('function');
    }
    const out = await tools.showDirections.execute!({ store: 'Dallas' }, { toolCallId: 'c1', messages: [] });
    expect(out).toMatchObject({ ok: true, data: { matched: true } });
  });

  it('turns bad input into invalid_input, never a throw', async () => {
    const { ctx } = setup(staff);
    expect(await run('getOrdersByCustomer', {}, ctx)).toMatchObject({ ok: false, error: 'invalid_input' });
    expect(await run('getCustomerByPhone', { phone: 42 }, ctx)).toMatchObject({ ok: false, error: 'invalid_input' });
    expect(await run('handleSupportEscalation', { issue: '  ' }, ctx)).toMatchObject({ ok: false, error: 'invalid_input' });
    expect(await executeTool('dropTables' as ToolName, {}, ctx)).toMatchObject({ ok: false, error: 'invalid_input' });
  });

  it('accepts null for optional fields (some models send it)', async () => {
    const r = await run('getProductRecommendations', { customer_id: null, query: 'recliner', category: null, brand: null, max_price: null }, setup(anonymous).ctx);
    expect(r.ok && r.data.products.every((p) => p.category === 'recliners')).toBe(true);
  });
});
