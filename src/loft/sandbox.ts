// The built-in LOFT sandbox: the same four GETs as the retailer's LOFT, in its exact wire format
// ({"entry": [...]}, lower-case names, strings everywhere), served from the loft_* tables. With
// LOFT_BASE_URL unset the app's LoftClient talks to this, so the real client code path is used.
// Also serves the product catalog and the showrooms for the docs and the web pages.
import { timingSafeEqual } from 'node:crypto';
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';

/** Any Fastify instance, whatever its logger and type provider (the app's is pino + zod). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFastify = FastifyInstance<any, any, any, any, any>;
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { schema, type Database } from '../db/index.ts';
import { normalizeEmail, normalizePhone } from '../shared/phone.ts';
import { AppError } from '../shared/errors.ts';
import { bearerToken } from '../auth/index.ts';
import { createSandboxCatalog, productCategories } from './catalog.ts';
import { showrooms } from './showrooms.ts';
import type { Catalog, LoftCustomerEntry, ProductCategory } from './types.ts';

export interface LoftSandboxOptions {
  database: Database;
  catalog?: Catalog;
  /**
   * The customer and order routes hold personal data: they answer only a request carrying
   * `x-sandbox-token: <accessToken>` (the app's own sandbox client, a random value per process)
   * or `Authorization: Bearer <API key>` accepted by `isStaffKey` (staff trying the sandbox).
   * Products and showrooms stay public, like the catalogue on the website.
   */
  accessToken: string;
  isStaffKey?: (key: string) => Promise<boolean>;
}

export const sandboxTokenHeader = 'x-sandbox-token';

export const loftSandboxPrefix = '/sandbox/loft';

const tags = ['LOFT sandbox'];

const customerEntry = z.object({
  customerid: z.string(),
  firstname: z.string(),
  lastname: z.string(),
  email: z.string(),
  phonenumber: z.string(),
  address1: z.string(),
  city: z.string(),
  state: z.string(),
  zipcode: z.string(),
});
const orderEntry = z.object({
  orderid: z.string(),
  status: z.string().describe('F finalized, P pending, C cancelled, S shipped/scheduled'),
  orderdate: z.string().describe('YYYY-MM-DD'),
  deliverydate: z.string().nullable(),
  ordertotal: z.string().describe('decimal string, e.g. "1299.99"'),
});
const orderLineEntry = z.object({
  productid: z.string(),
  description: z.string().describe('"... BENEFIT PLAN" lines are warranty add-ons'),
  qtyordered: z.string(),
  itemprice: z.string(),
});
const reply = <T extends z.ZodType>(entry: T) => z.object({ entry: z.array(entry) });

const categoryIds = productCategories;

const productSchema = z.object({
  sku: z.string(),
  name: z.string(),
  category: z.enum(categoryIds),
  brand: z.string(),
  price: z.number(),
  stock: z.number(),
  image: z.string(),
  description: z.string(),
  featured: z.boolean(),
  pairs_with: z.array(z.enum(categoryIds)),
});
const showroomSchema = z.object({
  id: z.string(),
  name: z.string(),
  city: z.string(),
  address: z.string(),
  state: z.literal('GA'),
  zipcode: z.string(),
  phone: z.string(),
  hours: z.array(z.object({ days: z.string(), open: z.string() })),
  maps_url: z.string(),
  lat: z.number(),
  lng: z.number(),
});

const idParam = (what: string) => z.string().trim().min(1).max(64).describe(what);

