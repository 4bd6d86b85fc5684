import type { SupportTicketData } from '../chat/tools/types.ts';
import { categoryName, fact, priorityBadge, timeTag } from './format.ts';
import { html, modifier, type SafeHtml } from './html.ts';
import { card } from './parts.ts';

export function renderSupportTicket(t: SupportTicketData): SafeHtml {
  return card(
    'support_ticket',
    {
      label: `Support ticket ${t.ticket_id}`,
      extraClass: `wo-support-ticket--${modifier(t.priority)}`,
      attrs: html` data-ticket-id="${t.ticket_id}"${t.order_id ? html` data-order-id="${t.order_id}"` : ''}`,
    },
    html`<header class="wo-card__header"><div><h3 class="wo-card__title">Support ticket <span class="wo-ticket-id">#${t.ticket_id}</span></h3><p class="wo-card__subtitle"><span class="wo-badge wo-badge--pending-human">Waiting for our team</span></p></div>${priorityBadge(t.priority)}</header>
<dl class="wo-facts">${fact('Issue', t.issue)}${fact('Category', categoryName(t.category))}${fact('Order', t.order_id ? `#${t.order_id}` : undefined)}${fact('Opened', timeTag(t.created_at, true))}</dl>
<p class="wo-next-steps" role="status">${t.next_steps}</p>`,
  );
}
