import type { LoyaltyData } from '../chat/tools/types.ts';
import { formatMoney, tierBadge } from './format.ts';
import { html, modifier, type SafeHtml } from './html.ts';
import { card } from './parts.ts';

export function renderLoyaltyStatus(l: LoyaltyData): SafeHtml {
  const progress = l.next_tier
    ? html`<div class="wo-progress"><progress value="${Math.max(0, Math.round(l.lifetime_spend))}" max="${Math.max(1, Math.round(l.lifetime_spend + l.amount_to_next_tier))}" aria-label="Progress to ${l.next_tier}"></progress>
<p class="wo-progress__text"><strong>${formatMoney(l.amount_to_next_tier)}</strong> more to reach ${l.next_tier}</p></div>`
    : html`<p class="wo-progress__text">Top tier reached. Thank you for being with us!</p>`;
  return card(
    'loyalty_status',
    { label: `Loyalty status: ${l.tier}`, extraClass: `wo-loyalty-status--${modifier(l.tier)}`, attrs: html` data-customer-id="${l.customer_id}" data-tier="${l.tier}"` },
    html`<header class="wo-card__header"><h3 class="wo-card__title">Loyalty status</h3><div class="wo-card__badges">${tierBadge(l.tier)}${l.upgraded ? html`<span class="wo-badge wo-badge--upgraded">Upgraded</span>` : ''}</div></header>
<p class="wo-loyalty__spend">Lifetime spend <strong>${formatMoney(l.lifetime_spend)}</strong></p>
${progress}
${l.benefits?.length ? html`<h4 class="wo-card__section">${l.tier} benefits</h4><ul class="wo-benefits">${l.benefits.map((b) => html`<li>${b}</li>`)}</ul>` : ''}`,
  );
}
