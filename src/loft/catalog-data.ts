// The built-in product catalog: a furniture and mattress outlet's range, generated
// deterministically from a few templates per category. Images are local SVG assets
// (web/assets/products/<category>.svg), so nothing is fetched from outside.
import { createRandom } from '../shared/random.ts';
import type { Product, ProductCategory } from './types.ts';

interface Template {
  category: ProductCategory;
  names: string[];
  styles: string[];
  brands: string[];
  price: [number, number];
  pairs: ProductCategory[];
  blurb: string;
}

const templates: Template[] = [
  { category: 'sofas', names: ['Sofa', 'Loveseat', 'Sleeper Sofa'], styles: ['Brennan', 'Calloway', 'Harbor', 'Mercer', 'Savannah'], brands: ['Ashley', 'Klaussner', 'Simmons Upholstery'], price: [599, 1899], pairs: ['coffee_tables', 'rugs', 'lamps', 'recliners'], blurb: 'Deep seats, stain-resistant fabric and a kiln-dried hardwood frame.' },
  { category: 'sectionals', names: ['Sectional', 'Reclining Sectional', 'Chaise Sectional'], styles: ['Alder', 'Bayside', 'Kingsley', 'Peachtree'], brands: ['Ashley', 'Southern Motion', 'Klaussner'], price: [1299, 3499], pairs: ['coffee_tables', 'tv_stands', 'rugs'], blurb: 'Room for the whole family, with modular pieces that fit your space.' },
  { category: 'recliners', names: ['Recliner', 'Power Recliner', 'Rocker Recliner'], styles: ['Dalton', 'Everett', 'Lakeside', 'Weston'], brands: ['La-Z-Boy', 'Southern Motion', 'Ashley'], price: [399, 1299], pairs: ['lamps', 'rugs', 'sofas'], blurb: 'Smooth reclining action and plush padding for long evenings.' },
  { category: 'chairs', names: ['Accent Chair', 'Swivel Chair', 'Club Chair'], styles: ['Aurora', 'Blakely', 'Juniper', 'Marlow'], brands: ['Ashley', 'Jofran'], price: [249, 799], pairs: ['lamps', 'rugs'], blurb: 'A statement piece that pulls the room together.' },
  { category: 'coffee_tables', names: ['Coffee Table', 'Lift-Top Coffee Table', 'End Table'], styles: ['Ashford', 'Birchwood', 'Fulton', 'Rowan'], brands: ['Ashley', 'Jofran', 'Magnussen'], price: [149, 599], pairs: ['sofas', 'rugs', 'lamps'], blurb: 'Solid wood construction with a durable finish.' },
  { category: 'tv_stands', names: ['TV Stand', 'Media Console', 'Entertainment Center'], styles: ['Brookhaven', 'Graystone', 'Harlow'], brands: ['Ashley', 'Jofran'], price: [199, 1199], pairs: ['sectionals', 'recliners'], blurb: 'Cable management and adjustable shelves for every device.' },
  { category: 'beds', names: ['Queen Bed', 'King Bed', 'Storage Bed', 'Bunk Bed'], styles: ['Avalon', 'Cumberland', 'Hollis', 'Stonebridge', 'Willow'], brands: ['Ashley', 'Samuel Lawrence', 'Magnussen'], price: [399, 1999], pairs: ['mattresses', 'nightstands', 'dressers'], blurb: 'A headboard that anchors the bedroom, built to last.' },
  { category: 'mattresses', names: ['Hybrid Mattress', 'Memory Foam Mattress', 'Pillow-Top Mattress'], styles: ['Serenity', 'Cloud Rest', 'Harmony', 'Dream Select'], brands: ['Sealy', 'Serta', 'Tempur-Pedic', 'Beautyrest'], price: [399, 2999], pairs: ['beds', 'nightstands'], blurb: 'Pressure relief and edge support for a better night.' },
  { category: 'dressers', names: ['Dresser', 'Chest of Drawers', 'Dresser & Mirror'], styles: ['Avalon', 'Cumberland', 'Hollis', 'Willow'], brands: ['Ashley', 'Samuel Lawrence'], price: [349, 1299], pairs: ['beds', 'nightstands'], blurb: 'Soft-close drawers with felt-lined tops.' },
  { category: 'nightstands', names: ['Nightstand', 'USB Nightstand'], styles: ['Avalon', 'Cumberland', 'Hollis', 'Willow'], brands: ['Ashley', 'Samuel Lawrence'], price: [129, 449], pairs: ['beds', 'lamps'], blurb: 'Handy storage with built-in charging on select models.' },
  { category: 'dining_tables', names: ['Dining Table', 'Counter-Height Table', 'Extension Dining Table'], styles: ['Chatham', 'Farmhouse', 'Linden', 'Redmond'], brands: ['Ashley', 'Liberty', 'Intercon'], price: [399, 1799], pairs: ['dining_chairs', 'rugs', 'lamps'], blurb: 'Seats the family for weeknights and holidays alike.' },
  { category: 'dining_chairs', names: ['Dining Chair (set of 2)', 'Upholstered Side Chair (set of 2)', 'Counter Stool (set of 2)'], styles: ['Chatham', 'Farmhouse', 'Linden', 'Redmond'], brands: ['Ashley', 'Liberty', 'Intercon'], price: [149, 499], pairs: ['dining_tables'], blurb: 'Comfortable seats that match our dining collections.' },
  { category: 'desks', names: ['Writing Desk', 'L-Shaped Desk', 'Lift Desk'], styles: ['Carver', 'Hampton', 'Union'], brands: ['Ashley', 'Martin Furniture'], price: [199, 899], pairs: ['chairs', 'lamps'], blurb: 'A home office that works as hard as you do.' },
  { category: 'rugs', names: ['Area Rug 5x8', 'Area Rug 8x10', 'Runner'], styles: ['Medallion', 'Shag', 'Vintage', 'Geometric'], brands: ['Surya', 'Nourison'], price: [79, 699], pairs: ['sofas', 'dining_tables'], blurb: 'Soft underfoot and easy to clean.' },
  { category: 'lamps', names: ['Table Lamp', 'Floor Lamp', 'Lamp Pair'], styles: ['Arc', 'Ceramic', 'Industrial', 'Glass'], brands: ['Ashley', 'Uttermost'], price: [49, 349], pairs: ['nightstands', 'sofas'], blurb: 'Warm light to finish any room.' },
  { category: 'outdoor', names: ['Patio Set', 'Outdoor Sectional', 'Adirondack Chair'], styles: ['Lake Allatoona', 'Palmetto', 'Riverside'], brands: ['Ashley Outdoor', 'Homecrest'], price: [199, 2499], pairs: ['rugs'], blurb: 'Weather-resistant comfort for the Georgia summer.' },
];

