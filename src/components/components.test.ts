// Components: every type renders from typed data, hostile strings stay text, and the shared
// sanitiser strips what must never reach a browser.
import sanitize from 'sanitize-html';
import { describe, expect, it } from 'vitest';
import type { Customer, Order, OrderDetails, Product } from '../loft/types.ts';
import { showrooms } from '../loft/showrooms.ts';
import { componentTypeByTool, toolNames, type ToolDataMap, type ToolName } from '../chat/tools/types.ts';
import { formatDate, formatMoney, renderComponent, renderToolResult, sanitizeHtml } from './index.ts';

const customer: Customer = {
  customer_id: '10042',
  first_name: 'Dana',
  last_name: 'Whitfield',
  name: 'Dana Whitfield',
  email: 'dana@example.com',
  phone: '+14045550142',
  address: { line1: '12 Peachtree Ln', city: 'Canton', state: 'GA', zipcode: '30114' },
};
const orders: Order[] = [
  { order_id: '5007', status: 'P', status_label: 'Pending', order_date: '2025-03-04', delivery_date: '2025-03-20', total: 1299.99 },
  { order_id: '5001', status: 'F', status_label: 'Finalized', order_date: '2024-11-02', delivery_date: '2024-11-09', total: 1379.98 },
  { order_id: '5003', status: 'C', status_label: 'Cancelled', order_date: '2024-12-15', delivery_date: null, total: 249 },
];
const details: OrderDetails = {
  order_id: '5001',
  lines: [
    { product_id: 'SOF-1002', description: 'BRENNAN SLEEPER SOFA', quantity: 1, unit_price: 1249.99, line_total: 1249.99, is_benefit_plan: false },
    { product_id: 'BP-5YR', description: '5 YEAR BENEFIT PLAN', quantity: 1, unit_price: 129.99, line_total: 129.99, is_benefit_plan: true },
  ],
  items_total: 1249.99,
  benefit_plan_total: 129.99,
};
const product = (over: Partial<Product> = {}): Product => ({
  sku: 'SOF-1001',
  name: 'Brennan Sofa',
  category: 'sofas',
  brand: 'Ashley',
  price: 1299.99,
  stock: 3,
  image: '/assets/products/sofas.svg',
  description: 'Deep seats.',
  featured: true,
  pairs_with: ['rugs'],
  ...over,
});
const patterns: ToolDataMap['analyzeCustomerPatterns'] = {
  customer_id: '10042',
  order_count: 2,
  total_spent: 2679.97,
  average_order: 1339.99,
  first_order_date: '2024-11-02',
  last_order_date: '2025-03-04',
  categories: [
    { category: 'sofas', items: 1, spent: 1249.99 },
    { category: 'beds', items: 1, spent: 1299.99 },
  ],
  benefit_plans_bought: 1,
  high_value: true,
};
const journey: ToolDataMap['getCustomerJourney'] = {
  customer,
  orders,
  recent_order_details: [details],
  timeline: [
    { date: '2024-11-02', kind: 'first_order', order_id: '5001', label: 'First order #5001', amount: 1379.98 },
    { date: '2024-11-09', kind: 'delivery', order_id: '5001', label: 'Order #5001 delivered' },
  ],
};

/** Every element of an HTML string, as a browser's parser would see it. */
function elements(html: string): { tag: string; attribs: Record<string, string> }[] {
  const found: { tag: string; attribs: Record<string, string> }[] = [];
  // allow-all is only a parser here: nothing of it is rendered.
  sanitize(html, { allowedTags: false, allowedAttributes: false, allowVulnerableTags: true, onOpenTag: (tag, attribs) => found.push({ tag, attribs: { ...attribs } }) });
  return found;
}

