// Conversation scripts for the demo data: what customers of a furniture outlet ask, in English and
// Spanish, with the assistant's function calls carrying real (sandbox-consistent) inputs and outputs.
// New-style rows carry sender fields and components; legacy-style rows look like the original
// system's: raw HTML, the two marker forms, no sender fields.
import { products } from '../loft/catalog-data.ts';
import { orderStatusLabels, type Customer, type Order, type OrderDetails } from '../loft/types.ts';
import { showrooms } from '../loft/showrooms.ts';
import type { Random } from '../shared/random.ts';
import type { ToolName } from '../chat/tools/types.ts';
import type { DemoCustomer, DemoOrder } from './people.ts';

export interface ScriptMessage {
  role: 'user' | 'assistant' | 'tool';
  sender: 'customer' | 'ai_assistant' | 'business_rep';
  senderName?: string;
  content: string;
  fn?: { name: ToolName; input: unknown; output: unknown; status: 'success' | 'error' };
  internal?: boolean;
}

export interface ScriptContext {
  rnd: Random;
  customer: DemoCustomer;
  orders: DemoOrder[];
  spanish: boolean;
  agentName: string;
}

export type Scenario =
  | 'identify'
  | 'orders'
  | 'details'
  | 'delivery'
  | 'products'
  | 'directions'
  | 'damaged'
  | 'person'
  | 'loyalty'
  | 'thanks'
  | 'financing'
  | 'refund'
  | 'care'
  | 'warranty'
  | 'assembly'
  | 'followup';

