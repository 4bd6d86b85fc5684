// The built-in product catalog behind the Catalog interface (a Magento adapter can replace it),
// plus the keyword rules that map free text ("a couch", an order line "BRENNAN SOFA") to one of
// our categories.
import { products as allProducts } from './catalog-data.ts';
import type { Catalog, Product, ProductCategory, ProductQuery } from './types.ts';

/** Every category, in the order customers browse them (the sandbox's query schema uses it too). */
export const productCategories = [
  'sofas',
  'sectionals',
  'recliners',
  'chairs',
  'coffee_tables',
  'tv_stands',
  'beds',
  'mattresses',
  'dressers',
  'nightstands',
  'dining_tables',
  'dining_chairs',
  'desks',
  'rugs',
  'lamps',
  'outdoor',
] as const satisfies readonly ProductCategory[];
const allCategories: ProductCategory[] = [...productCategories];

export function isProductCategory(value: string): value is ProductCategory {
  return (allCategories as string[]).includes(value);
}

// Longer phrases win over shorter ones ("table lamp" is a lamp, "outdoor sectional" is outdoor),
// so the list is tried longest first.
const keywords: Record<ProductCategory, string[]> = {
  sofas: ['sofa', 'couch', 'loveseat', 'love seat', 'settee', 'sleeper'],
  sectionals: ['sectional', 'reclining sectional', 'chaise sectional', 'chaise'],
  recliners: ['recliner', 'reclining chair', 'rocker recliner', 'lift chair', 'power recliner'],
  chairs: ['chair', 'accent chair', 'armchair', 'club chair', 'swivel chair', 'swivel'],
  coffee_tables: ['coffee table', 'end table', 'side table', 'cocktail table', 'occasional table', 'lift-top'],
  tv_stands: ['tv stand', 'tv', 'media console', 'media', 'console', 'entertainment center', 'entertainment'],
  beds: ['bed', 'headboard', 'bed frame', 'bedframe', 'bunk bed', 'storage bed', 'platform bed', 'bedroom set'],
  mattresses: ['mattress', 'memory foam', 'pillow-top', 'pillow top', 'box spring', 'foundation', 'hybrid mattress'],
  dressers: ['dresser', 'chest of drawers', 'chest', 'drawers', 'armoire'],
  nightstands: ['nightstand', 'night stand', 'bedside table', 'usb nightstand'],
  dining_tables: ['dining table', 'kitchen table', 'counter-height table', 'counter height table', 'dinette', 'dining set', 'dining', 'table'],
  dining_chairs: ['dining chair', 'side chair', 'bar stool', 'counter stool', 'stool'],
  desks: ['desk', 'writing desk', 'office', 'home office'],
  rugs: ['rug', 'area rug', 'runner', 'carpet'],
  lamps: ['lamp', 'table lamp', 'floor lamp', 'lighting', 'light'],
  outdoor: ['outdoor', 'patio', 'adirondack', 'porch', 'outdoor sectional', 'garden'],
};

const keywordRules: { pattern: RegExp; category: ProductCategory; length: number }[] = Object.entries(keywords)
  .flatMap(([category, words]) =>
    words.map((w) => ({
      // whole words, optional plural: "sofas", "couches", "chests"
      pattern: new RegExp(`(^|[^a-z])${w.replace(/[-\s]/g, '[-\\s]?')}(s|es)?($|[^a-z])`),
      category: category as ProductCategory,
      length: w.length,
    })),
  )
  .sort((a, b) => b.length - a.length);

/** The category a free text names (a query, an order-line description), if any. */
export function categoryFromText(text: string): ProductCategory | undefined {
  const t = text.toLowerCase();
  return keywordRules.find((r) => r.pattern.test(t))?.category;
}

/** A category the model or a person wrote ("Coffee Tables", "couch", "dining_chairs"). */
export function resolveCategory(text: string | undefined): ProductCategory | undefined {
  if (!text) return undefined;
  const id = text.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (isProductCategory(id)) return id;
  return categoryFromText(text);
}

