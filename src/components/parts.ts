// Pieces several components share: the card frame, product tiles, the timeline, category rows.
import type { OrderLine, Product } from '../loft/types.ts';
import type { ComponentType, JourneyEvent, PurchasePatternsData } from '../chat/tools/types.ts';
import { categoryName, formatMoney, stockBadge, timeTag } from './format.ts';
import { html, modifier, safeAssetSrc, type HtmlValue, type SafeHtml } from './html.ts';

/** The outer frame every component has: a labelled section with the type's classes. */
export function card(type: ComponentType, opts: { label: string; extraClass?: string; attrs?: SafeHtml }, body: HtmlValue): SafeHtml {
  const cls = `wo-card wo-${type.replace(/_/g, '-')}${opts.extraClass ? ` ${opts.extraClass}` : ''}`;
  return html`<section class="${cls}" data-component="${type}" aria-label="${opts.label}"${opts.attrs ?? ''}>${body}</section>`;
}

/** The image a product shows: its own asset when it is a local one, else its category's drawing. */
export function productImage(p: Product): string {
  return safeAssetSrc(p.image) ?? `/assets/products/${modifier(p.category).replace(/-/g, '_')}.svg`;
}

export function productTiles(products: Product[]): SafeHtml {
  if (!products.length) return html`<p class="wo-empty">No products to show right now.</p>`;
  return html`<ul class="wo-carousel" role="list">${products.map(
    (p, i) => html`<li class="wo-product" data-sku="${p.sku}" data-position="${i + 1}">
<figure class="wo-product__media"><img src="${productImage(p)}" alt="${p.name}" width="160" height="120" loading="lazy" decoding="async"></figure>
<div class="wo-product__body">
<h4 class="wo-product__name">${p.name}</h4>
<p class="wo-product__brand">${p.brand} · ${categoryName(p.category)}</p>
<p class="wo-product__price">${formatMoney(p.price)}</p>
<p class="wo-product__badges">${stockBadge(p.stock)}${p.featured ? html` <span class="wo-badge wo-badge--featured">Featured</span>` : ''}</p>
<div class="wo-product__actions"><button type="button" class="wo-button" data-action="ask-product" data-sku="${p.sku}">Ask about this</button><button type="button" class="wo-button wo-button--ghost" data-action="find-in-store" data-sku="${p.sku}">Find in store</button></div>
</div>
</li>`,
  )}</ul>`;
}

export function timelineList(events: JourneyEvent[]): SafeHtml {
  if (!events.length) return html`<p class="wo-empty">No orders on file yet.</p>`;
  return html`<ol class="wo-timeline">${events.map(
    (e) => html`<li class="wo-timeline__event wo-timeline__event--${modifier(e.kind)}" data-order-id="${e.order_id}">
<span class="wo-timeline__date">${timeTag(e.date)}</span>
<span class="wo-timeline__label">${e.label}</span>${typeof e.amount === 'number' ? html`<span class="wo-timeline__amount">${formatMoney(e.amount)}</span>` : ''}
</li>`,
  )}</ol>`;
}

export function categoryTable(categories: PurchasePatternsData['categories'], caption: string): SafeHtml {
  if (!categories.length) return html`<p class="wo-empty">No furniture purchases yet.</p>`;
  const total = categories.reduce((s, c) => s + Math.max(0, c.spent), 0) || 1;
  return html`<div class="wo-table-wrap"><table class="wo-table wo-categories">
<caption class="wo-visually-hidden">${caption}</caption>
<thead><tr><th scope="col">Category</th><th scope="col" class="wo-num">Items</th><th scope="col" class="wo-num">Spent</th><th scope="col">Share</th></tr></thead>
<tbody>${categories.map(
    (c) => html`<tr data-category="${c.category}"><th scope="row">${categoryName(c.category)}</th><td class="wo-num">${c.items}</td><td class="wo-num">${formatMoney(c.spent)}</td><td><progress class="wo-share" value="${Math.round((Math.max(0, c.spent) / total) * 100)}" max="100" aria-label="${categoryName(c.category)}: ${Math.round((Math.max(0, c.spent) / total) * 100)}% of spend"></progress></td></tr>`,
  )}</tbody></table></div>`;
}

export function benefitPlanBadge(line: OrderLine): SafeHtml | '' {
  return line.is_benefit_plan ? html` <span class="wo-badge wo-badge--benefit-plan">Protection plan</span>` : '';
}

/** "Jane Doe’s journey" */
export function possessive(name: string): string {
  return `${name}’s`;
}