// Hand-rolled: Intl formatting per message made seeding several times slower.
const money = (n: number) => {
  const [whole, cents] = n.toFixed(2).split('.');
  return `$${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
};

export function toCustomer(c: DemoCustomer): Customer {
  return {
    customer_id: c.customer_id,
    first_name: c.first_name,
    last_name: c.last_name,
    name: `${c.first_name} ${c.last_name}`,
    email: c.email,
    phone: c.phone,
    address: { line1: c.address1, city: c.city, state: c.state, zipcode: c.zipcode },
  };
}

export function toOrder(o: DemoOrder): Order {
  return {
    order_id: o.order_id,
    status: o.status,
    status_label: orderStatusLabels[o.status],
    order_date: o.order_date,
    delivery_date: o.delivery_date,
    total: o.order_total,
  };
}

export function toDetails(o: DemoOrder): OrderDetails {
  const lines = o.lines.map((l) => ({
    product_id: l.product_id,
    description: l.description,
    quantity: l.qty_ordered,
    unit_price: l.item_price,
    line_total: Math.round(l.qty_ordered * l.item_price * 100) / 100,
    is_benefit_plan: /BENEFIT PLAN/i.test(l.description),
  }));
  const sum = (ls: typeof lines) => Math.round(ls.reduce((s, l) => s + l.line_total, 0) * 100) / 100;
  return {
    order_id: o.order_id,
    lines,
    items_total: sum(lines.filter((l) => !l.is_benefit_plan)),
    benefit_plan_total: sum(lines.filter((l) => l.is_benefit_plan)),
  };
}

const pick = <T>(ctx: ScriptContext, en: T[], es: T[]) => ctx.rnd.pick(ctx.spanish ? es : en);

function tool(name: ToolName, input: unknown, data: unknown): ScriptMessage {
  return {
    role: 'tool',
    sender: 'ai_assistant',
    content: `${name} → success`,
    fn: { name, input, output: { ok: true, data }, status: 'success' },
  };
}
const user = (content: string): ScriptMessage => ({ role: 'user', sender: 'customer', content });
const bot = (content: string): ScriptMessage => ({ role: 'assistant', sender: 'ai_assistant', content });

export function runScenario(s: Scenario, ctx: ScriptContext): ScriptMessage[] {
  const { customer: c, orders, rnd } = ctx;
  const latest = orders[0]!;
  const name = `${c.first_name} ${c.last_name}`;
  switch (s) {
    case 'identify':
      return [
        user(pick(ctx, [`Hi, my phone number is ${c.phone_display}`, `Can you look me up? ${c.phone_display}`, `hello its ${c.first_name}, number ${c.phone_display}`], [`Hola, mi número es ${c.phone_display}`, `Buenas, soy ${c.first_name}. Mi teléfono es ${c.phone_display}`])),
        tool('getCustomerByPhone', { phone: c.phone_display }, toCustomer(c)),
        bot(pick(ctx, [`Thanks ${c.first_name}! I found your account (${c.customer_id}) in ${c.city}, GA. How can I help today?`], [`¡Gracias ${c.first_name}! Encontré su cuenta (${c.customer_id}) en ${c.city}, GA. ¿En qué le puedo ayudar?`])),
      ];
    case 'orders':
      return [
        user(pick(ctx, ['Can you show me my orders?', 'what orders do I have', 'I want to see my purchases'], ['¿Puede mostrarme mis pedidos?', 'quiero ver mis compras'])),
        tool('getOrdersByCustomer', { customer_id: c.customer_id }, { customer_id: c.customer_id, orders: orders.map(toOrder) }),
        bot(`${ctx.spanish ? 'Tiene' : 'You have'} ${orders.length} ${ctx.spanish ? 'pedidos' : orders.length === 1 ? 'order' : 'orders'}. ${ctx.spanish ? 'El más reciente' : 'The most recent'}, **${latest.order_id}** (${money(latest.order_total)}), ${ctx.spanish ? 'está' : 'is'} ${orderStatusLabels[latest.status]}.`),
      ];
    case 'details': {
      const o = rnd.pick(orders);
      const d = toDetails(o);
      const items = d.lines.filter((l) => !l.is_benefit_plan).map((l) => `- ${l.description} (${money(l.unit_price)})`).join('\n');
      return [
        user(pick(ctx, [`What was in order ${o.order_id}?`, 'details of the first one please', `show me the items on ${o.order_id}`], [`¿Qué incluye el pedido ${o.order_id}?`, 'detalles del primer pedido por favor'])),
        tool('getDetailsByOrder', { order_id: o.order_id }, { ...d, order: toOrder(o) }),
        bot(`${ctx.spanish ? 'El pedido' : 'Order'} ${o.order_id}:\n${items}${d.benefit_plan_total > 0 ? `\n${ctx.spanish ? 'Incluye un plan de protección' : 'It includes a protection plan'} (${money(d.benefit_plan_total)}).` : ''}`),
      ];
    }
    case 'delivery': {
      const when = latest.delivery_date ?? 'to be scheduled';
      return [
        user(pick(ctx, ['When is my delivery?', 'when will my sofa arrive??', 'I am still waiting for my delivery, any update?', 'can I reschedule my delivery to next week'], ['¿Cuándo llega mi entrega?', 'sigo esperando mi pedido, ¿cuándo llega?', '¿puedo cambiar la fecha de entrega?'])),
        tool('getOrdersByCustomer', { customer_id: c.customer_id }, { customer_id: c.customer_id, orders: orders.map(toOrder) }),
        bot(pick(ctx, [`Your order ${latest.order_id} is ${orderStatusLabels[latest.status].toLowerCase()}; delivery date: ${when}. Our delivery team calls the day before with a 4-hour window.`], [`Su pedido ${latest.order_id} está ${orderStatusLabels[latest.status].toLowerCase()}; fecha de entrega: ${when}. El equipo de entrega llama un día antes.`])),
      ];
    }
    case 'products': {
      const cat = rnd.pick(['sofas', 'mattresses', 'recliners', 'dining_tables', 'beds', 'sectionals'] as const);
      const max = rnd.pick([800, 1200, 1500, 2000]);
      const list = products.filter((p) => p.category === cat && p.price <= max && p.stock > 0).slice(0, 4);
      const label = cat.replace('_', ' ');
      return [
        user(pick(ctx, [`Do you have ${label} under $${max}?`, `looking for ${label}, budget around ${max}`, `show me some ${label}`], [`¿Tienen ${label} por menos de $${max}?`, `busco ${label}, presupuesto ${max}`])),
        tool('getProductRecommendations', { category: cat, max_price: max }, { reason: `In-stock ${label} under $${max}`, products: list }),
        bot(list.length ? `${ctx.spanish ? 'Estas son algunas opciones' : 'Here are a few options'}: ${list.map((p) => `${p.name} (${money(p.price)})`).join(', ')}.` : ctx.spanish ? 'No encontré opciones en ese rango ahora mismo.' : "I couldn't find any in that range right now."),
      ];
    }
    case 'directions': {
      const room = rnd.pick(showrooms);
      return [
        user(pick(ctx, [`What are your hours at the ${room.city} store?`, `directions to ${room.city} showroom`, 'where is the closest store?'], [`¿Cuál es el horario de la tienda de ${room.city}?`, `¿Cómo llego a la tienda de ${room.city}?`])),
        tool('showDirections', { store: room.city }, { showrooms: [room], matched: true }),
        bot(`${room.name}: ${room.address}, ${room.city}, GA ${room.zipcode}. ${room.hours.map((h) => `${h.days} ${h.open}`).join('; ')}.`),
      ];
    }
    case 'damaged': {
      const ticket = `T-${rnd.int(10000, 99999)}`;
      const issue = pick(ctx, [
        `My ${latest.lines[0]?.description.toLowerCase() ?? 'sofa'} arrived damaged, the leg is broken and there is a tear in the fabric. This is unacceptable.`,
        'the dresser came with a huge scratch on top, I want it replaced',
        'Third time asking: the headboard you delivered is cracked. Nobody answers the phone!',
      ], [
        `Mi ${latest.lines[0]?.description.toLowerCase() ?? 'sofá'} llegó dañado, tiene una pata rota. Es inaceptable.`,
        'el colchón llegó roto y manchado, quiero un cambio',
      ]);
      return [
        user(issue),
        tool('handleSupportEscalation', { issue, customer_id: c.customer_id, order_id: latest.order_id, category: 'damaged_item' }, { ticket_id: ticket, issue, category: 'damaged_item', priority: 'high', status: 'pending_human', customer_id: c.customer_id, order_id: latest.order_id, created_at: new Date().toISOString(), next_steps: 'A support agent will reply here shortly.' }),
        bot(pick(ctx, [`I'm sorry about that, ${c.first_name}. I've opened ticket ${ticket} with high priority and passed it to our support team; a person will reply here shortly.`], [`Lo siento mucho, ${c.first_name}. Abrí el ticket ${ticket} con prioridad alta; una persona le responderá aquí pronto.`])),
        { role: 'assistant', sender: 'business_rep', senderName: ctx.agentName, content: 'Customer has photos; check whether the delivery crew noted damage on the signed slip.', internal: true },
        { role: 'assistant', sender: 'business_rep', senderName: ctx.agentName, content: pick(ctx, [`Hi ${c.first_name}, this is ${ctx.agentName} from Woodstock Outlet. I'm so sorry. Could you send a photo of the damage? We'll schedule a replacement at no cost.`], [`Hola ${c.first_name}, soy ${ctx.agentName} de Woodstock Outlet. Lo siento mucho. ¿Podría enviar una foto del daño? Programaremos un reemplazo sin costo.`]) },
        user(pick(ctx, ['Ok I just sent the photos', 'thanks, photos attached'], ['Listo, ya envié las fotos'])),
      ];
    }
    case 'refund': {
      const ticket = `T-${rnd.int(10000, 99999)}`;
      const issue = pick(ctx, ['I want a refund for my mattress, it is too firm and I cannot sleep', 'How do I return the recliner? I want my money back'], ['Quiero un reembolso del colchón, es muy duro', '¿Cómo devuelvo el sillón? Quiero mi dinero'])
      return [
        user(issue),
        tool('handleSupportEscalation', { issue, customer_id: c.customer_id, order_id: latest.order_id, category: 'refund' }, { ticket_id: ticket, issue, category: 'refund', priority: 'high', status: 'pending_human', customer_id: c.customer_id, order_id: latest.order_id, created_at: new Date().toISOString(), next_steps: 'Our returns team will contact you.' }),
        bot(pick(ctx, [`I've sent your request to our returns team (ticket ${ticket}). Mattresses have a 90-night comfort exchange; a person will follow up here.`], [`Envié su solicitud al equipo de devoluciones (ticket ${ticket}). Una persona le dará seguimiento aquí.`])),
      ];
    }
    case 'person':
      return [
        user(pick(ctx, ['Can I talk to a real person please', 'I need to speak with someone', 'agent please'], ['Quiero hablar con una persona', '¿Me comunica con un agente?'])),
        tool('connectToSupport', { name, contact: c.phone_display, reason: 'customer asked for a person' }, { ticket_id: `T-${rnd.int(10000, 99999)}`, name, contact: c.phone_display, status: 'pending_human', message: 'Connecting you with our team', created_at: new Date().toISOString() }),
        bot(pick(ctx, ['Of course. I have let our support team know; someone will reply right here.'], ['Claro. Avisé a nuestro equipo; alguien le responderá aquí mismo.'])),
        { role: 'assistant', sender: 'business_rep', senderName: ctx.agentName, content: pick(ctx, [`Hi ${c.first_name}, ${ctx.agentName} here. How can I help?`], [`Hola ${c.first_name}, le atiende ${ctx.agentName}. ¿En qué le ayudo?`]) },
      ];
    case 'loyalty': {
      const spend = orders.filter((o) => o.status !== 'C').reduce((s, o) => s + o.order_total, 0);
      const tier = spend >= 7500 ? 'Platinum' : spend >= 3000 ? 'Gold' : spend >= 1000 ? 'Silver' : 'Bronze';
      return [
        user(pick(ctx, ['What is my rewards status?', 'do I have loyalty points?'], ['¿Cuál es mi nivel de recompensas?', '¿tengo puntos?'])),
        tool('handleLoyaltyUpgrade', { customer_id: c.customer_id }, { customer_id: c.customer_id, lifetime_spend: Math.round(spend * 100) / 100, tier, next_tier: tier === 'Platinum' ? null : tier === 'Gold' ? 'Platinum' : tier === 'Silver' ? 'Gold' : 'Silver', amount_to_next_tier: 0, benefits: ['Free delivery on orders over $999'], upgraded: false }),
        bot(`${ctx.spanish ? 'Su nivel es' : 'You are a'} **${tier}** ${ctx.spanish ? 'con' : 'member with'} ${money(spend)} ${ctx.spanish ? 'en compras' : 'lifetime spend'}.`),
      ];
    }
    case 'financing':
      return [
        user(pick(ctx, ['Do you offer financing?', 'is there 0% interest financing on mattresses'], ['¿Ofrecen financiamiento?', '¿hay pagos mensuales sin intereses?'])),
        bot(pick(ctx, ['Yes — we offer special financing with approved credit, including 0% interest for 12 months on purchases over $999. You can apply in any showroom or online.'], ['Sí, ofrecemos financiamiento con crédito aprobado, incluido 0% de interés por 12 meses en compras mayores a $999.'])),
      ];
    case 'care':
      return [
        user(pick(ctx, ['How do I clean a fabric sofa?', 'any tips to keep leather from cracking?', 'how often should I rotate my mattress'], ['¿Cómo limpio un sofá de tela?', '¿cada cuánto debo voltear el colchón?'])),
        bot(pick(ctx, ['Vacuum weekly with a soft brush, blot spills right away, and check the care tag: "W" means water-based cleaner, "S" solvent only. For leather, condition every 6–12 months and keep it out of direct sun. Rotate mattresses every 3 months.'], ['Aspire cada semana con un cepillo suave, seque los derrames de inmediato y revise la etiqueta de cuidado. Gire el colchón cada 3 meses.'])),
      ];
    case 'warranty':
      return [
        user(pick(ctx, ['What does the benefit plan cover?', 'is accidental damage covered by the protection plan?'], ['¿Qué cubre el plan de protección?', '¿la garantía cubre manchas?'])),
        bot(pick(ctx, ['Our benefit plans cover accidental stains, rips and burns, plus structural defects, for 3 or 5 years depending on the plan. Claims are handled by our support team — just tell me if you need to open one.'], ['Nuestros planes de protección cubren manchas accidentales, rasgaduras y defectos estructurales por 3 o 5 años según el plan.'])),
      ];
    case 'assembly':
      return [
        user(pick(ctx, ['Does delivery include assembly?', 'will the crew take away my old mattress?', 'how much is delivery'], ['¿La entrega incluye armado?', '¿se llevan mi colchón viejo?'])),
        bot(pick(ctx, ['Yes — our white-glove delivery includes setup in the room of your choice, and we can haul away your old mattress for a small fee. Delivery is free on orders over $999 within our area.'], ['Sí, la entrega incluye el armado en la habitación que usted elija y podemos llevarnos su colchón viejo por una pequeña tarifa.'])),
      ];
    case 'followup':
      return [
        user(pick(ctx, ['ok', 'got it', 'and what time do they usually come?', 'do I need to be home?', 'can someone else sign for it?'], ['ok', 'entendido', '¿tengo que estar en casa?'])),
        bot(pick(ctx, ['Someone 18 or older needs to be home to sign. The crew calls about 30 minutes before arriving.', 'Great! Let me know if there is anything else.'], ['Alguien mayor de 18 años debe estar en casa para firmar. El equipo llama unos 30 minutos antes.'])),
      ];
    case 'thanks':
      return [
        user(pick(ctx, ['Thank you so much!', 'great, thanks', 'perfect, appreciate it'], ['¡Muchas gracias!', 'perfecto, gracias'])),
        bot(pick(ctx, ["You're welcome! Anything else I can help with?"], ['¡Con gusto! ¿Algo más en lo que pueda ayudar?'])),
      ];
  }
}

