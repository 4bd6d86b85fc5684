// Pure computations over typed LOFT data: purchase patterns, loyalty tier, journey timeline and
// the analytics insights. No I/O except catalog look-ups by sku.
import { categoryFromText, round2, type Catalog, type Order, type OrderDetails, type OrderLine } from '../../loft/index.ts';
import type { CustomerHistory } from './loft-data.ts';
import { listWords, money, readableDate } from './results.ts';
import type { JourneyEvent, LoyaltyData, LoyaltyTier, PurchasePatternsData } from './types.ts';

/** Lifetime spend above which a customer counts as high value (the original's rule). */
export const highValueThreshold = 1_500;

/** Lines of non-cancelled orders, without benefit plans: the furniture a customer actually bought. */
export function furnitureLines(history: CustomerHistory): OrderLine[] {
  const lines: OrderLine[] = [];
  for (const order of history.orders) {
    if (order.status === 'C') continue;
    for (const line of history.details.get(order.order_id)?.lines ?? []) {
      if (!line.is_benefit_plan) lines.push(line);
    }
  }
  return lines;
}

/**
 * The catalog category of an order line: by sku when the catalog knows the product, else by
 * keywords in LOFT's description ("BRENNAN SOFA" → sofas), else "other".
 */
export async function categorizeLines(catalog: Catalog, lines: OrderLine[]): Promise<string[]> {
  const products = await Promise.all(lines.map((l) => (l.product_id ? catalog.getBySku(l.product_id) : undefined)));
  return lines.map((l, i) => products[i]?.category ?? categoryFromText(l.description) ?? 'other');
}

export async function computePurchasePatterns(catalog: Catalog, history: CustomerHistory): Promise<PurchasePatternsData> {
  const active = history.orders.filter((o) => o.status !== 'C');
  const totalSpent = round2(active.reduce((sum, o) => sum + o.total, 0));
  const dates = active.map((o) => o.order_date).sort();
  const lines = furnitureLines(history);
  const categories = await categorizeLines(catalog, lines);
  const byCategory = new Map<string, { category: string; items: number; spent: number }>();
  lines.forEach((line, i) => {
    const category = categories[i]!;
    const entry = byCategory.get(category) ?? { category, items: 0, spent: 0 };
    entry.items += line.quantity;
    entry.spent = round2(entry.spent + line.line_total);
    byCategory.set(category, entry);
  });
  let benefitPlans = 0;
  for (const order of active) {
    for (const line of history.details.get(order.order_id)?.lines ?? []) {
      if (line.is_benefit_plan) benefitPlans += Math.max(1, line.quantity);
    }
  }
  return {
    customer_id: history.customer_id,
    order_count: active.length,
    total_spent: totalSpent,
    average_order: active.length ? round2(totalSpent / active.length) : 0,
    first_order_date: dates[0] ?? null,
    last_order_date: dates[dates.length - 1] ?? null,
    categories: [...byCategory.values()].sort((a, b) => b.spent - a.spent || a.category.localeCompare(b.category)),
    benefit_plans_bought: benefitPlans,
    high_value: totalSpent > highValueThreshold,
  };
}

// ---- loyalty ----

/**
 * Tiers by lifetime spend (cancelled orders excluded):
 * Bronze under $1,000 ≤ Silver under $3,000 ≤ Gold under $7,500 ≤ Platinum.
 */
export const loyaltyTiers: { tier: LoyaltyTier; min_spend: number; benefits: string[] }[] = [
  { tier: 'Bronze', min_spend: 0, benefits: ['Members-only offers by email', 'Birthday savings certificate'] },
  { tier: 'Silver', min_spend: 1_000, benefits: ['Early access to seasonal sales', 'Free local delivery on orders over $1,499'] },
  { tier: 'Gold', min_spend: 3_000, benefits: ['Free local delivery on every order', 'Priority delivery scheduling'] },
  { tier: 'Platinum', min_spend: 7_500, benefits: ['A dedicated design consultant', 'Complimentary in-home setup'] },
];

/** The tier a count of orders alone would give (under 3 Bronze, 3–5 Silver, 6–9 Gold, 10+ Platinum). */
const tierByOrderCount = (count: number): LoyaltyTier =>
  count >= 10 ? 'Platinum' : count >= 6 ? 'Gold' : count >= 3 ? 'Silver' : 'Bronze';

const tierRank = (tier: LoyaltyTier) => loyaltyTiers.findIndex((t) => t.tier === tier);

export function loyaltyTierFor(spend: number): LoyaltyTier {
  let tier: LoyaltyTier = 'Bronze';
  for (const t of loyaltyTiers) if (spend >= t.min_spend) tier = t.tier;
  return tier;
}

