import type { OrderListData } from '../chat/tools/types.ts';
import { formatMoney, statusBadge, timeTag } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { card } from './parts.ts';

export function renderOrderList(d: OrderListData): SafeHtml {
  const orders = d.orders ?? [];
  const body = orders.length
    ? html`<div class="wo-table-wrap"><table class="wo-table wo-orders">
<caption class="wo-visually-hidden">Orders, newest first</caption>
<thead><tr><th scope="col">Order</th><th scope="col">Date</th><th scope="col">Status</th><th scope="col">Delivery</th><th scope="col" class="wo-num">Total</th><th scope="col"><span class="wo-visually-hidden">Actions</span></th></tr></thead>
<tbody>${orders.map(
        (o) => html`<tr class="wo-order wo-order--${o.status.toLowerCase()}" data-order-id="${o.order_id}"><th scope="row" class="wo-cell-order">#${o.order_id}</th><td class="wo-cell-date" data-label="Ordered">${timeTag(o.order_date)}</td><td class="wo-cell-status">${statusBadge(o.status, o.status_label)}</td><td class="wo-cell-delivery" data-label="Delivery">${timeTag(o.delivery_date)}</td><td class="wo-num wo-cell-total">${formatMoney(o.total)}</td><td class="wo-cell-action"><button type="button" class="wo-button wo-button--small wo-button--ghost" data-action="order-details" data-order-id="${o.order_id}">Details</button></td></tr>`,
      )}</tbody></table></div>`
    : html`<p class="wo-empty">No orders on file.</p>`;
  return card(
    'order_list',
    { label: 'Orders', attrs: html` data-customer-id="${d.customer_id}"` },
    html`<header class="wo-card__header"><h3 class="wo-card__title">Orders <span class="wo-count">(${orders.length})</span></h3></header>${body}`,
  );
}
