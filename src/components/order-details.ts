import type { OrderDetailsData } from '../chat/tools/types.ts';
import { formatMoney, formatDate, statusBadge } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { benefitPlanBadge, card } from './parts.ts';

export function renderOrderDetails(d: OrderDetailsData): SafeHtml {
  const lines = d.lines ?? [];
  const o = d.order;
  const dates = o
    ? html`<p class="wo-card__subtitle">Placed ${formatDate(o.order_date)}${o.delivery_date ? html` · Delivery ${formatDate(o.delivery_date)}` : ''}</p>`
    : '';
  return card(
    'order_details',
    { label: `Order ${d.order_id}`, attrs: html` data-order-id="${d.order_id}"` },
    html`<header class="wo-card__header"><div><h3 class="wo-card__title">Order #${d.order_id}</h3>${dates}</div>${o ? statusBadge(o.status, o.status_label) : ''}</header>
<div class="wo-table-wrap"><table class="wo-table wo-order-lines">
<caption class="wo-visually-hidden">Items in order ${d.order_id}</caption>
<thead><tr><th scope="col">Item</th><th scope="col" class="wo-num">Qty</th><th scope="col" class="wo-num">Price</th><th scope="col" class="wo-num">Total</th></tr></thead>
<tbody>${lines.map(
      (l) => html`<tr class="wo-line${l.is_benefit_plan ? ' wo-line--benefit-plan' : ''}" data-sku="${l.product_id}"><th scope="row">${l.description}${l.product_id ? html` <small class="wo-muted">${l.product_id}</small>` : ''}${benefitPlanBadge(l)}</th><td class="wo-num">${l.quantity}</td><td class="wo-num">${formatMoney(l.unit_price)}</td><td class="wo-num">${formatMoney(l.line_total)}</td></tr>`,
    )}</tbody>
<tfoot><tr><th scope="row" colspan="3">Furniture</th><td class="wo-num">${formatMoney(d.items_total)}</td></tr>${d.benefit_plan_total > 0 ? html`<tr><th scope="row" colspan="3">Protection plans</th><td class="wo-num">${formatMoney(d.benefit_plan_total)}</td></tr>` : ''}${o ? html`<tr class="wo-total"><th scope="row" colspan="3">Order total</th><td class="wo-num">${formatMoney(o.total)}</td></tr>` : ''}</tfoot>
</table></div>`,
  );
}
