import type { JourneyData } from '../chat/tools/types.ts';
import { formatDate, formatMoney } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { card, possessive, timelineList } from './parts.ts';

export function recentOrders(d: Pick<JourneyData, 'recent_order_details' | 'orders'>): SafeHtml | '' {
  const recent = d.recent_order_details ?? [];
  if (!recent.length) return '';
  return html`<h4 class="wo-card__section">Latest orders</h4>
<ul class="wo-order-summaries">${recent.map((r) => {
    const order = (d.orders ?? []).find((o) => o.order_id === r.order_id);
    const items = r.lines.filter((l) => !l.is_benefit_plan);
    return html`<li class="wo-order-summary" data-order-id="${r.order_id}"><strong>#${r.order_id}</strong>${order ? html` <span class="wo-muted">${formatDate(order.order_date)}</span>` : ''}<span class="wo-order-summary__total">${formatMoney(order?.total ?? r.items_total + r.benefit_plan_total)}</span><span class="wo-order-summary__items">${items.length ? items.map((l, i) => html`${i ? ', ' : ''}${l.quantity > 1 ? `${l.quantity} × ` : ''}${l.description}`) : html`<span class="wo-muted">No items listed</span>`}</span></li>`;
  })}</ul>`;
}

export function renderCustomerJourney(d: JourneyData): SafeHtml {
  const name = d.customer?.name || 'Customer';
  const active = (d.orders ?? []).filter((o) => o.status !== 'C');
  const first = d.timeline?.find((e) => e.kind === 'first_order');
  return card(
    'customer_journey',
    { label: `${possessive(name)} journey`, attrs: html` data-customer-id="${d.customer?.customer_id ?? ''}"` },
    html`<header class="wo-card__header"><div><h3 class="wo-card__title">${possessive(name)} journey</h3><p class="wo-card__subtitle">${active.length} order${active.length === 1 ? '' : 's'}${first ? ` since ${formatDate(first.date)}` : ''}</p></div></header>
${timelineList(d.timeline ?? [])}
${recentOrders(d)}`,
  );
}
