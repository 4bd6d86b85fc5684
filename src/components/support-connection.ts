import type { SupportConnectionData } from '../chat/tools/types.ts';
import { fact, timeTag } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { card } from './parts.ts';

export function renderSupportConnection(d: SupportConnectionData): SafeHtml {
  return card(
    'support_connection',
    { label: 'Connecting you with our team', attrs: html` data-ticket-id="${d.ticket_id}"` },
    html`<header class="wo-card__header"><div><h3 class="wo-card__title">Connecting you with our team</h3><p class="wo-card__subtitle"><span class="wo-badge wo-badge--pending-human">Waiting for a team member</span></p></div></header>
<p class="wo-connection__message" role="status">${d.message}</p>
<dl class="wo-facts">${fact('Name', d.name)}${fact('Contact', d.contact)}${fact('Preferred store', d.preferred_store)}${fact('Reference', `#${d.ticket_id}`)}${fact('Requested', timeTag(d.created_at, true))}</dl>`,
  );
}
