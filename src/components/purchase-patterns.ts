import type { PurchasePatternsData } from '../chat/tools/types.ts';
import { fact, formatMoney, timeTag } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { card, categoryTable } from './parts.ts';

export function patternStats(p: PurchasePatternsData): SafeHtml {
  return html`<dl class="wo-stats">${fact('Total spent', formatMoney(p.total_spent))}${fact('Orders', p.order_count)}${fact('Average order', formatMoney(p.average_order))}${fact('First order', timeTag(p.first_order_date))}${fact('Last order', timeTag(p.last_order_date))}${fact('Protection plans', p.benefit_plans_bought)}</dl>`;
}

export function highValueBadge(p: Pick<PurchasePatternsData, 'high_value'>): SafeHtml | '' {
  return p.high_value ? html`<span class="wo-badge wo-badge--high-value">High-value customer</span>` : '';
}

export function renderPurchasePatterns(p: PurchasePatternsData): SafeHtml {
  return card(
    'purchase_patterns',
    { label: 'Purchase patterns', attrs: html` data-customer-id="${p.customer_id}"` },
    html`<header class="wo-card__header"><h3 class="wo-card__title">Purchase patterns</h3>${highValueBadge(p)}</header>
${patternStats(p)}
<h4 class="wo-card__section">By category</h4>
${categoryTable(p.categories ?? [], 'Spend by product category')}`,
  );
}
