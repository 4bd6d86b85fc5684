// Answer writing for the offline model: concise markdown (no HTML, no raw JSON) from the typed
// tool results of this turn, in English or Spanish. The app renders the components itself, so the
// text says what matters and offers the next step.
import { customerDataTools } from '../tools/types.ts';
import type { Customer, Order, OrderLine, Product, Showroom } from '../../loft/types.ts';
import type {
  AnalyticsData,
  CrossSellData,
  DirectionsData,
  JourneyData,
  LoyaltyData,
  OrderDetailsData,
  OrderListData,
  PurchasePatternsData,
  RecommendationsData,
  SupportConnectionData,
  SupportTicketData,
} from '../tools/types.ts';
import { asRecord, isFirstPerson, isThirdPerson, knownCustomers, ordersOf, selfCustomerIds, type ToolOutcome, type TurnContext } from './context.ts';
import type { Lang } from './entities.ts';

// ---- formatting ----

export function money(n: number): string {
  const v = Number.isFinite(n) ? n : 0;
  const fixed = Math.abs(v).toFixed(2);
  const [int, dec] = fixed.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${v < 0 ? '-' : ''}$${grouped}.${dec}`;
}

const monthsEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const monthsEs = ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'];

/** 2025-03-04 → "Mar 4, 2025" / "4 mar 2025". Other shapes are returned as given. */
export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const month = Number(m[2]) - 1;
  const day = Number(m[3]);
  if (month < 0 || month > 11) return iso;
  return lang === 'es' ? `${day} ${monthsEs[month]} ${m[1]}` : `${monthsEn[month]} ${day}, ${m[1]}`;
}

function monthYear(iso: string | null | undefined, lang: Lang): string {
  const m = iso ? /^(\d{4})-(\d{2})/.exec(iso) : null;
  if (!m) return '';
  const month = Number(m[2]) - 1;
  return lang === 'es' ? `${monthsEs[month]} ${m[1]}` : `${monthsEn[month]} ${m[1]}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "BRENNAN SOFA" → "Brennan Sofa"; mixed case stays as written. */
function titleCase(s: string): string {
  if (s !== s.toUpperCase()) return s;
  return s.toLowerCase().replace(/\b([a-z])/g, (c) => c.toUpperCase()).replace(/\b(Of|And|The|With|In)\b/g, (w) => w.toLowerCase());
}

const categoryLabels: Record<string, [string, string]> = {
  sofas: ['sofas', 'sofás'],
  sectionals: ['sectionals', 'seccionales'],
  recliners: ['recliners', 'reclinables'],
  chairs: ['chairs', 'sillas'],
  coffee_tables: ['coffee tables', 'mesas de centro'],
  tv_stands: ['TV stands', 'muebles de TV'],
  beds: ['beds', 'camas'],
  mattresses: ['mattresses', 'colchones'],
  dressers: ['dressers', 'cómodas'],
  nightstands: ['nightstands', 'mesitas de noche'],
  dining_tables: ['dining tables', 'mesas de comedor'],
  dining_chairs: ['dining chairs', 'sillas de comedor'],
  desks: ['desks', 'escritorios'],
  rugs: ['rugs', 'alfombras'],
  lamps: ['lamps', 'lámparas'],
  outdoor: ['outdoor', 'exterior'],
};
const categoryLabel = (c: string, lang: Lang) => categoryLabels[c]?.[lang === 'es' ? 1 : 0] ?? c.replace(/_/g, ' ');

const statusEs: Record<string, string> = { F: 'Finalizado', P: 'Pendiente', C: 'Cancelado', S: 'Enviado / programado' };
const statusLabel = (o: Order, lang: Lang) => (lang === 'es' ? statusEs[o.status] ?? o.status_label : o.status_label || o.status);

const priorityEs: Record<string, string> = { urgent: 'urgente', high: 'alta', normal: 'normal', low: 'baja' };

const dayWordsEs: [RegExp, string][] = [
  [/Monday/g, 'lunes'],
  [/Tuesday/g, 'martes'],
  [/Wednesday/g, 'miércoles'],
  [/Thursday/g, 'jueves'],
  [/Friday/g, 'viernes'],
  [/Saturday/g, 'sábado'],
  [/Sunday/g, 'domingo'],
];
const daysText = (days: string, lang: Lang) => (lang === 'es' ? dayWordsEs.reduce((s, [re, w]) => s.replace(re, w), days).replace(/–/g, ' a ') : days);

// ---- whose records ----

interface Who {
  self: boolean;
  id: string | undefined;
  name: string | undefined;
}

function whoFor(ctx: TurnContext, customerId: string | undefined, customer?: Customer): Who {
  const known = customerId ? knownCustomers(ctx.results).get(customerId) : undefined;
  const name = customer?.name || known?.name || undefined;
  const self =
    !isThirdPerson(ctx.t) &&
    (isFirstPerson(ctx.t) ||
      (!!customerId && (customerId === ctx.verifiedCustomerId || selfCustomerIds(ctx.results).has(customerId))));
  return { self, id: customerId, name };
}

/** "**Ann Lee**" / "customer C100234" / "this customer" */
function whoLabel(w: Who, lang: Lang): string {
  if (w.name) return `**${w.name}**`;
  if (w.id) return lang === 'es' ? `el cliente ${w.id}` : `customer ${w.id}`;
  return lang === 'es' ? 'este cliente' : 'this customer';
}

// ---- per-tool writers ----

interface WriteOptions {
  /** the last paragraph of the answer: it may end with an offer */
  last: boolean;
}

type L = (en: string, es: string) => string;

function writeCustomer(c: Customer, ctx: TurnContext, o: WriteOptions, L: L): string {
  const w = whoFor(ctx, c.customer_id, c);
  const place = c.address?.city ? ` ${L('in', 'en')} ${c.address.city}${c.address.state ? `, ${c.address.state}` : ''}` : '';
  const first = c.first_name || c.name?.split(' ')[0] || '';
  const head = w.self
    ? L(`Thanks${first ? `, ${first}` : ''}! I found your account (customer ${c.customer_id})${place}.`, `¡Gracias${first ? `, ${first}` : ''}! Encontré su cuenta (cliente ${c.customer_id})${place}.`)
    : L(`I found **${c.name || c.customer_id}** (customer ${c.customer_id})${place}.`, `Encontré a **${c.name || c.customer_id}** (cliente ${c.customer_id})${place}.`);
  if (!o.last) return head;
  return `${head} ${w.self ? L('Want me to pull up your orders?', '¿Quiere que busque sus pedidos?') : L('Want me to pull up their orders?', '¿Quiere que busque sus pedidos?')}`;
}

function orderLine(order: Order, lang: Lang, L: L): string {
  const parts = [`**${order.order_id}**`, formatDate(order.order_date, lang), money(order.total), statusLabel(order, lang)];
  let line = `- ${parts.filter(Boolean).join(' · ')}`;
  if (order.delivery_date && order.status !== 'C') {
    line += order.status === 'F' ? L(` (delivered ${formatDate(order.delivery_date, lang)})`, ` (entregado ${formatDate(order.delivery_date, lang)})`) : L(` (delivery ${formatDate(order.delivery_date, lang)})`, ` (entrega ${formatDate(order.delivery_date, lang)})`);
  }
  return line;
}

function orderStatusSentence(order: Order, lang: Lang, L: L): string {
  const d = formatDate(order.delivery_date, lang);
  switch (order.status) {
    case 'S':
      return d ? L(`shipped / scheduled for delivery on ${d}`, `enviado / programado para entrega el ${d}`) : L('shipped / scheduled; the delivery date is still being set', 'enviado / programado; la fecha de entrega aún se está fijando');
    case 'P':
      return d ? L(`pending, with delivery planned for ${d}`, `pendiente, con entrega prevista el ${d}`) : L('pending', 'pendiente');
    case 'F':
      return d ? L(`finalized (delivery ${d})`, `finalizado (entrega ${d})`) : L('finalized', 'finalizado');
    case 'C':
      return L('cancelled', 'cancelado');
    default:
      return order.status_label || order.status;
  }
}

function writeOrders(data: OrderListData, ctx: TurnContext, o: WriteOptions, L: L): string {
  const lang = ctx.lang;
  const w = whoFor(ctx, data.customer_id);
  const orders = data.orders ?? [];
  if (orders.length === 0) {
    return w.self
      ? L("I don't see any orders on your account yet.", 'No veo pedidos en su cuenta todavía.')
      : L(`I don't see any orders for ${whoLabel(w, lang)} yet.`, `No veo pedidos de ${whoLabel(w, lang)} todavía.`);
  }
  const n = orders.length;
  const head = w.self
    ? L(`You have ${plural(n, 'order', 'orders')}:`, `Tiene ${plural(n, 'pedido', 'pedidos')}:`)
    : L(`${whoLabel(w, lang)} has ${plural(n, 'order', 'orders')}:`, `${whoLabel(w, lang)} tiene ${plural(n, 'pedido', 'pedidos')}:`);
  const lines = orders.slice(0, 5).map((ord) => orderLine(ord, lang, L));
  if (n > 5) lines.push(L(`- …and ${n - 5} more`, `- …y ${n - 5} más`));
  const latest = orders[0]!;
  const summary =
    n === 1
      ? L(`It is ${orderStatusSentence(latest, lang, L)}.`, `Está ${orderStatusSentence(latest, lang, L)}.`)
      : L(`The most recent, **${latest.order_id}**, is ${orderStatusSentence(latest, lang, L)}.`, `El más reciente, **${latest.order_id}**, está ${orderStatusSentence(latest, lang, L)}.`);
  const offer = o.last
    ? ' ' + (n === 1 ? L('Want to see what is in it?', '¿Quiere ver qué incluye?') : L('Want the details of one? Just say “the first one” or the order number.', '¿Quiere ver los detalles de alguno? Diga “el primero” o el número de pedido.'))
    : '';
  return `${head}\n${lines.join('\n')}\n\n${summary}${offer}`;
}

function detailLine(l: OrderLine, L: L): string {
  const desc = titleCase(l.description);
  if (l.is_benefit_plan) return `- ${desc} — ${L('protection plan', 'plan de protección')} — ${money(l.line_total)}`;
  return `- ${l.quantity} × ${desc} — ${money(l.line_total)}${l.quantity > 1 ? ` (${money(l.unit_price)} ${L('each', 'c/u')})` : ''}`;
}

function writeDetails(data: OrderDetailsData, ctx: TurnContext, L: L): string {
  const lang = ctx.lang;
  // the order's date and status: from the result, or from the order list shown before
  const ord = data.order ?? findOrder(ctx, data.order_id);
  const meta = ord ? ` (${L('placed', 'realizado el')} ${formatDate(ord.order_date, lang)}, ${statusLabel(ord, lang)})` : '';
  const lines = data.lines ?? [];
  const furniture = lines.filter((l) => !l.is_benefit_plan);
  const head = L(`Order **${data.order_id}**${meta} has ${plural(furniture.length, 'item', 'items')}:`, `El pedido **${data.order_id}**${meta} tiene ${plural(furniture.length, 'artículo', 'artículos')}:`);
  const body = [...furniture, ...lines.filter((l) => l.is_benefit_plan)].map((l) => detailLine(l, L)).join('\n');
  let foot = L(`Items total: ${money(data.items_total)}`, `Total de artículos: ${money(data.items_total)}`);
  if (data.benefit_plan_total > 0) foot += L(`, plus ${money(data.benefit_plan_total)} in protection plans.`, `, más ${money(data.benefit_plan_total)} en planes de protección.`);
  else foot += '.';
  if (ord && ord.status !== 'C' && ord.delivery_date) {
    foot += ' ' + L(`It is ${orderStatusSentence(ord, lang, L)}.`, `Está ${orderStatusSentence(ord, lang, L)}.`);
  }
  if (lines.length === 0) return L(`I found order **${data.order_id}**, but it has no item lines yet.`, `Encontré el pedido **${data.order_id}**, pero aún no tiene artículos.`);
  return `${head}\n${body}\n\n${foot}`;
}

function findOrder(ctx: TurnContext, orderId: string): Order | undefined {
  for (let i = ctx.results.length - 1; i >= 0; i--) {
    const r = ctx.results[i]!;
    if (!r.result.ok) continue;
    const found = ordersOf(r.result.data)?.find((o) => o.order_id === orderId);
    if (found) return found;
  }
  return undefined;
}

function topCategories(p: PurchasePatternsData, lang: Lang, L: L): string {
  const cats = [...(p.categories ?? [])].sort((a, b) => b.spent - a.spent).slice(0, 3);
  if (cats.length === 0) return '';
  const list = cats.map((c) => `${categoryLabel(c.category, lang)} (${plural(c.items, L('item', 'artículo'), L('items', 'artículos'))}, ${money(c.spent)})`).join(', ');
  return L(`Top categories: ${list}.`, `Categorías principales: ${list}.`);
}

function writePatterns(p: PurchasePatternsData, ctx: TurnContext, L: L): string {
  const lang = ctx.lang;
  const w = whoFor(ctx, p.customer_id);
  if (!p.order_count) return w.self ? L('There are no purchases on your account yet.', 'Aún no hay compras en su cuenta.') : L(`There are no purchases for ${whoLabel(w, lang)} yet.`, `Aún no hay compras de ${whoLabel(w, lang)}.`);
  const range = p.first_order_date ? L(` between ${monthYear(p.first_order_date, lang)} and ${monthYear(p.last_order_date, lang)}`, ` entre ${monthYear(p.first_order_date, lang)} y ${monthYear(p.last_order_date, lang)}`) : '';
  const head = w.self
    ? L(`You've placed **${plural(p.order_count, 'order', 'orders')}**${range}, **${money(p.total_spent)}** in total (average ${money(p.average_order)} per order).`, `Ha hecho **${plural(p.order_count, 'pedido', 'pedidos')}**${range}, **${money(p.total_spent)}** en total (promedio ${money(p.average_order)} por pedido).`)
    : L(`${whoLabel(w, lang)} placed **${plural(p.order_count, 'order', 'orders')}**${range}, **${money(p.total_spent)}** in total (average ${money(p.average_order)} per order).`, `${whoLabel(w, lang)} hizo **${plural(p.order_count, 'pedido', 'pedidos')}**${range}, **${money(p.total_spent)}** en total (promedio ${money(p.average_order)} por pedido).`);
  const parts = [head, topCategories(p, lang, L)];
  if (p.benefit_plans_bought > 0) parts.push(L(`Protection plans bought: ${p.benefit_plans_bought}.`, `Planes de protección comprados: ${p.benefit_plans_bought}.`));
  if (p.high_value) parts.push(w.self ? L("That makes you one of our high-value customers — thank you!", '¡Eso lo convierte en uno de nuestros clientes de alto valor, gracias!') : L('High-value customer (over $1,500 lifetime).', 'Cliente de alto valor (más de $1,500 en compras).'));
  return parts.filter(Boolean).join(' ');
}

function productLine(p: Product, L: L): string {
  const stock = p.stock > 0 ? L('in stock', 'disponible') : L('out of stock', 'agotado');
  return `- **${p.name}**${p.brand ? ` (${p.brand})` : ''} — ${money(p.price)} · ${stock}`;
}

function writeRecommendations(data: RecommendationsData, ctx: TurnContext, L: L): string {
  const lang = ctx.lang;
  const products = data.products ?? [];
  if (products.length === 0) {
    return L(
      "I couldn't find products that match that right now. Want to try a different budget or category? You can also visit any of our six showrooms.",
      'No encontré productos que coincidan ahora mismo. ¿Quiere probar otro presupuesto u otra categoría? También puede visitar cualquiera de nuestras seis tiendas.',
    );
  }
  const reason = data.reason?.trim().replace(/[.!]+$/, '');
  const head = lang === 'en' && reason ? `${reason}. Here are a few picks:` : L('Here are a few picks:', 'Estas son algunas opciones:');
  const lines = products.slice(0, 4).map((p) => productLine(p, L));
  if (products.length > 4) lines.push(L(`- …and ${products.length - 4} more`, `- …y ${products.length - 4} más`));
  return `${head}\n${lines.join('\n')}\n\n${L('Want more details on one of them, or to see it in a showroom?', '¿Quiere más detalles de alguno o verlo en una de nuestras tiendas?')}`;
}

export function writeProductPick(p: Product, ctx: TurnContext): string {
  const L: L = (en, es) => (ctx.lang === 'es' ? es : en);
  const stock = p.stock > 0 ? L(`in stock (${p.stock} available)`, `disponible (${p.stock} en existencia)`) : L('currently out of stock', 'agotado por ahora');
  return `**${p.name}**${p.brand ? ` (${p.brand})` : ''} — ${money(p.price)}, ${stock}.${p.description && ctx.lang === 'en' ? ` ${p.description}` : ''}\n\n${L('Want me to find similar pieces, or check another one?', '¿Quiere que busque piezas similares o que revise otra?')}`;
}

function writeCrossSell(data: CrossSellData, ctx: TurnContext, L: L): string {
  const lang = ctx.lang;
  const ord = data.order;
  const w = whoFor(ctx, data.customer_id);
  const status = `**${statusLabel(ord, lang)}**`;
  const when = ord.delivery_date && ord.status !== 'C' ? L(`, delivery ${formatDate(ord.delivery_date, lang)}`, `, entrega ${formatDate(ord.delivery_date, lang)}`) : '';
  const head = w.self
    ? L(`Your order **${ord.order_id}** (placed ${formatDate(ord.order_date, lang)}, ${money(ord.total)}) is ${status}${when}.`, `Su pedido **${ord.order_id}** (realizado el ${formatDate(ord.order_date, lang)}, ${money(ord.total)}) está ${status}${when}.`)
    : L(`Order **${ord.order_id}** for ${whoLabel(w, lang)} (placed ${formatDate(ord.order_date, lang)}, ${money(ord.total)}) is ${status}${when}.`, `El pedido **${ord.order_id}** de ${whoLabel(w, lang)} (realizado el ${formatDate(ord.order_date, lang)}, ${money(ord.total)}) está ${status}${when}.`);
  const items = (data.order_lines ?? []).filter((l) => !l.is_benefit_plan).slice(0, 3).map((l) => titleCase(l.description));
  let text = items.length ? `${head} ${L(`It includes ${items.join(', ')}.`, `Incluye ${items.join(', ')}.`)}` : head;
  const sugg = (data.suggestions ?? []).slice(0, 3);
  if (sugg.length) text += `\n\n${L('To go with it:', 'Para complementarlo:')}\n${sugg.map((p) => productLine(p, L)).join('\n')}`;
  return text;
}

function writeTicket(data: SupportTicketData, ctx: TurnContext, L: L): string {
  const pr = ctx.lang === 'es' ? `prioridad ${priorityEs[data.priority] ?? data.priority}` : `${data.priority} priority`;
  const sorry = ['damaged_item', 'complaint', 'delivery', 'refund'].includes(data.category) ? L("I'm sorry about this. ", 'Lo siento mucho. ') : '';
  const order = data.order_id ? L(` I've noted order ${data.order_id}.`, ` Anoté el pedido ${data.order_id}.`) : '';
  return `${sorry}${L(`I've passed it to our support team (ticket ${data.ticket_id}, ${pr}). A person will reply here.`, `He pasado su caso a nuestro equipo de soporte (ticket ${data.ticket_id}, ${pr}). Una persona le responderá aquí.`)}${order}`;
}

function writeLoyalty(data: LoyaltyData, ctx: TurnContext, L: L): string {
  const lang = ctx.lang;
  const w = whoFor(ctx, data.customer_id);
  const head = w.self
    ? L(`You're a **${data.tier}** member, with ${money(data.lifetime_spend)} in lifetime purchases.`, `Usted es miembro **${data.tier}**, con ${money(data.lifetime_spend)} en compras.`)
    : L(`${whoLabel(w, lang)} is a **${data.tier}** member (${money(data.lifetime_spend)} lifetime).`, `${whoLabel(w, lang)} es miembro **${data.tier}** (${money(data.lifetime_spend)} en compras).`);
  const parts = [head];
  if (data.upgraded) parts.push(L(`Good news: that spending earns the upgrade to **${data.tier}**!`, `¡Buenas noticias: esas compras le dan el ascenso a **${data.tier}**!`));
  if (data.next_tier) parts.push(L(`${money(data.amount_to_next_tier)} more in purchases reaches **${data.next_tier}**.`, `Con ${money(data.amount_to_next_tier)} más en compras llega a **${data.next_tier}**.`));
  else parts.push(L("That's our top tier.", 'Es nuestro nivel más alto.'));
  const benefits = (data.benefits ?? []).slice(0, 5);
  let text = parts.join(' ');
  if (benefits.length) text += `\n\n${L('Benefits:', 'Beneficios:')}\n${benefits.map((b) => `- ${b}`).join('\n')}`;
  return text;
}

function writeJourney(data: JourneyData, ctx: TurnContext, L: L): string {
  const lang = ctx.lang;
  const w = whoFor(ctx, data.customer?.customer_id, data.customer);
  const n = data.orders?.length ?? 0;
  const events = [...(data.timeline ?? [])].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const since = events[0]?.date ?? data.orders?.at(-1)?.order_date;
  const sinceText = since ? L(` since ${monthYear(since, lang)}`, ` desde ${monthYear(since, lang)}`) : '';
  const head = w.self
    ? L(`Your journey with us: ${plural(n, 'order', 'orders')}${sinceText}.`, `Su historial con nosotros: ${plural(n, 'pedido', 'pedidos')}${sinceText}.`)
    : L(`${whoLabel(w, lang)}'s journey with us: ${plural(n, 'order', 'orders')}${sinceText}.`, `Historial de ${whoLabel(w, lang)} con nosotros: ${plural(n, 'pedido', 'pedidos')}${sinceText}.`);
  if (events.length === 0) return head;
  const recent = events.slice(-5).map((e) => `- ${formatDate(e.date, lang)} — ${e.label}${e.amount !== undefined ? ` (${money(e.amount)})` : ''}`);
  const title = events.length > 5 ? L('Latest milestones:', 'Últimos hitos:') : L('Timeline:', 'Cronología:');
  return `${head}\n\n${title}\n${recent.join('\n')}`;
}

function writeAnalytics(data: AnalyticsData, ctx: TurnContext, L: L): string {
  const lang = ctx.lang;
  const c = data.customer;
  const p = data.patterns;
  const w = whoFor(ctx, c?.customer_id, c);
  const facts = L(
    `${plural(p?.order_count ?? 0, 'order', 'orders')}, ${money(p?.total_spent ?? 0)} lifetime (average ${money(p?.average_order ?? 0)}), **${data.loyalty_tier}** tier${p?.high_value ? ', high-value' : ''}`,
    `${plural(p?.order_count ?? 0, 'pedido', 'pedidos')}, ${money(p?.total_spent ?? 0)} en compras (promedio ${money(p?.average_order ?? 0)}), nivel **${data.loyalty_tier}**${p?.high_value ? ', alto valor' : ''}`,
  );
  const head = w.self
    ? L(`Here's your overview: ${facts}.`, `Este es su resumen: ${facts}.`)
    : L(`Overview of **${c?.name ?? c?.customer_id}** (customer ${c?.customer_id}): ${facts}.`, `Resumen de **${c?.name ?? c?.customer_id}** (cliente ${c?.customer_id}): ${facts}.`);
  const parts = [head];
  const cats = p ? topCategories(p, lang, L) : '';
  if (cats) parts.push(cats);
  let text = parts.join(' ');
  const insights = (data.insights ?? []).slice(0, 4);
  if (insights.length) text += `\n\n${L('Insights:', 'Observaciones:')}\n${insights.map((i) => `- ${i}`).join('\n')}`;
  return text;
}

function writeConnection(data: SupportConnectionData, L: L): string {
  const store = data.preferred_store ? L(` and noted the ${data.preferred_store} showroom`, ` y anoté la tienda de ${data.preferred_store}`) : '';
  const contact = data.contact ? L(` They can also reach you at ${data.contact}.`, ` También pueden contactarle en ${data.contact}.`) : '';
  return L(
    `Of course. I've let our team know (request ${data.ticket_id})${store}. A person will reply right here shortly.${contact}`,
    `Claro. Avisé a nuestro equipo (solicitud ${data.ticket_id})${store}. Una persona le responderá aquí mismo en breve.${contact}`,
  );
}

function hoursText(s: Showroom, lang: Lang): string {
  return (s.hours ?? []).map((h) => `${daysText(h.days, lang)} ${h.open}`).join('; ');
}

function writeDirections(data: DirectionsData, ctx: TurnContext, L: L): string {
  const lang = ctx.lang;
  const rooms = data.showrooms ?? [];
  if (rooms.length === 0) return L("I couldn't load our showroom list right now — please try again in a moment.", 'No pude cargar la lista de tiendas ahora mismo; intente de nuevo en un momento.');
  if (data.matched && rooms.length === 1) {
    const s = rooms[0]!;
    return [
      `**${s.name}**`,
      `${s.address}, ${s.city}, ${s.state} ${s.zipcode} · ${s.phone}`,
      `${L('Hours', 'Horario')}: ${hoursText(s, lang)}`,
      `[${L('Open in Google Maps', 'Abrir en Google Maps')}](${s.maps_url})`,
    ].join('\n');
  }
  const sameHours = rooms.every((r) => hoursText(r, lang) === hoursText(rooms[0]!, lang));
  const lines = rooms.map((s) => `- **${s.city}** — ${s.address}, ${s.city}, ${s.state} ${s.zipcode} · ${s.phone}${sameHours ? '' : ` · ${hoursText(s, lang)}`}`);
  const head = L(`We have ${rooms.length} showrooms in Georgia:`, `Tenemos ${rooms.length} tiendas en Georgia:`);
  const hours = sameHours ? `\n\n${L('Hours at every showroom', 'Horario en todas las tiendas')}: ${hoursText(rooms[0]!, lang)}.` : '';
  return `${head}\n${lines.join('\n')}${hours}\n\n${L('Tell me which one and I can give you directions.', 'Dígame cuál y le doy las indicaciones.')}`;
}

// ---- failures ----

const loftTools = new Set<string>(customerDataTools);

function verificationText(L: L): string {
  return L(
    "For your privacy, I can't share account details in this chat until you're verified. Please sign in on our website and open the chat again, and I'll pull them up right away. Meanwhile I can help with products, showroom hours and directions, or connect you with a person.",
    'Por su privacidad, no puedo compartir datos de cuentas en este chat hasta que usted esté verificado. Inicie sesión en nuestro sitio web y vuelva a abrir el chat, y los buscaré enseguida. Mientras tanto, puedo ayudarle con productos, horarios y direcciones de nuestras tiendas, o comunicarle con una persona.',
  );
}

function writeFailure(r: ToolOutcome, L: L): string {
  if (r.result.ok) return '';
  const input = r.input ?? {};
  switch (r.result.error) {
    case 'verification_required':
      return verificationText(L);
    case 'not_found': {
      if (r.toolName === 'getCustomerByPhone') {
        const phone = typeof input.phone === 'string' ? ` ${input.phone}` : '';
        return L(`I couldn't find an account with the phone number${phone}. Could you double-check the number, or try the email on the account?`, `No encontré una cuenta con el número${phone}. ¿Podría revisar el número o darme el correo de la cuenta?`);
      }
      if (r.toolName === 'getCustomerByEmail') {
        const email = typeof input.email === 'string' ? ` ${input.email}` : '';
        return L(`I couldn't find an account with the email${email}. Could you double-check it, or try the phone number on the account?`, `No encontré una cuenta con el correo${email}. ¿Podría revisarlo o darme el número de teléfono de la cuenta?`);
      }
      if (r.toolName === 'getDetailsByOrder' || r.toolName === 'handleOrderConfirmationAndCrossSell') {
        const id = typeof input.order_id === 'string' ? ` ${input.order_id}` : '';
        return L(`I couldn't find order${id}. Could you double-check the order number? It looks like SO-2024-001234.`, `No encontré el pedido${id}. ¿Podría revisar el número de pedido? Tiene la forma SO-2024-001234.`);
      }
      if (r.toolName === 'showDirections') return L("I couldn't find that showroom. We're in Woodstock, Acworth, Canton, Cartersville, Douglasville and Dallas.", 'No encontré esa tienda. Estamos en Woodstock, Acworth, Canton, Cartersville, Douglasville y Dallas.');
      return L("I couldn't find any records for that. Could you double-check the number and try again?", 'No encontré registros con esos datos. ¿Podría revisar el número e intentarlo de nuevo?');
    }
    case 'invalid_input':
      return L("I couldn't use those details. Could you check the number or email and send it again?", 'No pude usar esos datos. ¿Podría revisar el número o el correo y enviarlo de nuevo?');
    default:
      if (loftTools.has(r.toolName)) {
        return L(
          "Sorry — our order system isn't answering right now. Please try again in a few minutes, or I can connect you with a person.",
          'Lo siento, nuestro sistema de pedidos no responde en este momento. Intente de nuevo en unos minutos, o puedo comunicarle con una persona.',
        );
      }
      return L(
        'Sorry — something went wrong on my side. Please try again in a moment, or call any of our showrooms.',
        'Lo siento, algo falló de mi lado. Intente de nuevo en un momento o llame a cualquiera de nuestras tiendas.',
      );
  }
}

// ---- the answer ----

function writeOne(r: ToolOutcome, ctx: TurnContext, o: WriteOptions, L: L): string {
  if (!r.result.ok) return writeFailure(r, L);
  const data = r.result.data;
  if (!asRecord(data)) return '';
  switch (r.toolName) {
    case 'getCustomerByPhone':
    case 'getCustomerByEmail':
      return writeCustomer(data as Customer, ctx, o, L);
    case 'getOrdersByCustomer':
      return writeOrders(data as OrderListData, ctx, o, L);
    case 'getDetailsByOrder':
      return writeDetails(data as OrderDetailsData, ctx, L);
    case 'analyzeCustomerPatterns':
      return writePatterns(data as PurchasePatternsData, ctx, L);
    case 'getProductRecommendations':
    case 'handleProductRecommendations':
      return writeRecommendations(data as RecommendationsData, ctx, L);
    case 'handleOrderConfirmationAndCrossSell':
      return writeCrossSell(data as CrossSellData, ctx, L);
    case 'handleSupportEscalation':
      return writeTicket(data as SupportTicketData, ctx, L);
    case 'handleLoyaltyUpgrade':
      return writeLoyalty(data as LoyaltyData, ctx, L);
    case 'getCustomerJourney':
      return writeJourney(data as JourneyData, ctx, L);
    case 'getCustomerAnalytics':
      return writeAnalytics(data as AnalyticsData, ctx, L);
    case 'connectToSupport':
      return writeConnection(data as SupportConnectionData, L);
    case 'showDirections':
      return writeDirections(data as DirectionsData, ctx, L);
    default:
      return '';
  }
}

/** The reply for this turn's tool results (the step after the tools ran). */
export function writeAnswer(ctx: TurnContext): string {
  const L: L = (en, es) => (ctx.lang === 'es' ? es : en);
  const results = ctx.turnResults;
  const paragraphs: string[] = [];
  results.forEach((r, i) => {
    const later = results.slice(i + 1);
    // an order list fetched only to find "the second one" is not worth repeating
    if (r.toolName === 'getOrdersByCustomer' && r.result.ok && later.some((x) => x.result.ok && (x.toolName === 'getDetailsByOrder' || x.toolName === 'handleOrderConfirmationAndCrossSell'))) return;
    // a customer lookup before another call is one short line (no offer: `last` is false)
    const text = writeOne(r, ctx, { last: i === results.length - 1 }, L);
    if (text && !paragraphs.includes(text)) paragraphs.push(text);
  });
  if (paragraphs.length === 0) return writeCanned('help', ctx);
  return paragraphs.join('\n\n');
}

// ---- canned replies (no tool involved) ----

export type Canned = 'help' | 'identify' | 'greeting' | 'thanks' | 'goodbye' | 'financing' | 'out_of_range';

export function writeCanned(what: Canned, ctx: TurnContext, extra: { count?: number } = {}): string {
  const L: L = (en, es) => (ctx.lang === 'es' ? es : en);
  const help = L(
    "I'm Woodstock Outlet's assistant. I can help you with:\n- **Your orders and deliveries** (share the phone number or email on your account)\n- **Products**, e.g. “sofas under $1,000” or “a Sealy mattress”\n- **Our six showrooms**: hours and directions\n- **Talking to a person** on our team\n\nWhat can I do for you?",
    'Soy el asistente de Woodstock Outlet. Puedo ayudarle con:\n- **Sus pedidos y entregas** (deme el teléfono o correo de su cuenta)\n- **Productos**, por ejemplo “sofás de menos de $1,000” o “un colchón Sealy”\n- **Nuestras seis tiendas**: horarios y direcciones\n- **Hablar con una persona** de nuestro equipo\n\n¿En qué le puedo ayudar?',
  );
  switch (what) {
    case 'help':
      return help;
    case 'greeting':
      return `${L('Hi!', '¡Hola!')} ${help}`;
    case 'identify':
      // asked before and refused: repeat why, rather than ask for a number again
      if (ctx.results.some((r) => !r.result.ok && r.result.error === 'verification_required')) return verificationText(L);
      return L(
        "I can look that up. What's the phone number or email on your account?",
        'Con gusto lo busco. ¿Cuál es el número de teléfono o el correo electrónico de su cuenta?',
      );
    case 'thanks':
      return L("You're welcome! Anything else I can help with?", '¡Con gusto! ¿Algo más en lo que pueda ayudar?');
    case 'goodbye':
      return L('Thanks for chatting with Woodstock Outlet. Have a great day!', '¡Gracias por escribir a Woodstock Outlet! Que tenga un buen día.');
    case 'financing':
      return L(
        'We offer financing with approved credit, and the current offers change with our promotions. Any showroom can walk you through today’s options, or I can connect you with a person.',
        'Ofrecemos financiamiento con crédito aprobado, y las ofertas vigentes cambian con nuestras promociones. Cualquier tienda puede explicarle las opciones de hoy, o puedo comunicarle con una persona.',
      );
    case 'out_of_range': {
      const n = extra.count ?? 0;
      return L(`I only see ${plural(n, 'order', 'orders')} on the account. Which one do you mean?`, `Solo veo ${plural(n, 'pedido', 'pedidos')} en la cuenta. ¿Cuál quiere ver?`);
    }
  }
}
