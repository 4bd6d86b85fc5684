import type { AnalyticsData } from '../chat/tools/types.ts';
import { emailLink, phoneLink, tierBadge } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { card, categoryTable, timelineList } from './parts.ts';
import { highValueBadge, patternStats } from './purchase-patterns.ts';

export function renderCustomerAnalytics(d: AnalyticsData): SafeHtml {
  const c = d.customer;
  const name = c?.name || 'Customer';
  const contact = [c?.phone ? phoneLink(c.phone) : '', c?.email ? emailLink(c.email) : ''].filter(Boolean);
  return card(
    'customer_analytics',
    { label: `Customer overview: ${name}`, attrs: html` data-customer-id="${c?.customer_id ?? ''}"` },
    html`<header class="wo-card__header"><div><h3 class="wo-card__title">${name}</h3><p class="wo-card__subtitle">Customer #${c?.customer_id ?? ''}${contact.map((x) => html` · ${x}`)}</p></div><div class="wo-card__badges">${tierBadge(d.loyalty_tier)}${highValueBadge(d.patterns)}</div></header>
${patternStats(d.patterns)}
${d.insights?.length ? html`<h4 class="wo-card__section">Insights</h4><ul class="wo-insights">${d.insights.map((i) => html`<li>${i}</li>`)}</ul>` : ''}
<h4 class="wo-card__section">Top categories</h4>
${categoryTable((d.patterns.categories ?? []).slice(0, 5), 'Spend by product category')}
<h4 class="wo-card__section">Timeline</h4>
${timelineList(d.journey?.timeline ?? [])}`,
  );
}