function roundPrice(n: number): number {
  return Math.floor(n / 10) * 10 + 9.99; // ends in 9.99
}

function buildCatalog(): Product[] {
  const rnd = createRandom(1988);
  const products: Product[] = [];
  for (const t of templates) {
    for (const style of t.styles) {
      for (const name of t.names) {
        if (!rnd.chance(0.8)) continue;
        const base = t.price[0] + rnd.next() * (t.price[1] - t.price[0]);
        const prefix = t.category.slice(0, 3).toUpperCase();
        products.push({
          sku: `${prefix}-${String(products.length + 1001)}`,
          name: `${style} ${name}`,
          category: t.category,
          brand: rnd.pick(t.brands),
          price: Number(roundPrice(base).toFixed(2)),
          stock: rnd.chance(0.12) ? 0 : rnd.int(1, 40),
          image: `/assets/products/${t.category}.svg`,
          description: t.blurb,
          featured: rnd.chance(0.15),
          pairs_with: t.pairs,
        });
      }
    }
  }
  return products;
}

export const products: Product[] = buildCatalog();

/** The warranty add-on LOFT records as an order line ("BENEFIT PLAN"), priced by item value. */
export function benefitPlanFor(itemPrice: number): { product_id: string; description: string; price: number } {
  if (itemPrice >= 1500) return { product_id: 'BP-5YR-PREM', description: '5 YEAR PREMIUM BENEFIT PLAN', price: 199.99 };
  if (itemPrice >= 600) return { product_id: 'BP-5YR', description: '5 YEAR BENEFIT PLAN', price: 129.99 };
  return { product_id: 'BP-3YR', description: '3 YEAR BENEFIT PLAN', price: 69.99 };
}
