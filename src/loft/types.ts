// LOFT's wire format (every reply is {"entry": [...]}, empty entry = not found) and the typed
// records our code works with after normalising it.

/** Raw entries as LOFT sends them (lower-case field names, strings everywhere). */
export interface LoftCustomerEntry {
  customerid: string;
  firstname: string;
  lastname: string;
  email: string;
  phonenumber: string;
  address1: string;
  city: string;
  state: string;
  zipcode: string;
}
export interface LoftOrderEntry {
  orderid: string;
  status: string; // F finalized, P pending, C cancelled, S shipped/scheduled
  orderdate: string; // YYYY-MM-DD
  deliverydate: string | null;
  ordertotal: string | number;
}
export interface LoftOrderLineEntry {
  productid: string;
  description: string;
  qtyordered: string | number;
  itemprice: string | number;
}
export interface LoftReply<T> {
  entry: T[];
}

/** Typed, normalised records. */
export interface Customer {
  customer_id: string;
  first_name: string;
  last_name: string;
  name: string;
  email: string;
  /** E.164, e.g. +14045550142 */
  phone: string;
  address: { line1: string; city: string; state: string; zipcode: string };
}

export type OrderStatusCode = 'F' | 'P' | 'C' | 'S';
export const orderStatusLabels: Record<OrderStatusCode, string> = {
  F: 'Finalized',
  P: 'Pending',
  C: 'Cancelled',
  S: 'Shipped / scheduled',
};

export interface Order {
  order_id: string;
  status: OrderStatusCode;
  status_label: string;
  order_date: string; // YYYY-MM-DD
  delivery_date: string | null;
  total: number;
}

export interface OrderLine {
  product_id: string;
  description: string;
  quantity: number;
  unit_price: number;
  line_total: number;
  /** "BENEFIT PLAN" lines are warranty add-ons, not furniture. */
  is_benefit_plan: boolean;
}

export interface OrderDetails {
  order_id: string;
  lines: OrderLine[];
  /** furniture lines only (benefit plans excluded) */
  items_total: number;
  benefit_plan_total: number;
}

/** What every LOFT call resolves to: a value, "not found", or a failure the model can explain. */
export type LoftResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: 'not_found'; message: string }
  | { ok: false; error: 'loft_unavailable' | 'rate_limited' | 'bad_response'; message: string };

export interface LoftClient {
  getCustomerByPhone(phone: string): Promise<LoftResult<Customer>>;
  getCustomerByEmail(email: string): Promise<LoftResult<Customer>>;
  getOrdersByCustomer(customerId: string): Promise<LoftResult<Order[]>>;
  getDetailsByOrder(orderId: string): Promise<LoftResult<OrderDetails>>;
}

// ---- the product catalog and showrooms (not LOFT calls; the sandbox serves them) ----

export interface Product {
  sku: string;
  name: string;
  category: ProductCategory;
  brand: string;
  price: number;
  /** units in stock across showrooms; 0 = out of stock */
  stock: number;
  /** a local asset path served by the app, e.g. /assets/products/sofa.svg */
  image: string;
  description: string;
  featured: boolean;
  /** categories this product goes well with, for cross-sell */
  pairs_with: ProductCategory[];
}

export type ProductCategory =
  | 'sofas'
  | 'sectionals'
  | 'recliners'
  | 'chairs'
  | 'coffee_tables'
  | 'tv_stands'
  | 'beds'
  | 'mattresses'
  | 'dressers'
  | 'nightstands'
  | 'dining_tables'
  | 'dining_chairs'
  | 'desks'
  | 'rugs'
  | 'lamps'
  | 'outdoor';

export interface ProductQuery {
  text?: string;
  category?: ProductCategory;
  brand?: string;
  min_price?: number;
  max_price?: number;
  in_stock_only?: boolean;
  featured_only?: boolean;
  limit?: number;
}

/** Behind this interface a Magento adapter can replace the built-in catalog later. */
export interface Catalog {
  search(query: ProductQuery): Promise<Product[]>;
  getBySku(sku: string): Promise<Product | undefined>;
  categories(): ProductCategory[];
}

export interface Showroom {
  id: string;
  name: string;
  city: string;
  address: string;
  state: 'GA';
  zipcode: string;
  phone: string;
  hours: { days: string; open: string }[];
  maps_url: string;
  lat: number;
  lng: number;
}
