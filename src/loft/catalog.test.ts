import { describe, expect, it } from 'vitest';
import { categoryFromText, createSandboxCatalog, resolveCategory } from './catalog.ts';
import { products } from './catalog-data.ts';

const catalog = createSandboxCatalog();

describe('categoryFromText', () => {
  it.each([
    ['BRENNAN SLEEPER SOFA', 'sofas'],
    ['a comfy couch', 'sofas'],
    ['KINGSLEY RECLINING SECTIONAL', 'sectionals'],
    ['Arc Table Lamp', 'lamps'],
    ['Palmetto Outdoor Sectional', 'outdoor'],
    ['Chatham Dining Chair (set of 2)', 'dining_chairs'],
    ['Ashford Lift-Top Coffee Table', 'coffee_tables'],
    ['queen memory foam mattress', 'mattresses'],
    ['Chest of Drawers', 'dressers'],
    ['5 YEAR BENEFIT PLAN', undefined],
  ])('%s → %s', (text, category) => {
    expect(categoryFromText(text)).toBe(category);
  });

  it('resolves category ids and names the model writes', () => {
    expect(resolveCategory('Coffee Tables')).toBe('coffee_tables');
    expect(resolveCategory('tv-stands')).toBe('tv_stands');
    expect(resolveCategory('couch')).toBe('sofas');
    expect(resolveCategory('spaceship')).toBeUndefined();
  });

  it('maps every catalog product name to its own category', () => {
    const wrong = products.filter((p) => categoryFromText(p.name) !== p.category).map((p) => `${p.name} → ${categoryFromText(p.name)}`);
    expect(wrong).toEqual([]);
  });
});

describe('createSandboxCatalog', () => {
  it('finds products by text, most relevant first', async () => {
    const found = await catalog.search({ text: 'recliner' });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.category === 'recliners')).toBe(true);
  });

  it('applies every filter', async () => {
    const found = await catalog.search({ category: 'mattresses', min_price: 500, max_price: 1500, in_stock_only: true, limit: 50 });
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) {
      expect(p.category).toBe('mattresses');
      expect(p.price).toBeGreaterThanOrEqual(500);
      expect(p.price).toBeLessThanOrEqual(1500);
      expect(p.stock).toBeGreaterThan(0);
    }
    const featured = await catalog.search({ featured_only: true, limit: 100 });
    expect(featured.every((p) => p.featured)).toBe(true);
    const brand = await catalog.search({ brand: 'la-z-boy', limit: 100 });
    expect(brand.length).toBeGreaterThan(0);
    expect(brand.every((p) => p.brand === 'La-Z-Boy')).toBe(true);
  });

  it('sorts without text by featured, then price', async () => {
    const found = await catalog.search({ category: 'sofas', limit: 100 });
    const firstPlain = found.findIndex((p) => !p.featured);
    expect(found.slice(firstPlain).every((p) => !p.featured)).toBe(true);
    const plain = found.slice(firstPlain).map((p) => p.price);
    expect(plain).toEqual([...plain].sort((a, b) => a - b));
  });

  it('keeps weak partial matches out ("king bed" is not a Kingsley sectional)', async () => {
    const found = await catalog.search({ text: 'king bed', limit: 100 });
    expect(found.every((p) => p.category === 'beds')).toBe(true);
  });

  it('finds by sku, any case', async () => {
    expect((await catalog.getBySku('sof-1001'))?.name).toBe('Brennan Sofa');
    expect(await catalog.getBySku('NOPE-1')).toBeUndefined();
    expect(catalog.categories()).toHaveLength(16);
  });
});