/** Registers the sandbox routes (absolute paths under /sandbox/loft). Usable with app.register too. */
export async function registerLoftSandbox(app: AnyFastify, opts: LoftSandboxOptions): Promise<void> {
  const { db } = opts.database;
  const catalog = opts.catalog ?? createSandboxCatalog();
  const r = app.withTypeProvider<ZodTypeProvider>();
  const c = schema.loftCustomers;
  const guard = async (req: { headers: Record<string, string | string[] | undefined> }) => {
    const given = req.headers[sandboxTokenHeader];
    if (typeof given === 'string' && given.length === opts.accessToken.length && timingSafeEqual(Buffer.from(given), Buffer.from(opts.accessToken))) return;
    const key = bearerToken(req.headers);
    if (key && opts.isStaffKey && (await opts.isStaffKey(key))) return;
    throw new AppError('unauthorized', 'The sandbox customer and order routes need an API key (Authorization: Bearer <key>)', 401);
  };

  const toCustomerEntry = (row: typeof c.$inferSelect): LoftCustomerEntry => ({
    customerid: row.customerId,
    firstname: row.firstName,
    lastname: row.lastName,
    email: row.email,
    phonenumber: row.phoneDisplay,
    address1: row.address1,
    city: row.city,
    state: row.state,
    zipcode: row.zipcode,
  });

  r.get(
    `${loftSandboxPrefix}/GetCustomerByPhone`,
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'LOFT GetCustomerByPhone: the customer with this phone (any shape: 404-555-0142, (404) 555-0142, +14045550142)',
        querystring: z.object({ phone: z.string().trim().min(1).max(40).describe('e.g. 404-555-0142') }),
        response: { 200: reply(customerEntry) },
      },
    },
    async (req) => {
      const e164 = normalizePhone(req.query.phone);
      if (!e164) return { entry: [] };
      const found = await db.select().from(c).where(eq(c.phone, e164)).orderBy(asc(c.customerId)).limit(5);
      return { entry: found.map(toCustomerEntry) };
    },
  );

  r.get(
    `${loftSandboxPrefix}/GetCustomerByEmail`,
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'LOFT GetCustomerByEmail: the customer with this email (case-insensitive)',
        querystring: z.object({ email: z.string().trim().min(1).max(255) }),
        response: { 200: reply(customerEntry) },
      },
    },
    async (req) => {
      const email = normalizeEmail(req.query.email);
      const found = await db
        .select()
        .from(c)
        .where(sql`lower(${c.email}) = ${email}`)
        .orderBy(asc(c.customerId))
        .limit(5);
      return { entry: found.map(toCustomerEntry) };
    },
  );

  r.get(
    `${loftSandboxPrefix}/GetOrdersByCustomer`,
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'LOFT GetOrdersByCustomer: every order of a customer, newest first',
        querystring: z.object({ custid: idParam('LOFT customer id') }),
        response: { 200: reply(orderEntry) },
      },
    },
    async (req) => {
      const o = schema.loftOrders;
      const found = await db
        .select()
        .from(o)
        .where(eq(o.customerId, req.query.custid))
        .orderBy(desc(o.orderDate), desc(o.orderId));
      const entry: z.infer<typeof orderEntry>[] = found.map((row) => ({
        orderid: row.orderId,
        status: row.status,
        orderdate: row.orderDate,
        deliverydate: row.deliveryDate,
        ordertotal: String(row.orderTotal),
      }));
      return { entry };
    },
  );

  r.get(
    `${loftSandboxPrefix}/GetDetailsByOrder`,
    {
      onRequest: guard,
      schema: {
        tags,
        summary: 'LOFT GetDetailsByOrder: the lines of an order (BENEFIT PLAN lines are warranty add-ons)',
        querystring: z.object({ orderid: idParam('LOFT order id') }),
        response: { 200: reply(orderLineEntry) },
      },
    },
    async (req) => {
      const l = schema.loftOrderLines;
      const orderId = req.query.orderid.replace(/^#/, '');
      const found = await db.select().from(l).where(eq(l.orderId, orderId)).orderBy(asc(l.lineNo));
      const entry: z.infer<typeof orderLineEntry>[] = found.map((row) => ({
        productid: row.productId,
        description: row.description,
        qtyordered: String(row.qtyOrdered),
        itemprice: String(row.itemPrice),
      }));
      return { entry };
    },
  );

  r.get(
    `${loftSandboxPrefix}/products`,
    {
      schema: {
        tags,
        summary: 'Product catalog search: text over name, brand, category and description, with filters',
        querystring: z.object({
          q: z.string().trim().max(200).optional().describe('free text, e.g. "king bed" or "couch"'),
          category: z.enum(categoryIds).optional(),
          brand: z.string().trim().max(100).optional(),
          min_price: z.coerce.number().min(0).optional(),
          max_price: z.coerce.number().min(0).optional(),
          in_stock: z.stringbool().optional().describe('true: only products in stock'),
          featured: z.stringbool().optional().describe('true: only featured products'),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: { 200: reply(productSchema) },
      },
    },
    async (req) => {
      const q = req.query;
      const entry = await catalog.search({
        text: q.q || undefined,
        category: q.category,
        brand: q.brand || undefined,
        min_price: q.min_price,
        max_price: q.max_price,
        in_stock_only: q.in_stock,
        featured_only: q.featured,
        limit: q.limit,
      });
      return { entry };
    },
  );

  r.get(
    `${loftSandboxPrefix}/showrooms`,
    {
      schema: {
        tags,
        summary: "The six Georgia showrooms: address, phone, hours and a maps link",
        response: { 200: reply(showroomSchema) },
      },
    },
    async () => ({ entry: showrooms }),
  );
}
