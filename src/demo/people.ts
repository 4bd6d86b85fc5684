// Demo customers and their LOFT orders: deterministic for a seed, consistent with the sandbox
// (the sandbox serves exactly these rows from the loft_* tables).
import { benefitPlanFor, products } from '../loft/catalog-data.ts';
import type { OrderStatusCode, Product } from '../loft/types.ts';
import { displayPhone } from '../shared/phone.ts';
import type { Random } from '../shared/random.ts';

const firstNames = [
  'Ann', 'James', 'Maria', 'Robert', 'Linda', 'Michael', 'Patricia', 'David', 'Jennifer', 'William',
  'Elizabeth', 'Carlos', 'Sofia', 'Luis', 'Ana', 'Jose', 'Carmen', 'Miguel', 'Lucia', 'Diego',
  'Keisha', 'Darnell', 'Tamika', 'Andre', 'Brittany', 'Tyler', 'Ashley', 'Brandon', 'Megan', 'Jordan',
  'Grace', 'Henry', 'Olivia', 'Samuel', 'Chloe', 'Ethan', 'Ava', 'Noah', 'Mia', 'Isaac',
];
const lastNames = [
  'Lee', 'Johnson', 'Garcia', 'Smith', 'Williams', 'Brown', 'Jones', 'Martinez', 'Davis', 'Lopez',
  'Hernandez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Thompson',
  'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Perez', 'Hall', 'Young', 'Allen',
  'Ramirez', 'Torres', 'Flores', 'Rivera', 'Gomez', 'Diaz', 'Reyes', 'Morales', 'Cruz', 'Ortiz',
];
const hispanicFirst = new Set(['Maria', 'Carlos', 'Sofia', 'Luis', 'Ana', 'Jose', 'Carmen', 'Miguel', 'Lucia', 'Diego']);
const cities: [string, string][] = [
  ['Woodstock', '30188'], ['Acworth', '30101'], ['Canton', '30114'], ['Cartersville', '30120'],
  ['Douglasville', '30135'], ['Dallas', '30132'], ['Marietta', '30060'], ['Kennesaw', '30144'],
  ['Alpharetta', '30009'], ['Roswell', '30075'], ['Smyrna', '30080'], ['Powder Springs', '30127'],
];
const streets = ['Peachtree St', 'Main St', 'Bells Ferry Rd', 'Towne Lake Pkwy', 'Chastain Rd', 'Canton Rd', 'Dallas Hwy', 'Church St', 'Oak Grove Rd', 'Sixes Rd'];
const areaCodes = ['404', '770', '678', '470'];

export interface DemoCustomer {
  customer_id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string; // E.164
  phone_display: string;
  address1: string;
  city: string;
  state: 'GA';
  zipcode: string;
  spanish: boolean;
}

export interface DemoOrderLine {
  order_id: string;
  line_no: number;
  product_id: string;
  description: string;
  qty_ordered: number;
  item_price: number;
}

export interface DemoOrder {
  order_id: string;
  customer_id: string;
  status: OrderStatusCode;
  order_date: string;
  delivery_date: string | null;
  order_total: number;
  lines: DemoOrderLine[];
}

export function makeCustomer(rnd: Random, index: number): DemoCustomer {
  const first = rnd.pick(firstNames);
  const last = rnd.pick(lastNames);
  const [city, zip] = rnd.pick(cities);
  // 555-1000.. keeps every demo number unique and obviously fictional.
  const area = areaCodes[index % areaCodes.length]!;
  const line = String(1000 + Math.floor(index / areaCodes.length)).padStart(4, '0');
  const phone = `+1${area}555${line}`;
  return {
    customer_id: `C${100000 + index}`,
    first_name: first,
    last_name: last,
    email: `${first}.${last}${index}@example.com`.toLowerCase(),
    phone,
    phone_display: displayPhone(phone),
    address1: `${rnd.int(10, 9899)} ${rnd.pick(streets)}`,
    city,
    state: 'GA',
    zipcode: zip,
    spanish: hispanicFirst.has(first) && rnd.chance(0.6),
  };
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export function makeOrders(rnd: Random, customer: DemoCustomer, customerIndex: number, now: Date): DemoOrder[] {
  const count = rnd.chance(0.1) ? rnd.int(5, 8) : rnd.int(1, 4);
  const orders: DemoOrder[] = [];
  for (let i = 0; i < count; i++) {
    const daysAgo = i === 0 && rnd.chance(0.5) ? rnd.int(1, 20) : rnd.int(5, 1000);
    const orderDate = new Date(now.getTime() - daysAgo * 86_400_000);
    const recent = daysAgo < 25;
    const status: OrderStatusCode = recent
      ? rnd.pick(['P', 'S', 'S', 'P'] as const)
      : rnd.chance(0.08)
        ? 'C'
        : 'F';
    const delivery =
      status === 'C' ? null : new Date(orderDate.getTime() + rnd.int(3, 21) * 86_400_000);
    const orderId = `SO-${orderDate.getUTCFullYear()}-${String(customerIndex * 10 + i + 100000).padStart(6, '0')}`;
    const lines: DemoOrderLine[] = [];
    const itemCount = rnd.int(1, 4);
    const used = new Set<string>();
    for (let l = 0; l < itemCount; l++) {
      const p: Product = rnd.pick(products);
      if (used.has(p.sku)) continue;
      used.add(p.sku);
      lines.push({
        order_id: orderId,
        line_no: lines.length + 1,
        product_id: p.sku,
        description: p.name.toUpperCase(),
        qty_ordered: p.category === 'dining_chairs' ? rnd.int(1, 3) : 1,
        item_price: p.price,
      });
      if (p.price > 300 && rnd.chance(0.35)) {
        const bp = benefitPlanFor(p.price);
        lines.push({ order_id: orderId, line_no: lines.length + 1, product_id: bp.product_id, description: bp.description, qty_ordered: 1, item_price: bp.price });
      }
    }
    const total = lines.reduce((s, ln) => s + ln.qty_ordered * ln.item_price, 0);
    orders.push({
      order_id: orderId,
      customer_id: customer.customer_id,
      status,
      order_date: isoDate(orderDate),
      delivery_date: delivery ? isoDate(delivery) : null,
      order_total: Math.round(total * 100) / 100,
      lines,
    });
  }
  // newest first, like LOFT
  return orders.sort((a, b) => b.order_date.localeCompare(a.order_date));
}