export function computeLoyalty(patterns: PurchasePatternsData): LoyaltyData {
  const spend = patterns.total_spent;
  const tier = loyaltyTierFor(spend);
  const rank = tierRank(tier);
  const next = loyaltyTiers[rank + 1];
  return {
    customer_id: patterns.customer_id,
    lifetime_spend: spend,
    tier,
    next_tier: next?.tier ?? null,
    amount_to_next_tier: next ? round2(next.min_spend - spend) : 0,
    // Benefits add up: a Gold member also has every Silver and Bronze benefit.
    benefits: loyaltyTiers.slice(0, rank + 1).flatMap((t) => t.benefits),
    upgraded: rank > tierRank(tierByOrderCount(patterns.order_count)),
  };
}

// ---- journey ----

/** The customer's story, oldest first: orders, cancellations and deliveries. */
export function buildTimeline(orders: Order[], today: string = new Date().toISOString().slice(0, 10)): JourneyEvent[] {
  const events: (JourneyEvent & { rank: number })[] = [];
  const ascending = [...orders].sort((a, b) => a.order_date.localeCompare(b.order_date) || a.order_id.localeCompare(b.order_id, 'en', { numeric: true }));
  let first = true;
  for (const o of ascending) {
    if (o.status === 'C') {
      events.push({ date: o.order_date, kind: 'cancelled', order_id: o.order_id, label: `Order #${o.order_id} cancelled`, amount: o.total, rank: 0 });
      continue;
    }
    events.push({
      date: o.order_date,
      kind: first ? 'first_order' : 'order',
      order_id: o.order_id,
      label: first ? `First order #${o.order_id}` : `Order #${o.order_id}`,
      amount: o.total,
      rank: 0,
    });
    first = false;
    if (o.delivery_date) {
      const past = o.delivery_date <= today;
      const label = past
        ? o.status === 'F' || o.status === 'S'
          ? `Order #${o.order_id} delivered`
          : `Order #${o.order_id} delivery date`
        : `Order #${o.order_id} delivery scheduled`;
      events.push({ date: o.delivery_date, kind: 'delivery', order_id: o.order_id, label, rank: 1 });
    }
  }
  return events
    .sort((a, b) => a.date.localeCompare(b.date) || a.rank - b.rank)
    .map(({ rank: _rank, ...e }) => e);
}

// ---- analytics ----

export function analyticsInsights(input: {
  patterns: PurchasePatternsData;
  loyalty: LoyaltyData;
  orders: Order[];
  recentDetails: OrderDetails[];
  today?: string;
}): string[] {
  const { patterns, loyalty, orders } = input;
  const today = input.today ?? new Date().toISOString().slice(0, 10);
  const out: string[] = [];
  if (patterns.order_count === 0) {
    out.push(orders.length ? 'No completed purchases yet (only cancelled orders).' : 'No orders on file yet.');
    return out;
  }
  out.push(
    `${loyalty.tier} member: ${money(patterns.total_spent)} across ${patterns.order_count} order${patterns.order_count === 1 ? '' : 's'} (average ${money(patterns.average_order)}).`,
  );
  if (patterns.high_value) out.push(`High-value customer: lifetime spend over ${money(highValueThreshold)}.`);
  const top = patterns.categories.filter((c) => c.category !== 'other').slice(0, 2);
  if (top.length) out.push(`Buys mostly ${listWords(top.map((c) => c.category.replace(/_/g, ' ')))}.`);
  const open = orders.filter((o) => o.status === 'P' || o.status === 'S');
  if (open.length) {
    out.push(`${open.length} order${open.length === 1 ? '' : 's'} in progress: ${open.slice(0, 3).map((o) => `#${o.order_id} (${o.status_label})`).join(', ')}.`);
  }
  const unprotected = input.recentDetails.filter((d) => d.items_total > 0 && d.benefit_plan_total === 0);
  if (unprotected.length) {
    out.push(`No benefit plan on recent order${unprotected.length === 1 ? '' : 's'} ${unprotected.map((d) => `#${d.order_id}`).join(', ')}: protection may be worth mentioning.`);
  }
  const cancelled = orders.filter((o) => o.status === 'C').length;
  if (cancelled) out.push(`${cancelled} cancelled order${cancelled === 1 ? '' : 's'}.`);
  if (patterns.last_order_date) {
    const days = Math.round((Date.parse(today) - Date.parse(patterns.last_order_date)) / 86_400_000);
    if (days >= 0) out.push(`Last order ${readableDate(patterns.last_order_date)} (${days === 0 ? 'today' : `${days} day${days === 1 ? '' : 's'} ago`}).`);
  }
  if (loyalty.next_tier) out.push(`${money(loyalty.amount_to_next_tier)} more to reach ${loyalty.next_tier}.`);
  return out;
}
