// Product picks: from explicit wishes (query, category, brand, budget), from what a customer
// bought (complementary categories), or featured items. Only in-stock products are suggested.
import { categoryLabel, resolveCategory, type Catalog, type Product, type ProductCategory } from '../../loft/index.ts';
import { listWords, money } from './results.ts';

export interface RecommendationFilters {
  query?: string;
  category?: string;
  brand?: string;
  max_price?: number;
}

export interface PurchaseBasis {
  /** categories the customer bought, most important first (e.g. by spend) */
  categories: string[];
  /** skus already bought: never suggested again */
  skus: Set<string>;
}

export const hasFilters = (f: RecommendationFilters) =>
  !!(f.query || f.category || f.brand || f.max_price !== undefined);

/** What a category goes with, read from the catalog (a product of that category carries pairs_with). */
async function pairsOf(catalog: Catalog, category: string): Promise<ProductCategory[]> {
  const known = resolveCategory(category);
  if (!known) return [];
  const [sample] = await catalog.search({ category: known, limit: 1 });
  return sample?.pairs_with ?? [];
}

/**
 * Complementary categories for what was bought, ranked: named by more bought categories first,
 * and categories not bought yet before those already owned.
 */
export async function complementaryCategories(catalog: Catalog, bought: string[]): Promise<ProductCategory[]> {
  const owned = new Set(bought.map((c) => resolveCategory(c)).filter((c): c is ProductCategory => !!c));
  const pairs = await Promise.all(bought.map((c) => pairsOf(catalog, c)));
  const weight = new Map<ProductCategory, number>();
  pairs.forEach((list, i) => {
    // earlier (more important) bought categories weigh a little more
    list.forEach((c) => weight.set(c, (weight.get(c) ?? 0) + 10 - Math.min(i, 9)));
  });
  return [...weight.entries()]
    .sort((a, b) => Number(owned.has(a[0])) - Number(owned.has(b[0])) || b[1] - a[1])
    .map(([c]) => c);
}

/** In-stock products from these categories, taken in turn so the picks are varied. */
export async function productsFromCategories(
  catalog: Catalog,
  categories: ProductCategory[],
  opts: { exclude: Set<string>; limit: number; brand?: string; max_price?: number },
): Promise<Product[]> {
  const perCategory = await Promise.all(
    categories.map((category) =>
      catalog.search({ category, brand: opts.brand, max_price: opts.max_price, in_stock_only: true, limit: opts.limit + opts.exclude.size }),
    ),
  );
  const lists = perCategory.map((list) => list.filter((p) => !opts.exclude.has(p.sku.toUpperCase())));
  const picked: Product[] = [];
  for (let round = 0; picked.length < opts.limit && lists.some((l) => l.length > round); round++) {
    for (const list of lists) {
      const p = list[round];
      if (p && picked.length < opts.limit) picked.push(p);
    }
  }
  return picked;
}

const plural = (category: string) => categoryLabel(category);

export async function recommendProducts(
  catalog: Catalog,
  input: { filters: RecommendationFilters; basis?: PurchaseBasis; limit?: number },
): Promise<{ products: Product[]; reason: string }> {
  const limit = input.limit ?? 6;
  const exclude = input.basis?.skus ?? new Set<string>();
  const f = input.filters;

  if (hasFilters(f)) {
    const category = resolveCategory(f.category);
    const found = await catalog.search({
      text: f.query,
      category,
      brand: f.brand,
      max_price: f.max_price,
      in_stock_only: true,
      limit: limit + exclude.size,
    });
    const products = found.filter((p) => !exclude.has(p.sku.toUpperCase())).slice(0, limit);
    const what = category ? plural(category) : 'products';
    const parts = [`In-stock ${what}`];
    if (f.query) parts.push(`matching "${f.query}"`);
    if (f.brand) parts.push(`by ${f.brand}`);
    if (f.max_price !== undefined) parts.push(`at or under ${money(f.max_price)}`);
    return { products, reason: `${parts.join(' ')}${input.basis ? ', leaving out what you already own' : ''}.` };
  }

  if (input.basis && input.basis.categories.length) {
    const bought = input.basis.categories.filter((c) => c !== 'other');
    const complements = await complementaryCategories(catalog, bought);
    const products = await productsFromCategories(catalog, complements.slice(0, 4), { exclude, limit });
    if (products.length) {
      const shown = [...new Set(products.map((p) => plural(p.category)))];
      return {
        products,
        reason: `Because you bought ${listWords(bought.slice(0, 3).map(plural))}, these ${listWords(shown.length > 3 ? [...shown.slice(0, 3), 'more'] : shown)} go well with them.`,
      };
    }
  }

  const featured = await catalog.search({ featured_only: true, in_stock_only: true, limit: limit + exclude.size });
  const pool = featured.length >= limit ? featured : [...featured, ...(await catalog.search({ in_stock_only: true, limit: limit * 3 }))];
  const products = [...new Map(pool.filter((p) => !exclude.has(p.sku.toUpperCase())).map((p) => [p.sku, p])).values()].slice(0, limit);
  return { products, reason: 'Featured picks from our showrooms, in stock now.' };
}