export function categoryLabel(category: string): string {
  return category.replace(/_/g, ' ');
}

const stopWords = new Set(
  'a an and any are at best can do for from get good have i in is it looking me my need of on or please show some something the to under over with want would you your like cheap new buy'.split(' '),
);

function stem(token: string): string {
  if (token.length <= 3) return token;
  if (token.endsWith('sses')) return token.slice(0, -2);
  if (token.endsWith('ies')) return `${token.slice(0, -3)}y`;
  if (token.endsWith('s') && !token.endsWith('ss')) return token.slice(0, -1);
  return token;
}

function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length >= 2 && !/^\d+$/.test(t) && !stopWords.has(t))
    .map(stem);
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A whole word, its plural, or (for longer tokens) a word it begins: "king" is not "Kingsley". */
function hasWord(field: string, token: string): boolean {
  return field
    .split(/[^a-z0-9]+/)
    .some((w) => w === token || w === `${token}s` || w === `${token}es` || (token.length >= 5 && w.startsWith(token)));
}

function relevance(p: Product, queryTokens: string[], queryCategory: ProductCategory | undefined): number {
  let score = queryCategory === p.category ? 4 : 0;
  const name = p.name.toLowerCase();
  const brand = p.brand.toLowerCase();
  const category = categoryLabel(p.category);
  const description = p.description.toLowerCase();
  for (const t of queryTokens) {
    if (hasWord(name, t)) score += 3;
    if (hasWord(brand, t) || (t.length >= 3 && squash(p.brand).startsWith(t))) score += 2;
    if (hasWord(category, t)) score += 2;
    if (hasWord(description, t)) score += 1;
  }
  return score;
}

export function createSandboxCatalog(items: Product[] = allProducts): Catalog {
  const bySku = new Map(items.map((p) => [p.sku.toUpperCase(), p]));
  const categories = allCategories.filter((c) => items.some((p) => p.category === c));

  return {
    async search(query: ProductQuery): Promise<Product[]> {
      const limit = Math.min(Math.max(Math.trunc(query.limit ?? 12), 1), 100);
      const brand = query.brand ? squash(query.brand) : '';
      const queryTokens = query.text ? tokens(query.text) : [];
      const queryCategory = query.text ? categoryFromText(query.text) : undefined;
      const scored: { p: Product; score: number }[] = [];
      for (const p of items) {
        if (query.category && p.category !== query.category) continue;
        if (brand && !squash(p.brand).includes(brand)) continue;
        if (query.min_price !== undefined && p.price < query.min_price) continue;
        if (query.max_price !== undefined && p.price > query.max_price) continue;
        if (query.in_stock_only && p.stock <= 0) continue;
        if (query.featured_only && !p.featured) continue;
        const score = queryTokens.length > 0 || queryCategory ? relevance(p, queryTokens, queryCategory) : 0;
        // A text that matches nothing in a product leaves it out; a text of only stop words filters nothing.
        if ((queryTokens.length > 0 || queryCategory) && score === 0) continue;
        scored.push({ p, score });
      }
      // Weak partial matches ("king" in "king bed" also names a sectional) give way to strong ones.
      const best = scored.reduce((m, s) => Math.max(m, s.score), 0);
      const relevant = best > 0 ? scored.filter((s) => s.score * 2 >= best) : scored;
      relevant.sort(
        (a, b) =>
          b.score - a.score ||
          Number(b.p.featured) - Number(a.p.featured) ||
          a.p.price - b.p.price ||
          a.p.sku.localeCompare(b.p.sku),
      );
      return relevant.slice(0, limit).map((s) => s.p);
    },
    async getBySku(sku: string) {
      return bySku.get(sku.trim().toUpperCase());
    },
    categories() {
      return [...categories];
    },
  };
}
