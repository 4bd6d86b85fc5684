import type { RecommendationsData } from '../chat/tools/types.ts';
import { html, type SafeHtml } from './html.ts';
import { card, productTiles } from './parts.ts';

export function renderProductCarousel(d: RecommendationsData): SafeHtml {
  return card(
    'product_carousel',
    { label: 'Recommended products', attrs: d.customer_id ? html` data-customer-id="${d.customer_id}"` : undefined },
    html`<header class="wo-card__header"><div><h3 class="wo-card__title">Picked for you</h3>${d.reason ? html`<p class="wo-card__subtitle">${d.reason}</p>` : ''}</div></header>
${productTiles(d.products ?? [])}`,
  );
}
