// The LOFT HTTP client against a real local HTTP server that misbehaves on demand.
import Fastify from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInjectFetch, createLoftHttpClient, type LoftCallInfo } from '../../src/loft/index.ts';
import { startFakeLoft, type FakeLoftServer } from './fake-loft-server.ts';

const data = {
  customers: [
    {
      customerid: '10042',
      firstname: 'Dana',
      lastname: 'Whitfield',
      email: 'Dana.Whitfield@Example.com',
      phonenumber: '404-555-0142',
      address1: '12 Peachtree Ln',
      city: 'Canton',
      state: 'GA',
      zipcode: '30114',
    },
  ],
  orders: {
    '10042': [
      { orderid: '5001', status: 'F', orderdate: '2024-11-02', deliverydate: '2024-11-09', ordertotal: '1,429.98' },
      { orderid: '5007', status: 'p', orderdate: '2025-03-04T00:00:00', deliverydate: '', ordertotal: '899.99' },
      { orderid: '5003', status: 'C', orderdate: '12/15/2024', deliverydate: null, ordertotal: 249 },
    ],
  },
  lines: {
    '5001': [
      { productid: 'SOF-1001', description: 'BRENNAN SOFA', qtyordered: '1', itemprice: '1299.99' },
      { productid: 'BP-5YR', description: '5 Year Benefit Plan', qtyordered: '1.00', itemprice: '129.99' },
      { productid: 'LAM-2001', description: 'ARC FLOOR LAMP', qtyordered: '2', itemprice: '$49.50' },
    ],
  },
};

let loft: FakeLoftServer;
let calls: LoftCallInfo[];

beforeAll(async () => {
  loft = await startFakeLoft(data);
});
afterAll(async () => {
  await loft.close();
});
beforeEach(() => {
  loft.requests.length = 0;
  calls = [];
});

const client = (opts: { timeoutMs?: number; maxRetryAfterMs?: number } = {}) =>
  createLoftHttpClient({ baseUrl: `${loft.url}/`, retryDelayMs: 10, onCall: (i) => calls.push(i), ...opts });

describe('customer look-ups', () => {
  it.each(['404-555-0142', '(404) 555-0142', '+14045550142', '404.555.0142', '1 404 555 0142'])(
    'normalises the phone %s and sends LOFT its display form',
    async (phone) => {
      const r = await client().getCustomerByPhone(phone);
      expect(r).toMatchObject({ ok: true, value: { customer_id: '10042', name: 'Dana Whitfield', phone: '+14045550142' } });
      expect(loft.requests[0]!.path).toBe('/loft/GetCustomerByPhone');
      expect(loft.requests[0]!.query.get('phone')).toBe('404-555-0142');
    },
  );

  it('returns the typed record with a lower-cased email and the address', async () => {
    const r = await client().getCustomerByEmail('  DANA.whitfield@example.COM ');
    expect(r).toEqual({
      ok: true,
      value: {
        customer_id: '10042',
        first_name: 'Dana',
        last_name: 'Whitfield',
        name: 'Dana Whitfield',
        email: 'dana.whitfield@example.com',
        phone: '+14045550142',
        address: { line1: '12 Peachtree Ln', city: 'Canton', state: 'GA', zipcode: '30114' },
      },
    });
    expect(loft.requests[0]!.query.get('email')).toBe('dana.whitfield@example.com');
  });

  it('answers not_found for an empty entry list', async () => {
    const r = await client().getCustomerByPhone('770-555-9999');
    expect(r).toMatchObject({ ok: false, error: 'not_found' });
    expect(calls).toEqual([expect.objectContaining({ call: 'GetCustomerByPhone', outcome: 'not_found', attempts: 1 })]);
  });

  it('does not call LOFT for something that is not a phone number', async () => {
    const r = await client().getCustomerByPhone('12345');
    expect(r).toMatchObject({ ok: false, error: 'not_found' });
    expect(loft.requests).toHaveLength(0);
  });
});

describe('orders and details', () => {
  it('parses string numbers, statuses and date shapes, newest first', async () => {
    const r = await client().getOrdersByCustomer('10042');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual([
      { order_id: '5007', status: 'P', status_label: 'Pending', order_date: '2025-03-04', delivery_date: null, total: 899.99 },
      { order_id: '5003', status: 'C', status_label: 'Cancelled', order_date: '2024-12-15', delivery_date: null, total: 249 },
      { order_id: '5001', status: 'F', status_label: 'Finalized', order_date: '2024-11-02', delivery_date: '2024-11-09', total: 1429.98 },
    ]);
    expect(loft.requests[0]!.query.get('custid')).toBe('10042');
  });

  it('marks BENEFIT PLAN lines and keeps them out of the items total', async () => {
    const r = await client().getDetailsByOrder('#5001');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(loft.requests[0]!.query.get('orderid')).toBe('5001');
    expect(r.value.lines.map((l) => [l.product_id, l.quantity, l.unit_price, l.line_total, l.is_benefit_plan])).toEqual([
      ['SOF-1001', 1, 1299.99, 1299.99, false],
      ['BP-5YR', 1, 129.99, 129.99, true],
      ['LAM-2001', 2, 49.5, 99, false],
    ]);
    expect(r.value.items_total).toBe(1398.99);
    expect(r.value.benefit_plan_total).toBe(129.99);
  });

  it('answers not_found for an order without lines', async () => {
    expect(await client().getDetailsByOrder('9999')).toMatchObject({ ok: false, error: 'not_found' });
  });
});

