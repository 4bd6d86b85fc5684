import type { DirectionsData } from '../chat/tools/types.ts';
import type { Showroom } from '../loft/types.ts';
import { phoneLink } from './format.ts';
import { html, safeHref, type SafeHtml } from './html.ts';
import { card } from './parts.ts';

function store(s: Showroom): SafeHtml {
  const maps = safeHref(s.maps_url);
  return html`<li class="wo-store" data-store-id="${s.id}"><article>
<h4 class="wo-store__name">${s.name}</h4>
<address class="wo-store__address">${s.address}<br>${s.city}, ${s.state} ${s.zipcode}</address>
<p class="wo-store__phone">${phoneLink(s.phone)}</p>
<dl class="wo-hours">${(s.hours ?? []).map((h) => html`<div class="wo-hours__row"><dt>${h.days}</dt><dd>${h.open}</dd></div>`)}</dl>
${maps ? html`<a class="wo-button" href="${maps}" target="_blank" rel="noopener noreferrer">Get directions</a>` : ''}
</article></li>`;
}

export function renderStoreDirections(d: DirectionsData): SafeHtml {
  const list = d.showrooms ?? [];
  const title = d.matched && list[0] ? list[0].name : 'Our showrooms';
  return card(
    'store_directions',
    { label: title, attrs: html` data-matched="${d.matched ? 'true' : 'false'}"` },
    html`<header class="wo-card__header"><div><h3 class="wo-card__title">${title}</h3>${d.matched ? '' : html`<p class="wo-card__subtitle">${list.length} showrooms across Georgia</p>`}</div></header>
<ul class="wo-stores${list.length > 1 ? ' wo-stores--many' : ''}">${list.map(store)}</ul>`,
  );
}