/** The same exchange as the original system stored it: HTML and marker text in the content. */
export function legacyStyle(messages: ScriptMessage[]): ScriptMessage[] {
  const out: ScriptMessage[] = [];
  for (const m of messages) {
    if (m.role === 'tool' && m.fn) {
      const data = (m.fn.output as { data: unknown }).data as Record<string, unknown>;
      if (m.fn.name === 'getProductRecommendations') {
        const list = (data.products as { sku: string; name: string; price: number; image: string }[]) ?? [];
        out.push({ role: 'assistant', sender: 'ai_assistant', content: `Here are some options for you!\n\n**CAROUSEL_DATA:** ${JSON.stringify({ products: list.map((p) => ({ sku: p.sku, name: p.name, price: p.price, image: p.image })) })}` });
      } else if (m.fn.name === 'getCustomerByPhone') {
        const c = data as unknown as Customer;
        out.push({ role: 'assistant', sender: 'ai_assistant', content: `<div class="customer-card"><h3>${c.name}</h3><p>📞 ${c.phone} · ✉️ ${c.email}</p><p>${c.address.city}, ${c.address.state}</p></div>\n\n**Function Result (getCustomerByPhone):** ${JSON.stringify({ entry: [{ customerid: c.customer_id, firstname: c.first_name, lastname: c.last_name, email: c.email }] })}`, fn: m.fn });
      } else {
        out.push({ role: 'assistant', sender: 'ai_assistant', content: `**Function Result (${m.fn.name}):** ${JSON.stringify(m.fn.output)}`, fn: m.fn });
      }
      continue;
    }
    if (m.internal) continue; // the original had no internal notes
    out.push({ ...m });
  }
  return out;
}