describe('failures', () => {
  it('retries once after a 500 and succeeds', async () => {
    loft.script({ status: 500, body: 'oops' });
    const r = await client().getCustomerByPhone('404-555-0142');
    expect(r.ok).toBe(true);
    expect(loft.requests).toHaveLength(2);
    expect(calls[0]).toMatchObject({ outcome: 'ok', attempts: 2 });
  });

  it('gives up after two 5xx with a message for the customer', async () => {
    loft.script({ status: 500 }, { status: 503 });
    const r = await client().getOrdersByCustomer('10042');
    expect(r).toMatchObject({ ok: false, error: 'loft_unavailable' });
    if (!r.ok) expect(r.message).toMatch(/order system isn't answering right now/);
    expect(loft.requests).toHaveLength(2);
    expect(calls[0]).toMatchObject({ call: 'GetOrdersByCustomer', outcome: 'loft_unavailable', attempts: 2, status: 503 });
  });

  it('times out a slow answer and retries once', async () => {
    loft.script({ delayMs: 8_000 });
    const started = Date.now();
    const r = await client({ timeoutMs: 150 }).getCustomerByPhone('404-555-0142');
    expect(r.ok).toBe(true);
    // far below the 8 s the first answer would have taken: the client gave up and retried
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(loft.requests).toHaveLength(2);
  });

  it('reports loft_unavailable when both attempts time out', async () => {
    loft.script({ delayMs: 1_000 }, { delayMs: 1_000 });
    const r = await client({ timeoutMs: 100 }).getDetailsByOrder('5001');
    expect(r).toMatchObject({ ok: false, error: 'loft_unavailable' });
    expect(calls[0]!.ms).toBeGreaterThanOrEqual(190);
  });

  it('retries after a dropped connection', async () => {
    loft.script({ destroy: true });
    expect((await client().getDetailsByOrder('5001')).ok).toBe(true);
    expect(loft.requests).toHaveLength(2);
  });

  it('reports loft_unavailable when nothing listens', async () => {
    const dead = createLoftHttpClient({ baseUrl: 'http://127.0.0.1:9', retryDelayMs: 1, timeoutMs: 1_000 });
    expect(await dead.getCustomerByEmail('a@b.co')).toMatchObject({ ok: false, error: 'loft_unavailable' });
  });

  it.each([
    ['malformed JSON', '{"entry": [', 200],
    ['a reply without entry', { data: [] }, 200],
    ['entry that is not a list', { entry: 'none' }, 200],
    ['entries that are not customers', { entry: [{ foo: 1 }] }, 200],
    ['a 404', { error: 'x' }, 404],
  ])('answers bad_response for %s, without retrying', async (_name, body, status) => {
    loft.script({ status, body });
    const r = await client().getCustomerByPhone('404-555-0142');
    expect(r).toMatchObject({ ok: false, error: 'bad_response' });
    expect(loft.requests).toHaveLength(1);
  });

  it('waits out a short Retry-After on 429 and tries again', async () => {
    loft.script({ status: 429, headers: { 'retry-after': '0.2' } });
    const started = Date.now();
    const r = await client().getCustomerByPhone('404-555-0142');
    expect(r.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(loft.requests).toHaveLength(2);
  });

  it('returns rate_limited at once when Retry-After is too long or missing', async () => {
    loft.script({ status: 429, headers: { 'retry-after': '120' } });
    expect(await client().getCustomerByPhone('404-555-0142')).toMatchObject({ ok: false, error: 'rate_limited' });
    expect(loft.requests).toHaveLength(1);
    loft.script({ status: 429 });
    expect(await client().getCustomerByPhone('404-555-0142')).toMatchObject({ ok: false, error: 'rate_limited' });
    expect(loft.requests).toHaveLength(2);
  });

  it('returns rate_limited when the retry is limited again', async () => {
    loft.script({ status: 429, headers: { 'retry-after': '0' } }, { status: 429, headers: { 'retry-after': '0' } });
    expect(await client().getCustomerByPhone('404-555-0142')).toMatchObject({ ok: false, error: 'rate_limited' });
    expect(loft.requests).toHaveLength(2);
    expect(calls[0]).toMatchObject({ outcome: 'rate_limited', attempts: 2 });
  });

  it('survives a metrics hook that throws', async () => {
    const c = createLoftHttpClient({
      baseUrl: loft.url,
      onCall: () => {
        throw new Error('metrics down');
      },
    });
    expect((await c.getCustomerByPhone('404-555-0142')).ok).toBe(true);
  });
});

describe('createInjectFetch', () => {
  it('runs the client against a Fastify app without a socket', async () => {
    const app = Fastify();
    app.get('/sandbox/loft/GetCustomerByPhone', async (req) => {
      const q = req.query as { phone: string };
      return { entry: q.phone === '404-555-0142' ? [data.customers[0]] : [] };
    });
    const c = createLoftHttpClient({ baseUrl: 'http://loft-sandbox.internal/sandbox/loft', fetch: createInjectFetch(app) });
    expect(await c.getCustomerByPhone('(404) 555-0142')).toMatchObject({ ok: true, value: { customer_id: '10042' } });
    expect(await c.getCustomerByPhone('(770) 555-0100')).toMatchObject({ ok: false, error: 'not_found' });
    await app.close();
  });
});