/** No active content: no script-like elements, no on* handlers, no javascript: URLs, images only from /assets/. */
function expectInert(html: string) {
  for (const el of elements(html)) {
    expect(['script', 'style', 'iframe', 'object', 'embed', 'form', 'input']).not.toContain(el.tag);
    for (const [name, value] of Object.entries(el.attribs)) {
      expect(name.startsWith('on'), `${el.tag} ${name}`).toBe(false);
      if (name === 'href') expect(value).toMatch(/^(https?:|mailto:|tel:)/);
      if (name === 'src') expect(value).toMatch(/^\/assets\//);
    }
  }
}

const samples: { [N in ToolName]: ToolDataMap[N] } = {
  getCustomerByPhone: customer,
  getCustomerByEmail: customer,
  getOrdersByCustomer: { customer_id: '10042', orders },
  getDetailsByOrder: { ...details, order: orders[1] },
  analyzeCustomerPatterns: patterns,
  getProductRecommendations: { reason: 'Sofas under $1,500.', products: [product(), product({ sku: 'RUG-1', name: 'Shag Rug', category: 'rugs', stock: 0, featured: false })] },
  handleOrderConfirmationAndCrossSell: { customer_id: '10042', order: orders[1]!, order_lines: details.lines, suggestions: [product({ sku: 'RUG-2', category: 'rugs' })], message: 'Order #5001 is finalized.' },
  handleSupportEscalation: { ticket_id: 'T-9', issue: 'Sofa arrived damaged', category: 'damaged_item', priority: 'high', status: 'pending_human', order_id: '5001', created_at: '2025-03-04T15:00:00.000Z', next_steps: 'A member of our team will reply here.' },
  handleLoyaltyUpgrade: { customer_id: '10042', lifetime_spend: 2679.97, tier: 'Silver', next_tier: 'Gold', amount_to_next_tier: 320.03, benefits: ['Early access to sales'], upgraded: true },
  handleProductRecommendations: { customer_id: '10042', reason: 'Goes with your sofa.', products: [product({ stock: 30 })] },
  getCustomerJourney: journey,
  getCustomerAnalytics: { customer, patterns, journey, loyalty_tier: 'Silver', insights: ['High-value customer.'] },
  connectToSupport: { ticket_id: 'T-10', name: 'Pat', contact: '+14045550100', preferred_store: 'Woodstock Outlet – Canton', status: 'pending_human', message: 'A person will reply here.', created_at: '2025-03-04T15:00:00.000Z' },
  showDirections: { showrooms, matched: false },
};

describe('renderComponent', () => {
  it.each(toolNames)('renders %s', (tool) => {
    const c = renderComponent(tool, samples[tool] as never);
    const type = componentTypeByTool[tool];
    expect(c.type).toBe(type);
    expect(c.data).toBe(samples[tool]);
    expect(c.html).toMatch(new RegExp(`^<section class="wo-card wo-${type.replace(/_/g, '-')}`));
    expect(c.html).toContain(`data-component="${type}"`);
    expectInert(c.html);
    expect(c.html).toMatch(/<h3 class="wo-card__title">/);
  });

  it('formats money, dates, statuses and badges', () => {
    const list = renderComponent('getOrdersByCustomer', samples.getOrdersByCustomer).html;
    expect(list).toContain('$1,299.99');
    expect(list).toContain('<time datetime="2025-03-04">Mar 4, 2025</time>');
    expect(list).toContain('class="wo-badge wo-badge--pending">Pending<');
    expect(list).toContain('wo-badge--cancelled');
    expect(list).toContain('<th scope="col">Order</th>');
    expect(list).toContain('<tr class="wo-order wo-order--p" data-order-id="5007"><th scope="row" class="wo-cell-order">#5007</th>');
    expect(formatMoney(1299.99)).toBe('$1,299.99');
    expect(formatDate('2025-03-04')).toBe('Mar 4, 2025');

    const carousel = renderComponent('getProductRecommendations', samples.getProductRecommendations).html;
    expect(carousel).toContain('<ul class="wo-carousel" role="list">');
    expect(carousel).toContain('data-sku="SOF-1001"');
    expect(carousel).toContain('alt="Brennan Sofa"');
    expect(carousel).toContain('src="/assets/products/sofas.svg"');
    expect(carousel).toContain('Only 3 left');
    expect(carousel).toContain('Out of stock');
    expect(renderComponent('handleProductRecommendations', samples.handleProductRecommendations).html).toContain('>In stock<');

    const ticket = renderComponent('handleSupportEscalation', samples.handleSupportEscalation).html;
    expect(ticket).toContain('wo-badge wo-badge--priority wo-badge--priority-high');
    expect(ticket).toContain('High priority');

    const order = renderComponent('getDetailsByOrder', samples.getDetailsByOrder).html;
    expect(order).toContain('wo-line--benefit-plan');
    expect(order).toContain('Protection plan');
    expect(order).toContain('Order total');

    const card = renderComponent('getCustomerByPhone', customer).html;
    expect(card).toContain('href="tel:+14045550142"');
    expect(card).toContain('(404) 555-0142');
    expect(card).toContain('href="mailto:dana@example.com"');

    const stores = renderComponent('showDirections', samples.showDirections).html;
    expect(stores.match(/class="wo-store"/g)).toHaveLength(6);
    expect(stores).toContain('href="https://www.google.com/maps/search/?api=1&amp;query=');
    expect(stores).toContain('rel="noopener noreferrer"');
  });

  it('renders a hostile customer name as text', () => {
    const name = '<img src=x onerror=alert(1)>';
    const html = renderComponent('getCustomerByPhone', { ...customer, name, first_name: name }).html;
    expect(elements(html).some((e) => e.tag === 'img')).toBe(false);
    expectInert(html);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('keeps model- and LOFT-sourced strings out of the markup everywhere', () => {
    const evil = '"><script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">';
    const products = [product({ name: evil, brand: evil, sku: evil, image: 'javascript:alert(3)' }), product({ image: 'https://evil.example/x.png' })];
    const carousel = renderComponent('getProductRecommendations', { reason: evil, products }).html;
    expectInert(carousel);
    expect(elements(carousel).filter((e) => e.tag === 'a')).toHaveLength(0);
    // an unsafe image falls back to the category drawing
    expect(carousel.match(/src="\/assets\/products\/sofas\.svg"/g)).toHaveLength(2);

    const stores = renderComponent('showDirections', {
      matched: true,
      showrooms: [{ ...showrooms[0]!, name: evil, maps_url: 'javascript:alert(1)' }],
    }).html;
    expectInert(stores);
    expect(stores).not.toContain('Get directions');

    const ticket = renderComponent('handleSupportEscalation', { ...samples.handleSupportEscalation, issue: evil, next_steps: evil, ticket_id: evil }).html;
    expectInert(ticket);
    expect(elements(ticket).some((e) => e.tag === 'script' || e.tag === 'a')).toBe(false);
    const card = renderComponent('getCustomerByEmail', { ...customer, email: 'javascript:alert(1)//@x.co' }).html;
    expectInert(card);
  });

  it('survives data of the wrong shape (an old stored row)', () => {
    expect(() => renderComponent('getCustomerAnalytics', {} as never)).not.toThrow();
    expect(renderComponent('getCustomerAnalytics', {} as never).html).toContain('wo-component-error');
    expect(renderComponent('getOrdersByCustomer', { customer_id: '1' } as never).html).toContain('No orders on file');
  });

  it('renders ok results only', () => {
    expect(renderToolResult('showDirections', { ok: true, data: samples.showDirections })?.type).toBe('store_directions');
    expect(renderToolResult('getCustomerByPhone', { ok: false, error: 'verification_required', message: 'x' })).toBeNull();
  });
});

describe('sanitizeHtml (untrusted HTML)', () => {
  it('strips scripts, styles, event handlers, iframes and javascript: links', () => {
    const dirty =
      '<div onclick="steal()"><script>alert(1)</script><style>body{display:none}</style>' +
      '<img src="x.png" onerror="alert(2)"><a href="javascript:alert(3)">click</a>' +
      '<iframe src="https://evil.example"></iframe><form action="/x"><input name="q"></form>' +
      '<a href="JaVaScRiPt:alert(4)">again</a><img src="data:image/svg+xml;base64,AAAA"></div>';
    const clean = sanitizeHtml(dirty);
    expect(clean).not.toMatch(/<script|<style|<iframe|<form|<input|onclick|onerror|javascript:|data:/i);
    expect(elements(clean).map((e) => e.tag)).toEqual(['div', 'img', 'a', 'a']);
    expect(clean).toContain('click');
    expect(clean).toContain('<img src="x.png" />');
  });

  it('keeps formatting, lists, tables, safe links and images', () => {
    const html =
      '<p><strong>Order</strong> <em>#5001</em></p><ul><li>Sofa</li></ul>' +
      '<table><thead><tr><th scope="col">Item</th></tr></thead><tbody><tr><td>Sofa</td></tr></tbody></table>' +
      '<a href="https://woodstockoutlet.com/x">site</a><a href="mailto:help@example.com">mail</a><a href="tel:+17705550110">call</a>' +
      '<img src="https://cdn.example.com/p.jpg" alt="Sofa"><img src="/assets/products/sofas.svg" alt="s">';
    const clean = sanitizeHtml(html);
    expect(clean).toContain('<strong>Order</strong>');
    expect(clean).toContain('<ul><li>Sofa</li></ul>');
    expect(clean).toContain('<th scope="col">Item</th>');
    expect(clean).toContain('href="https://woodstockoutlet.com/x" rel="noopener noreferrer nofollow" target="_blank"');
    expect(clean).toContain('href="mailto:help@example.com"');
    expect(clean).toContain('href="tel:+17705550110"');
    expect(clean).toContain('src="https://cdn.example.com/p.jpg"');
    expect(clean).toContain('src="/assets/products/sofas.svg"');
  });

  it('keeps harmless inline text styles only', () => {
    const clean = sanitizeHtml('<span style="color:#c8102e;position:fixed;background-image:url(https://x)">red</span>');
    expect(clean).toBe('<span style="color:#c8102e">red</span>');
  });

  it('leaves plain text and marker text alone', () => {
    const text = '**CAROUSEL_DATA:** {"products":[{"sku":"SOF-1001"}]}';
    expect(sanitizeHtml(text)).toBe(text);
  });
});
