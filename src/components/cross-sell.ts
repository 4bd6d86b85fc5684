import type { CrossSellData } from '../chat/tools/types.ts';
import { formatMoney, statusBadge } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { benefitPlanBadge, card, productTiles } from './parts.ts';

export function renderCrossSell(d: CrossSellData): SafeHtml {
  const o = d.order;
  const lines = d.order_lines ?? [];
  return card(
    'cross_sell',
    { label: `Order ${o.order_id} and suggestions`, attrs: html` data-order-id="${o.order_id}" data-customer-id="${d.customer_id}"` },
    html`<header class="wo-card__header"><div><h3 class="wo-card__title">Order #${o.order_id}</h3>${d.message ? html`<p class="wo-card__subtitle">${d.message}</p>` : ''}</div>${statusBadge(o.status, o.status_label)}</header>
${lines.length ? html`<ul class="wo-order-lines-list">${lines.map((l) => html`<li class="wo-line${l.is_benefit_plan ? ' wo-line--benefit-plan' : ''}" data-sku="${l.product_id}"><span>${l.quantity > 1 ? `${l.quantity} × ` : ''}${l.description}${benefitPlanBadge(l)}</span> <span class="wo-num">${formatMoney(l.line_total)}</span></li>`)}</ul>` : ''}
<p class="wo-total-line">Order total <strong>${formatMoney(o.total)}</strong></p>
${(d.suggestions ?? []).length ? html`<h4 class="wo-card__section">Goes well with your order</h4>${productTiles(d.suggestions)}` : ''}`,
  );
}
