// Entity extraction for the offline model: phones, emails, customer ids, order ids, ordinals,
// showrooms, product categories, brands and prices, in plain English and common Spanish.
// Everything works on `normalize(text)`: lower case, accents stripped, curly quotes straightened,
// so patterns are written without accents ("sofa" matches "sofá", "donde" matches "¿dónde?").
import type { ProductCategory } from '../../loft/types.ts';
import { displayPhone, findEmail, findPhone, normalizePhone } from '../../shared/phone.ts';

export type Lang = 'en' | 'es';

/** Lower case, accents removed, typographic quotes made plain, whitespace collapsed. */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u00b4`]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2010-\u2015]/g, '-')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const spanishWords = new Set(
  (
    'hola buenas buenos dias tardes noches gracias por favor quiero quisiera necesito tengo tiene tienen ' +
    'mi mis su sus el la los las del al de que con para por una uno unos unas es esta estan esto ese esa ' +
    'donde cuando como cual cuales cuanto cuanta puedo puede pueden podria ayuda ayudar busco buscar ' +
    'pedido pedidos orden ordenes compra compras cliente cuenta correo telefono numero tienda tiendas ' +
    'horario horarios direccion llego llega entrega hablar persona alguien agente reembolso devolucion ' +
    'queja dañado danado roto rota sofa sillon colchon cama mesa silla comedor menos hasta muestrame ' +
    'recomienda recomiendame recomendacion puntos recompensas nivel lealtad historial detalles primer ' +
    'primero segundo tercero ultimo pero tambien muy si no y o mas ver sobre estoy soy me llamo'
  ).split(' '),
);
const englishWords = new Set(
  (
    'hi hello hey thanks thank please i my me you your the a an is are was were what where when how ' +
    'which can could would should do does did have has want need find show tell order orders store ' +
    'hours directions details customer phone email with for to of in on and or but this that it ' +
    'looking recommend talk person human agent refund damaged arrived under about'
  ).split(' '),
);

/** 'es' when the text reads as Spanish (accents, ¿¡, or more Spanish than English words). */
export function detectLang(raw: string): Lang {
  if (/[¿¡ñ]/i.test(raw)) return 'es';
  const words = normalize(raw).match(/[a-z']+/g) ?? [];
  let es = 0;
  let en = 0;
  for (const w of words) {
    if (spanishWords.has(w)) es++;
    if (englishWords.has(w)) en++;
  }
  if (/[áéíóú]/i.test(raw)) es += 1;
  return es > en ? 'es' : 'en';
}

// ---------------------------------------------------------------------------------------------
// Order ids. Generous but specific; every form is documented here and in the report:
//  1. a prefixed id: 2–4 letters, a dash or space, 4 digits, a dash, 3–10 digits
//     (SO-2024-001234, INV 2023-5567) — the LOFT sales-order shape;
//  2. SO / ORD / INV / WO / PO followed by 4–12 digits (SO123456, ORD-88812, so 123456);
//  3. a number of 4–12 digits introduced by "order" / "pedido" / "orden" / "invoice" / "factura",
//     optionally with "number", "no.", "num", "#", "id", ":" ("order 123456", "pedido #98765");
//  4. "#" followed by 4–12 digits ("#123456").
// Letters are returned upper-cased, the rest as written (LOFT is queried with the id as given).
// ---------------------------------------------------------------------------------------------
const orderIdPatterns: RegExp[] = [
  /\b([a-z]{2,4}[- ]\d{4}-\d{3,10})\b/i,
  /\b((?:so|ord|inv|wo|po)-?\d{4,12})\b/i,
  /\b(?:so|ord|inv|wo|po) (\d{4,12})\b/i,
  /\b(?:orders?|pedidos?|orden(?:es)?|invoice|factura|compra)\s*(?:number|no\.?|n[uú]m(?:ber|ero)?\.?|id|#)?\s*[:#]?\s*(\d{4,12})\b/i,
  /(?:^|\s)#(\d{4,12})\b/,
];

export interface Match {
  value: string;
  index: number;
  length: number;
}

export function findOrderId(text: string): Match | undefined {
  for (const p of orderIdPatterns) {
    const m = p.exec(text);
    if (m && m[1]) {
      let value = m[1].toUpperCase();
      // "SO 123456" → keep the prefix the user typed
      if (p === orderIdPatterns[2]) value = `${m[0].slice(0, m[0].indexOf(' ')).toUpperCase()}-${m[1]}`;
      return { value, index: m.index, length: m[0].length };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Customer ids: "C" + 4–9 digits anywhere (C100234, c100234), or 4–9 digits right after
// "customer" / "client" / "cliente" / "account" / "cuenta" / "custid" / "customer_id"
// (optionally "id", "number", "no.", "#", ":", "="): "customer 100234" → "100234" (as typed).
// ---------------------------------------------------------------------------------------------
const customerIdPatterns: RegExp[] = [
  /\b(c\d{4,9})\b/i,
  /\b(?:customer|client|cliente|account|cuenta|custid|customer_id)\s*(?:id|number|no\.?|n[uú]m(?:ber|ero)?\.?|#)?\s*[:#=]?\s*(c?\d{4,9})\b/i,
];

export function findCustomerId(text: string): Match | undefined {
  for (const p of customerIdPatterns) {
    const m = p.exec(text);
    if (m && m[1]) return { value: m[1].toUpperCase(), index: m.index, length: m[0].length };
  }
  return undefined;
}

/** Text with the order and customer ids blanked out, so their digits never read as a phone. */
function withoutIds(text: string): string {
  let t = text;
  for (let i = 0; i < 3; i++) {
    const o = findOrderId(t);
    if (o) t = t.slice(0, o.index) + ' '.repeat(o.length) + t.slice(o.index + o.length);
    const c = findCustomerId(t);
    if (c) t = t.slice(0, c.index) + ' '.repeat(c.length) + t.slice(c.index + c.length);
    if (!o && !c) break;
  }
  return t;
}

/**
 * The first US phone number in the text, in LOFT's display form (404-555-0142). Accepts
 * 404-555-0142, (404) 555-0142, 404.555.0142, 404 555 0142, 4045550142, +1 404 555 0142,
 * 1-404-555-0142, +14045550142.
 */
export function extractPhone(text: string): string | undefined {
  const e164 = findPhone(withoutIds(text)) ?? undefined;
  if (e164) return displayPhone(e164);
  // a run of digits written with odd separators, e.g. "404 - 555 - 0142"
  const m = /(?:\+?1[\s.-]*)?\(?\d{3}\)?[\s.-]*\d{3}[\s.-]*\d{4}\b/.exec(withoutIds(text));
  const n = m ? normalizePhone(m[0]) : undefined;
  return n ? displayPhone(n) : undefined;
}

/** The first email address in the text (checked token by token: linear on long input). */
export function extractEmail(text: string): string | undefined {
  if (!text.includes('@')) return undefined;
  for (const token of text.split(/[\s<>()[\]{},;:"']+/)) {
    if (token.length > 254 || !token.includes('@')) continue;
    const email = findEmail(token);
    if (email) return email;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Ordinals ("the second one", "my latest order", "el primer pedido") → a position in a list
// that is newest first. 'last-in-list' is the bottom of the list shown (the oldest order);
// "my last order" / "latest" / "most recent" / "mi último pedido" mean the newest (index 0).
// ---------------------------------------------------------------------------------------------
export type Ordinal = number | 'last-in-list';

const ordinalWords: [RegExp, number][] = [
  [/\b(first|1st|primer[oa]?|1er[oa]?)\b/, 0],
  [/\b(second|2nd|segund[oa]|2d[oa])\b/, 1],
  [/\b(third|3rd|tercer[oa]?|3er[oa]?)\b/, 2],
  [/\b(fourth|4th|cuart[oa])\b/, 3],
  [/\b(fifth|5th|quint[oa])\b/, 4],
  [/\b(sixth|6th|sext[oa])\b/, 5],
];

/** The ordinal a (normalised) text refers to, if any. */
export function findOrdinal(t: string): Ordinal | undefined {
  if (/\b(latest|newest|most recent|recent|mas reciente|reciente|ultimo pedido|ultima orden|ultima compra)\b/.test(t)) return 0;
  if (/\b(my|mi) (very )?(last|ultim[oa])\b/.test(t)) return 0;
  if (/\b(oldest|earliest|mas antigu[oa]|mas viej[oa])\b/.test(t)) return 'last-in-list';
  if (/\b(last|ultim[oa])\b/.test(t)) return 'last-in-list';
  for (const [re, n] of ordinalWords) if (re.test(t)) return n;
  const num = /(?:#|\b(?:number|no\.?|numero|num\.?|n[°º]))\s*([1-9])\b/.exec(t);
  if (num) return Number(num[1]) - 1;
  return undefined;
}

export function pickByOrdinal<T>(list: T[], ordinal: Ordinal): T | undefined {
  if (list.length === 0) return undefined;
  if (ordinal === 'last-in-list') return list[list.length - 1];
  return list[ordinal];
}

// ---------------------------------------------------------------------------------------------
// Showrooms: the six Georgia cities (word match, accents ignored). "Woodstock Outlet" is the
// company name, so it never selects the Woodstock showroom by itself.
// ---------------------------------------------------------------------------------------------
export const showroomCities = ['Woodstock', 'Acworth', 'Canton', 'Cartersville', 'Douglasville', 'Dallas'] as const;

export function findStore(t: string): string | undefined {
  const text = t.replace(/\bwoodstock outlets?\b/g, ' ');
  let best: { city: string; index: number } | undefined;
  for (const city of showroomCities) {
    const m = new RegExp(`\\b${city.toLowerCase()}\\b`).exec(text);
    if (m && (!best || m.index < best.index)) best = { city, index: m.index };
  }
  return best?.city;
}

// ---------------------------------------------------------------------------------------------
// Products: categories (EN + ES words, singular and plural), brands and price limits.
// ---------------------------------------------------------------------------------------------
const categoryWords: [ProductCategory, RegExp][] = [
  ['sectionals', /\b(sectionals?|sectional sofas?|(?:sofas? |sillon(?:es)? )?seccional(?:es)?|sofa en l|l-shaped sofa)\b/],
  ['recliners', /\b(recliners?|power recliners?|rocker recliners?|reclinables?|sillon(?:es)? reclinables?|reclinadores?|sillon(?:es)?)\b/],
  ['dining_chairs', /\b(dining chairs?|bar stools?|counter stools?|stools?|sillas? de comedor|bancos? de bar|taburetes?)\b/],
  ['dining_tables', /\b(dining (?:tables?|sets?|room)|kitchen tables?|counter-height tables?|mesas? de comedor|juegos? de comedor|comedor(?:es)?)\b/],
  ['coffee_tables', /\b(coffee tables?|end tables?|side tables?|cocktail tables?|mesas? de centro|mesas? auxiliar(?:es)?|mesas? laterales?|mesitas? de centro)\b/],
  ['nightstands', /\b(nightstands?|night stands?|bedside tables?|mesitas? de noche|mesas? de noche|buros?)\b/],
  ['tv_stands', /\b(tv stands?|tv consoles?|media consoles?|entertainment (?:centers?|centres?)|muebles? (?:de|para) (?:la )?(?:tv|television)|centros? de entretenimiento)\b/],
  ['mattresses', /\b(mattress(?:es)?|colchon(?:es)?|box springs?)\b/],
  ['dressers', /\b(dressers?|chests? of drawers|chests?|comodas?|cajoneras?|tocador(?:es)?)\b/],
  ['beds', /\b(beds?|bed ?frames?|headboards?|bunk beds?|camas?|literas?|cabeceras?|base de cama)\b/],
  ['sofas', /\b(sofas?|couch(?:es)?|loveseats?|love seats?|sleeper sofas?|settees?|canapes?)\b/],
  ['chairs', /\b(accent chairs?|arm ?chairs?|club chairs?|swivel chairs?|chairs?|butacas?|sillas?)\b/],
  ['desks', /\b(desks?|home office|office furniture|escritorios?)\b/],
  ['rugs', /\b(rugs?|area rugs?|runners?|carpets?|alfombras?|tapetes?)\b/],
  ['lamps', /\b(lamps?|lighting|floor lamps?|table lamps?|lamparas?)\b/],
  ['outdoor', /\b(outdoor|patio|porch|deck furniture|adirondack|exterior|jardin|terraza)\b/],
];

/** Rooms map to the category people usually mean. Used only when no category word is present. */
const roomWords: [ProductCategory, RegExp][] = [
  ['sofas', /\b(living ?room|family room|den|sala)\b/],
  ['beds', /\b(bedroom|guest room|dormitorio|recamara|habitacion)\b/],
  ['dining_tables', /\b(dining ?room|kitchen|cocina)\b/],
  ['desks', /\b(office|study|oficina)\b/],
];

export function findCategory(t: string): ProductCategory | undefined {
  let best: { cat: ProductCategory; index: number; length: number } | undefined;
  for (const [cat, re] of categoryWords) {
    const m = re.exec(t);
    if (!m) continue;
    if (!best || m.index < best.index || (m.index === best.index && m[0].length > best.length)) {
      best = { cat, index: m.index, length: m[0].length };
    }
  }
  if (best) return best.cat;
  for (const [cat, re] of roomWords) if (re.test(t)) return cat;
  return undefined;
}

/** Canonical brand names as the catalog spells them, with the ways people write them. */
const brandWords: [string, RegExp][] = [
  ['Ashley Outdoor', /\bashley outdoor\b/],
  ['Ashley', /\bashley\b/],
  ['Klaussner', /\bklaussner\b/],
  ['Beautyrest', /\b(beautyrest|beauty rest|simmons beautyrest)\b/],
  ['Simmons Upholstery', /\bsimmons\b/],
  ['Southern Motion', /\bsouthern motion\b/],
  ['La-Z-Boy', /\b(la-?z-?boy|lazboy|lazyboy|lazy boy)\b/],
  ['Jofran', /\bjofran\b/],
  ['Magnussen', /\bmagnuss?en\b/],
  ['Samuel Lawrence', /\bsamuel lawrence\b/],
  ['Sealy', /\bsealy\b/],
  ['Serta', /\bserta\b/],
  ['Tempur-Pedic', /\b(tempur-?pedic|tempur)\b/],
  ['Liberty', /\bliberty furniture\b|\bby liberty\b|\bliberty (?:dining|table|chairs?)\b/],
  ['Intercon', /\bintercon\b/],
  ['Martin Furniture', /\bmartin furniture\b/],
  ['Surya', /\bsurya\b/],
  ['Nourison', /\bnourison\b/],
  ['Uttermost', /\buttermost\b/],
  ['Homecrest', /\bhomecrest\b/],
];

export function findBrand(t: string): string | undefined {
  for (const [brand, re] of brandWords) if (re.test(t)) return brand;
  return undefined;
}

function parseAmount(num: string, suffix: string | undefined): number | undefined {
  let s = num.trim();
  if (/^\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, ''); // 1.000 (Spanish thousands)
  s = s.replace(/,/g, '');
  let n = Number(s);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  if (suffix && /^(k|mil|thousand|grand)$/.test(suffix)) n *= 1000;
  return Math.round(n * 100) / 100;
}

// at most 7 digits and never inside a longer number, so a run of digits costs linear time
const amount = String.raw`\$?\s*(?<![\d.,])(\d{1,3}(?:[,.]\d{3}){1,3}|\d{1,7}(?:\.\d{1,2})?)(?![\d])\s*(k|mil|thousand|grand)?\b`;
const maxPricePatterns: RegExp[] = [
  new RegExp(String.raw`\b(?:between|entre)\s*${amount}\s*(?:and|y|-|to|a)\s*${amount}`),
  new RegExp(
    String.raw`(?:\bunder|\bbelow|\bless than|\bcheaper than|\blower than|\bmax(?:imum)?|\bup to|\bno more than|\bnot more than|\bat most|\bwithin|\bbudget(?: of| is| around| about| de| is around)?|\baround|\bno mas de|\bmenos de|\bpor debajo de|\bpor menos de|\bhasta|\bmaximo|\bpresupuesto(?: de| es| maximo de)?|\bcomo maximo|<=?)\s*(?:of\s*)?(?:usd\s*)?${amount}`,
  ),
  new RegExp(String.raw`${amount}\s*(?:dollars|dolares|usd|bucks)?\s*(?:or less|or under|or below|max|tops|o menos|como maximo|maximo)\b`),
];

/** The most the customer wants to spend, when the text says so ("under $1,000", "hasta 1500"). */
export function findMaxPrice(t: string): number | undefined {
  const between = maxPricePatterns[0]!.exec(t);
  if (between) return parseAmount(between[3]!, between[4]);
  for (const p of maxPricePatterns.slice(1)) {
    const m = p.exec(t);
    if (m) return parseAmount(m[1]!, m[2]);
  }
  return undefined;
}

/** Descriptive words that appear in product names and are worth a text search. */
const descriptorWords =
  /\b(sleeper|loveseat|power|rocker|swivel|storage|bunk|queen|king|twin|full|hybrid|memory foam|pillow-?top|lift-?top|counter-height|extension|l-shaped|lift|adirondack|floor|runner|leather|cuero|piel|fabric|tela|modular|chaise|reclining|firm|plush|soft|gray|grey|blue|white|black|brown|beige)\b/g;

export function findDescriptors(t: string): string | undefined {
  const words = t.match(descriptorWords);
  if (!words) return undefined;
  const map: Record<string, string> = { cuero: 'leather', piel: 'leather', tela: 'fabric', grey: 'gray' };
  return [...new Set(words.map((w) => map[w] ?? w))].join(' ');
}

/** "my name is Ann Lee" / "I'm Ann" / "me llamo Ana" / "soy Ana" → the name as written. */
export function findName(raw: string): string | undefined {
  // after an explicit "my name is" / "me llamo", lower case is fine too
  const explicit = /\b(?:my name is|my name's|me llamo|mi nombre es)\s+([a-záéíóúñ'-]{2,}(?:\s+[a-záéíóúñ'-]{2,})?)/i.exec(raw);
  if (explicit && !/^(not|and|is|por|y)\b/i.test(explicit[1]!)) {
    const [first, second] = explicit[1]!.split(/\s+/);
    const words = second && !/^(and|y|i|my|mi|from|de|at|en|please|por)$/i.test(second) ? [first!, second] : [first!];
    return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
  }
  const m =
    /\b(?:my name is|my name's|this is|i am|i'm|im|me llamo|mi nombre es|soy)\s+([A-ZÁÉÍÓÚÑ][a-záéíóúñ'-]+(?:\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñ'-]+)?)/.exec(raw);
  if (!m) return undefined;
  const name = m[1]!;
  // "I'm Looking", "Soy Cliente": capitalised common words are not names
  if (/^(looking|trying|interested|calling|writing|having|not|so|very|still|here|cliente|de|el|la|una?|from|a|the)\b/i.test(name)) return undefined;
  return name;
}
