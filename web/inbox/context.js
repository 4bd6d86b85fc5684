// Column 3: who the customer is and what the assistant learnt, from
// GET /api/conversations/{id}/summary: identity (verified or only claimed), orders and spend,
// the handoff request, summary, priority with its reasons, sentiment, topics, tags (editable)
// and the functions the assistant used.
import { api } from './api.js';
import { $, PRIORITY_LABELS, ago, debounce, displayName, el, fillAvatar, fullTime, icon, money, platformLabel, topicLabel } from './dom.js';

export function createContext(ctx) {
  const body = $('context-body');
  let currentId = null;
  let summary = null;
  let conv = null;
  let generation = 0;
  let tagError = '';

  async function load(id, known) {
    currentId = id;
    conv = known ?? null;
    summary = null;
    tagError = '';
    const gen = ++generation;
    body.setAttribute('aria-busy', 'true');
    body.replaceChildren(skeleton());
    await fetchSummary(gen);
  }

  async function fetchSummary(gen = ++generation) {
    const id = currentId;
    if (!id) return;
    try {
      const s = await api.summary(id);
      if (gen !== generation || id !== currentId) return;
      summary = s;
      render();
    } catch (error) {
      if (gen !== generation || id !== currentId) return;
      body.replaceChildren(el('p', { class: 'context-empty', text: `Couldn't load the customer details: ${error.message}` }),
        el('button', { class: 'btn btn--ghost btn--small', text: 'Try again', attrs: { type: 'button' }, on: { click: () => load(id, conv) } }));
    } finally {
      if (gen === generation) body.setAttribute('aria-busy', 'false');
    }
  }

  const reloadSoon = debounce(() => fetchSummary(), 500);

  function applyConversation(c) {
    if (c.conversation_id !== currentId) return;
    conv = c;
    if (summary) {
      // Fields the conversation carries are fresher than the summary we fetched.
      summary = { ...summary, priority_level: c.priority_level, priority_reasons: c.priority_reasons, priority_manual: c.priority_manual, inbox_status: c.inbox_status, handled_by: c.handled_by };
      render();
    }
  }

  function clear() {
    currentId = null;
    summary = null;
    conv = null;
    generation++;
    body.replaceChildren(el('p', { class: 'context-empty', text: 'Customer details appear here when you open a conversation.' }));
  }

  // ---------- rendering ----------

  function section(title, className, ...children) {
    const id = `ctx-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
    return el('section', { class: `ctx-section ${className ?? ''}`, attrs: { 'aria-labelledby': id } }, el('h3', { class: 'ctx-heading', text: title, attrs: { id } }), ...children);
  }

  function fact(label, value, { mono = false } = {}) {
    if (value === null || value === undefined || value === '') return null;
    return el('div', { class: 'ctx-fact' }, el('dt', { text: label }), el('dd', { class: mono ? 'mono' : '', text: String(value) }));
  }

  function render() {
    if (!summary) return;
    const s = summary;
    const info = s.customer_info ?? {};
    const nodes = [];

    // Customer
    const name = info.name || displayName(conv ?? { user_identifier: info.user_identifier });
    const identity = info.identity === 'verified' ? 'verified' : info.identity === 'claimed' ? 'claimed' : 'unknown';
    const badge = el('span', { class: `identity identity--${identity}` },
      icon(identity === 'verified' ? 'check' : identity === 'claimed' ? 'alert' : 'person', 12),
      identity === 'verified' ? 'Verified' : identity === 'claimed' ? 'Claimed · not verified' : 'Not identified');
    if (identity === 'claimed') badge.title = 'The customer said who they are, but the site did not sign their identity. Confirm before sharing order details.';
    const location = [info.city, info.state].filter(Boolean).join(', ');
    nodes.push(el('section', { class: 'ctx-section ctx-customer', attrs: { 'aria-label': 'Customer' } },
      el('div', { class: 'ctx-customer-head' },
        fillAvatar(el('span', { class: 'avatar avatar--lg', attrs: { 'aria-hidden': 'true' } }), name, 20),
        el('div', { class: 'ctx-customer-name' }, el('p', { class: 'ctx-name', text: name }), badge)),
      el('dl', { class: 'ctx-facts' },
        fact('Phone', info.phone),
        fact('Email', info.email),
        fact('Customer ID', info.customer_id, { mono: true }),
        fact('Location', location),
        fact('Channel', `${platformLabel(info.platform_type ?? conv?.platform_type)}${info.user_identifier && info.user_identifier !== info.phone && info.user_identifier !== info.email ? ` · ${info.user_identifier}` : ''}`))));

    // Orders and spend (when enrichment found them)
    const hasOrders = typeof info.lifetime_orders === 'number' || typeof info.lifetime_spend === 'number' || info.last_order;
    if (hasOrders) {
      const stats = el('dl', { class: 'ctx-stats' },
        el('div', {}, el('dt', { text: 'Orders' }), el('dd', { text: typeof info.lifetime_orders === 'number' ? String(info.lifetime_orders) : '—' })),
        el('div', {}, el('dt', { text: 'Lifetime spend' }), el('dd', { text: money(info.lifetime_spend) })),
        el('div', {}, el('dt', { text: 'Tier' }), el('dd', { text: info.loyalty_tier ?? '—' })));
      const extra = [];
      if (info.high_value) extra.push(el('span', { class: 'chip chip--priority-high', text: 'High value' }));
      if (typeof info.open_orders === 'number' && info.open_orders > 0) extra.push(el('span', { class: 'chip chip--status', text: `${info.open_orders} open order${info.open_orders === 1 ? '' : 's'}` }));
      const last = info.last_order;
      const lastLine = last && typeof last === 'object'
        ? el('p', { class: 'ctx-last-order' }, el('span', { class: 'ctx-muted', text: 'Last order ' }), el('span', { class: 'mono', text: String(last.order_id ?? '') }),
          document.createTextNode(` · ${last.status_label ?? last.status ?? ''} · ${money(last.total)}${last.order_date ? ` · ${new Date(`${last.order_date}T12:00:00`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: 'numeric' })}` : ''}`))
        : null;
      nodes.push(section('Orders', 'ctx-orders', stats, extra.length ? el('p', { class: 'ctx-chips' }, ...extra) : null, lastLine,
        info.stale ? el('p', { class: 'ctx-muted ctx-small', text: 'LOFT did not answer: these are the last known figures.' }) : null));
    }

    // Handoff
    const h = s.handoff;
    if (h && typeof h === 'object') {
      const steps = Array.isArray(h.assistant_steps) ? h.assistant_steps : Array.isArray(h.steps_taken) ? h.steps_taken : [];
      nodes.push(section('Handoff request', 'ctx-handoff',
        el('p', { class: 'ctx-handoff-reason' }, icon('handoff', 16), el('strong', { text: String(h.reason ?? 'The assistant asked for a person') })),
        h.summary ? el('p', { class: 'ctx-handoff-summary', text: String(h.summary) }) : null,
        el('p', { class: 'ctx-muted ctx-small' },
          document.createTextNode([h.ticket_id ? `Ticket ${h.ticket_id}` : null, h.requested_at ? `requested ${ago(h.requested_at)} ago` : null, h.preferred_store ? `prefers ${h.preferred_store}` : null].filter(Boolean).join(' · '))),
        steps.length ? el('p', { class: 'ctx-subheading', text: 'Steps the assistant took' }) : null,
        steps.length ? el('ol', { class: 'ctx-steps' }, ...steps.map((step) => el('li', {}, el('code', { text: String(step) })))) : null));
    }

    // Summary
    if (s.summary) nodes.push(section('Summary', 'ctx-summary', el('p', { class: 'ctx-summary-text', text: s.summary })));

    // Priority, sentiment, topics
    const reasons = Array.isArray(s.priority_reasons) ? s.priority_reasons : [];
    const sentiment = s.sentiment ?? { label: 'neutral', score: 0 };
    const topics = Array.isArray(s.key_topics) ? s.key_topics : [];
    nodes.push(section('Priority & mood', 'ctx-priority',
      el('p', { class: 'ctx-chips' },
        el('span', { class: `chip chip--priority-${s.priority_level}`, text: `${PRIORITY_LABELS[s.priority_level] ?? s.priority_level} priority` }),
        el('span', { class: 'ctx-muted ctx-small', text: s.priority_manual ? 'set by an agent' : 'automatic' }),
        el('span', { class: `chip chip--sentiment-${sentiment.label}`, text: `${sentiment.label[0]?.toUpperCase() ?? ''}${sentiment.label.slice(1)}${typeof sentiment.score === 'number' && sentiment.score !== 0 ? ` ${sentiment.score > 0 ? '+' : ''}${sentiment.score.toFixed(2)}` : ''}`, attrs: { title: 'Customer sentiment' } })),
      reasons.length ? el('ul', { class: 'ctx-reasons' }, ...reasons.map((r) => el('li', { text: String(r) }))) : null,
      topics.length ? el('p', { class: 'ctx-chips ctx-topics', attrs: { 'aria-label': 'Topics' } }, ...topics.map((t) => el('span', { class: 'chip chip--topic', text: topicLabel(t) }))) : el('p', { class: 'ctx-muted ctx-small', text: s.enriched_at ? 'No particular topic.' : 'Topics appear once the conversation has been analysed.' })));

    // Tags
    const tags = conv?.tags ?? [];
    const tagForm = el('form', { class: 'tag-form', on: { submit: (e) => { e.preventDefault(); addTag(e.currentTarget.elements.tag.value); } } },
      el('label', { class: 'visually-hidden', text: 'Add a tag', attrs: { for: 'tag-add' } }),
      el('input', {
        class: 'tag-input',
        attrs: { id: 'tag-add', name: 'tag', type: 'text', placeholder: 'Add a tag…', maxlength: '50', autocomplete: 'off', list: 'tag-options' },
        // Enter adds the tag even while the suggestions list is open.
        on: { keydown: (e) => { if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); addTag(e.currentTarget.value); } } },
      }),
      el('button', { class: 'btn btn--ghost btn--small', text: 'Add', attrs: { type: 'submit' } }));
    nodes.push(section('Tags', 'ctx-tags',
      el('ul', { class: 'tag-list', attrs: { 'aria-label': 'Tags' } },
        ...tags.map((t) => el('li', { class: 'tag' }, icon('tag', 12), el('span', { text: t }),
          el('button', { class: 'tag-remove', attrs: { type: 'button', 'aria-label': `Remove tag ${t}` }, on: { click: () => removeTag(t) } }, icon('x', 12))))),
      tags.length ? null : el('p', { class: 'ctx-muted ctx-small', text: 'No tags yet.' }),
      tagForm,
      tagError ? el('p', { class: 'field-error', text: tagError, attrs: { role: 'alert' } }) : null));

    // Functions used
    const fns = Array.isArray(s.functions_used) ? s.functions_used : [];
    nodes.push(section('Functions used', 'ctx-functions',
      fns.length
        ? el('ul', { class: 'fn-list' }, ...fns.map((f) => el('li', { class: 'fn' },
          el('code', { class: 'fn-name', text: f.name }),
          el('span', { class: 'fn-count', text: `×${f.count}`, attrs: { title: f.last_used_at ? `Last used ${fullTime(f.last_used_at)}` : '' } }),
          f.failures ? el('span', { class: 'fn-failures', text: `${f.failures} failed` }) : null)))
        : el('p', { class: 'ctx-muted ctx-small', text: 'The assistant has not looked anything up yet.' })));

    // Keep focus in the tag box across a re-render (adding several tags in a row).
    const focusedTag = document.activeElement?.id === 'tag-add';
    body.replaceChildren(...nodes);
    if (focusedTag) $('tag-add')?.focus();
  }

  async function addTag(raw) {
    const tag = String(raw ?? '').trim().toLowerCase();
    if (!tag || !currentId) return;
    tagError = '';
    try {
      ctx.onConversation(await api.patch(currentId, { tags: { add: [tag] } }));
      const input = $('tag-add');
      if (input) input.value = '';
    } catch (error) {
      tagError = error.message;
      render();
    }
  }
  async function removeTag(tag) {
    if (!currentId) return;
    try {
      ctx.onConversation(await api.patch(currentId, { tags: { remove: [tag] } }));
      ctx.toast({ title: `Removed tag “${tag}”` });
    } catch (error) {
      ctx.toast({ kind: 'error', title: "Couldn't remove the tag", text: error.message });
    }
  }

  function skeleton() {
    return el('div', { class: 'ctx-skeleton', attrs: { 'aria-hidden': 'true' } }, el('span'), el('span'), el('span'), el('span'));
  }

  return {
    load,
    clear,
    reloadSoon,
    applyConversation,
    get currentId() {
      return currentId;
    },
  };
}
