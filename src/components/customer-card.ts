import type { CustomerData } from '../chat/tools/types.ts';
import { emailLink, fact, phoneLink } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { card } from './parts.ts';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w.charAt(0).toUpperCase())
    .join('');
}

export function addressBlock(a: CustomerData['address'] | undefined): SafeHtml | undefined {
  if (!a || (!a.line1 && !a.city)) return undefined;
  const cityLine = [a.city, [a.state, a.zipcode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return html`<address>${a.line1}${a.line1 && cityLine ? html`<br>` : ''}${cityLine}</address>`;
}

export function renderCustomerCard(c: CustomerData): SafeHtml {
  const name = c.name || 'Customer';
  return card(
    'customer_card',
    { label: `Customer: ${name}`, attrs: html` data-customer-id="${c.customer_id}"` },
    html`<header class="wo-card__header"><span class="wo-avatar" aria-hidden="true">${initials(name) || '?'}</span><div><h3 class="wo-card__title">${name}</h3><p class="wo-card__subtitle">Customer #${c.customer_id}</p></div></header>
<dl class="wo-facts">${fact('Phone', c.phone ? phoneLink(c.phone) : undefined)}${fact('Email', c.email ? emailLink(c.email) : undefined)}${fact('Address', addressBlock(c.address))}</dl>`,
  );
}
