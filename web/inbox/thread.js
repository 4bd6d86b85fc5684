// Column 2: one conversation. Header with the actions (assign, status and snooze, priority,
// take over / hand back, read state, resolve), the messages as stored (content_html and
// components[].html, both sanitised by the server and checked again here), older messages on
// scroll up, new ones live, and the composer for replies and internal notes.
import { api } from './api.js';
import {
  $, PRIORITY_LABELS, STATUS_LABELS, ago, clockTime, dayKey, dayLabel, debounce, displayName, el, fullTime, handleBrokenImages, icon,
  fillAvatar, initials, insertSafeHtml, platformLabel, prettyJson, toDate, uuid,
} from './dom.js';
import { createMenu } from './menu.js';

const FIRST_PAGE = 60;
const OLDER_PAGE = 60;
const GROUP_GAP_MS = 10 * 60_000;

export function createThread(ctx) {
  const threadEl = $('thread');
  const placeholder = $('thread-placeholder');
  const log = $('thread-log');
  const items = $('log-items');
  const pendingBox = el('div', { class: 'log-pending' });
  log.append(pendingBox);
  const loadOlderButton = $('load-older');
  const olderLoading = $('older-loading');
  const logStart = $('log-start');
  const newBelow = $('new-below');
  const form = $('composer');
  const input = $('composer-input');
  handleBrokenImages(log);

  /** The open conversation's view state. */
  let cur = null;
  /** Unsent text per conversation: switching conversations never loses a draft. */
  const drafts = new Map();
  /** Sends not yet confirmed (sending or failed), per conversation. */
  const pending = new Map();

  // ---------- opening ----------

  async function open(id, known) {
    if (cur?.id === id) return;
    saveDraft();
    cur = {
      id,
      conv: known ?? null,
      shown: new Set(),
      lastId: null, // the newest message id fetched from the server (the `after` cursor)
      firstId: null,
      hasMoreBefore: false,
      loadingOlder: false,
      ready: false,
      markedUnread: false,
      newer: null,
      newerAgain: false,
    };
    const mine = cur;
    placeholder.hidden = true;
    threadEl.hidden = false;
    items.replaceChildren(el('div', { class: 'log-skeleton', attrs: { 'aria-hidden': 'true' } }, el('span'), el('span'), el('span')));
    pendingBox.replaceChildren();
    newBelow.hidden = true;
    loadOlderButton.hidden = true;
    logStart.hidden = true;
    if (known) applyConversation(known);
    restoreDraft();

    const [convResult, pageResult] = await Promise.allSettled([api.conversation(id), api.messages(id, { limit: FIRST_PAGE })]);
    if (cur !== mine) return;
    if (convResult.status === 'fulfilled') {
      ctx.onConversation(convResult.value);
    } else if (!known) {
      items.replaceChildren(errorLine(`Couldn't open this conversation: ${convResult.reason.message}`, () => { cur = null; open(id); }));
      return;
    }
    items.replaceChildren();
    if (pageResult.status === 'rejected') {
      items.append(errorLine(`Couldn't load the messages: ${pageResult.reason.message}`, () => { cur = null; open(id); }));
      return;
    }
    const page = pageResult.value;
    insertMessages(page.data, { initial: true });
    cur.lastId = page.data.at(-1)?.message_id ?? null;
    cur.firstId = page.data[0]?.message_id ?? null;
    cur.hasMoreBefore = page.has_more;
    updateTop();
    for (const p of pending.get(id) ?? []) pendingBox.append(p.el);
    scrollToBottom();
    // Start watching the top for "load older" only once we're at the bottom.
    requestAnimationFrame(() => {
      if (cur === mine) cur.ready = true;
    });
    const conv = convResult.status === 'fulfilled' ? convResult.value : known;
    if (conv && conv.unread_count > 0) markRead();
    // Anything that arrived while the first page was on its way.
    fetchNewer();
  }

  function close() {
    saveDraft();
    cur = null;
    threadEl.hidden = true;
    placeholder.hidden = false;
  }

  function errorLine(text, retry) {
    const p = el('div', { class: 'log-error', attrs: { role: 'alert' } }, icon('alert', 16), el('span', { text }));
    if (retry) p.append(el('button', { class: 'btn btn--ghost btn--small', text: 'Try again', attrs: { type: 'button' }, on: { click: retry } }));
    return p;
  }

  // ---------- header ----------

  function applyConversation(conv) {
    if (!cur || conv.conversation_id !== cur.id) return;
    cur.conv = conv;
    const name = displayName(conv);
    fillAvatar($('thread-avatar'), name, 20);
    $('thread-title').textContent = name;
    const sub = $('thread-sub');
    sub.replaceChildren();
    const parts = [platformLabel(conv.platform_type)];
    if (conv.customer?.name && conv.user_identifier !== conv.customer.name) parts.push(conv.user_identifier);
    if (conv.message_count > 0) parts.push(`${conv.message_count.toLocaleString('en-US')} message${conv.message_count === 1 ? '' : 's'}`);
    const since = toDate(conv.conversation_started_at)?.toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: 'numeric' });
    if (since) parts.push(`since ${since}`);
    sub.title = parts.join(' · ');
    sub.append(el('span', { class: `platform-pill platform-pill--${conv.platform_type}` }, icon(conv.platform_type in PLATFORM_ICON_OK ? conv.platform_type : 'other', 12), parts[0]));
    sub.append(document.createTextNode(` · ${parts.slice(1).join(' · ')}`));

    const handled = $('thread-handled');
    handled.className = `handled-by handled-by--${conv.handled_by}`;
    handled.replaceChildren(icon(conv.handled_by === 'human' ? 'person' : 'bot', 14), el('span', { text: conv.handled_by === 'human' ? 'Agent is handling' : 'Assistant is answering' }));

    const agent = conv.assigned_agent_id ? ctx.agentName(conv.assigned_agent_id) : null;
    // The first name is enough on the button; the menu and the label say the rest.
    $('assign-label').textContent = agent ? (conv.assigned_agent_id === ctx.me()?.agent_id ? 'You' : agent.split(/\s+/)[0]) : 'Unassigned';
    $('assign-button').title = agent ? `Assigned to ${agent}` : 'Nobody has this conversation';
    $('assign-button').setAttribute('aria-label', `Assignee: ${agent ?? 'unassigned'}. Change`);
    $('status-label').textContent = conv.inbox_status === 'pending_human' ? 'Handoff' : STATUS_LABELS[conv.inbox_status] ?? conv.inbox_status;
    $('status-dot').dataset.status = conv.inbox_status;
    const statusText = conv.inbox_status === 'snoozed' && conv.snoozed_until ? `Snoozed until ${snoozeLabel(conv.snoozed_until)}` : STATUS_LABELS[conv.inbox_status] ?? conv.inbox_status;
    $('status-button').setAttribute('aria-label', `Status: ${statusText}. Change`);
    $('status-button').title = statusText;
    $('priority-label').textContent = PRIORITY_LABELS[conv.priority_level] ?? conv.priority_level;
    $('priority-button').title = conv.priority_manual ? 'Priority set by an agent' : 'Priority set automatically';
    $('priority-button').dataset.priority = conv.priority_level;
    $('priority-button').setAttribute('aria-label', `Priority: ${PRIORITY_LABELS[conv.priority_level]}${conv.priority_manual ? ', set by an agent' : ', automatic'}. Change`);

    const handledButton = $('handled-button');
    handledButton.replaceChildren(icon(conv.handled_by === 'human' ? 'bot' : 'person', 16), el('span', { text: conv.handled_by === 'human' ? 'Hand back' : 'Take over' }));
    handledButton.setAttribute('aria-keyshortcuts', 't');
    handledButton.title = conv.handled_by === 'human' ? 'The assistant answers again (t)' : 'Stop the assistant; you answer (t)';

    const readButton = $('read-button');
    const unread = conv.unread_count > 0;
    readButton.replaceChildren(icon(unread ? 'check' : 'unread', 16), el('span', { class: 'visually-hidden', text: unread ? 'Mark read' : 'Mark unread' }));
    readButton.setAttribute('aria-keyshortcuts', 'u');
    readButton.title = `${unread ? 'Mark read' : 'Mark unread'} (u)`;

    $('resolve-label').textContent = conv.inbox_status === 'resolved' ? 'Reopen' : 'Resolve';
    $('resolve-button').classList.toggle('tool--primary', conv.inbox_status !== 'resolved');

    const banner = $('thread-banner');
    const waiting = conv.inbox_status === 'pending_human';
    const snoozed = conv.inbox_status === 'snoozed' && conv.snoozed_until;
    banner.hidden = !waiting && !snoozed;
    banner.className = `thread-banner${snoozed && !waiting ? ' thread-banner--snoozed' : ''}`;
    if (waiting) {
      const reason = conv.handoff?.reason ?? conv.handoff?.summary;
      banner.replaceChildren(icon('handoff', 18), el('span', {},
        el('strong', { text: 'Handed to the team. ' }),
        document.createTextNode(`${reason ? `${reason}. ` : ''}${conv.waiting_since ? `The customer has been waiting ${ago(conv.waiting_since)}.` : ''}`)));
    } else if (snoozed) {
      banner.replaceChildren(icon('clock', 18), el('span', {},
        el('strong', { text: `Snoozed until ${snoozeLabel(conv.snoozed_until)}. ` }),
        document.createTextNode('It comes back by itself then, or as soon as the customer writes.')));
    }
    updateComposerContext();
  }

  // ---------- messages ----------

  function senderKey(m) {
    if (m.role === 'tool') return 'tool';
    if (m.is_internal_note) return `note:${m.sender_name ?? ''}`;
    if (m.sender_type === 'business_rep') return `agent:${m.sender_name ?? ''}`;
    if (m.sender_type === 'customer' || m.role === 'user') return 'customer';
    return 'assistant';
  }

  function renderMessage(m) {
    const key = senderKey(m);
    const kind = key === 'tool' ? 'tool' : key === 'customer' ? 'customer' : key === 'assistant' ? 'assistant' : m.is_internal_note ? 'note' : 'agent';
    const article = el('article', {
      class: `m m--${kind}`,
      dataset: { id: m.message_id, key, ts: String(toDate(m.created_at)?.getTime() ?? 0), day: dayKey(m.created_at) },
    });
    if (kind === 'tool') {
      article.append(renderToolCall(m));
    } else {
      const who = kind === 'customer' ? (m.sender_name || displayName(cur?.conv))
        : kind === 'assistant' ? 'Woodstock Assistant'
        : m.sender_name || 'Agent';
      const meta = el('header', { class: 'm-meta' });
      if (kind !== 'assistant') meta.append(fillAvatar(el('span', { class: `avatar avatar--xs avatar--${kind}`, attrs: { 'aria-hidden': 'true' } }), who, 11));
      else meta.append(el('span', { class: 'avatar avatar--xs avatar--assistant', attrs: { 'aria-hidden': 'true' } }, icon('bot', 12)));
      meta.append(el('span', { class: 'm-who', text: who }));
      if (kind === 'note') meta.append(el('span', { class: 'm-tag m-tag--note' }, icon('lock', 11), 'Internal note'));
      else if (kind === 'agent') meta.append(el('span', { class: 'm-tag m-tag--agent', text: 'Agent' }));
      else if (kind === 'assistant') meta.append(el('span', { class: 'm-tag m-tag--assistant', text: 'AI' }));
      meta.append(el('time', { class: 'm-time', text: clockTime(m.created_at), attrs: { datetime: m.created_at, title: fullTime(m.created_at) } }));
      article.append(meta);

      const bubble = el('div', { class: 'm-bubble' });
      if (kind === 'note') bubble.append(el('span', { class: 'visually-hidden', text: 'Internal note: ' }));
      const html = typeof m.content_html === 'string' ? m.content_html : null;
      if (html && html.trim()) {
        const content = el('div', { class: 'm-content' });
        insertSafeHtml(content, html);
        bubble.append(content);
      } else if (typeof m.content === 'string' && m.content.trim()) {
        // No rendering from the server (an older server): the stored text, as text.
        bubble.append(el('div', { class: 'm-content m-content--plain', text: m.content }));
      } else if (!m.components?.length) {
        bubble.append(el('p', { class: 'm-empty', text: '(empty message)' }));
      }
      if (bubble.childElementCount > (kind === 'note' ? 1 : 0)) article.append(bubble);
    }
    const components = Array.isArray(m.components) ? m.components.filter((c) => c && typeof c.html === 'string' && c.html.trim()) : [];
    if (components.length) {
      const box = el('div', { class: 'm-components' });
      for (const c of components) {
        const holder = el('div', { class: 'wo-component', dataset: { type: typeof c.type === 'string' ? c.type : 'component' } });
        insertSafeHtml(holder, c.html);
        // The customer's action buttons do nothing here.
        for (const b of holder.querySelectorAll('button')) {
          b.disabled = true;
          b.tabIndex = -1;
        }
        box.append(holder);
      }
      article.append(box);
    }
    return article;
  }

  function renderToolCall(m) {
    const status = m.function_status ?? (m.function_output && typeof m.function_output === 'object' && m.function_output.ok === false ? 'error' : null);
    const details = el('details', { class: `tool-call${status === 'error' ? ' tool-call--error' : ''}` });
    const summary = el('summary', { class: 'tool-call-summary' },
      icon('tool', 14),
      el('span', { class: 'visually-hidden', text: 'Function call: ' }),
      el('code', { class: 'tool-call-name', text: m.function_name ?? 'function' }),
      status ? el('span', { class: `tool-status tool-status--${status === 'success' ? 'ok' : status === 'error' ? 'error' : 'other'}`, text: status }) : null,
      el('time', { class: 'm-time', text: clockTime(m.created_at), attrs: { datetime: m.created_at, title: fullTime(m.created_at) } }));
    details.append(summary);
    // The JSON is built only when opened: some outputs are large.
    details.addEventListener('toggle', () => {
      if (!details.open || details.dataset.filled) return;
      details.dataset.filled = '1';
      const io = el('div', { class: 'tool-io' });
      io.append(el('p', { class: 'tool-io-label', text: 'Input' }), el('pre', { class: 'tool-io-json', text: m.function_input == null ? '—' : prettyJson(m.function_input) }));
      io.append(el('p', { class: 'tool-io-label', text: 'Output' }), el('pre', { class: 'tool-io-json', text: m.function_output == null ? '—' : prettyJson(m.function_output) }));
      details.append(io);
    });
    return details;
  }

  /**
   * Puts server messages in the log, each once, in chronological order (a message fetched late
   * still lands where it belongs), claims matching unconfirmed sends, and re-groups.
   */
  function insertMessages(list, { initial = false, prepend = false } = {}) {
    if (!cur) return { added: 0, fromOthers: 0, customer: 0 };
    let added = 0;
    let fromOthers = 0;
    let customer = 0;
    const fresh = list.filter((m) => m && typeof m.message_id === 'string' && !cur.shown.has(m.message_id));
    if (fresh.length === 0) return { added, fromOthers, customer };
    const follow = !initial && !prepend && atBottom();
    // A first page or older messages are not news: screen readers announce only live additions.
    if (initial || prepend) log.setAttribute('aria-busy', 'true');
    const heightBefore = log.scrollHeight;
    const topBefore = log.scrollTop;

    if (prepend) {
      const fragment = document.createDocumentFragment();
      for (const m of fresh) {
        cur.shown.add(m.message_id);
        fragment.append(renderMessage(m));
        added++;
      }
      items.prepend(fragment);
    } else {
      for (const m of fresh) {
        cur.shown.add(m.message_id);
        claimPending(m);
        const node = renderMessage(m);
        const ts = Number(node.dataset.ts);
        // Walk back over anything newer (rare: a reply confirmed before a customer message fetched).
        let after = items.lastElementChild;
        while (after && (!after.classList.contains('m') || Number(after.dataset.ts) > ts)) after = after.previousElementSibling;
        if (after) after.after(node);
        else items.prepend(node);
        added++;
        if (m.sender_type !== 'business_rep') fromOthers++;
        if (m.sender_type === 'customer' || m.role === 'user') customer++;
      }
    }
    regroup();
    if (initial || prepend) requestAnimationFrame(() => log.setAttribute('aria-busy', 'false'));
    if (prepend) {
      log.scrollTop = topBefore + (log.scrollHeight - heightBefore);
    } else if (follow) {
      scrollToBottom();
    } else if (!initial && fromOthers > 0) {
      newBelow.hidden = false;
    }
    return { added, fromOthers, customer };
  }

  /** Day separators and sender grouping (name and time once per run of messages). */
  function regroup() {
    let lastKey = null;
    let lastTs = 0;
    let lastDay = null;
    for (const node of [...items.children]) {
      if (node.classList.contains('day-sep')) {
        node.remove();
        continue;
      }
      if (!node.classList.contains('m')) continue;
      const day = node.dataset.day;
      const ts = Number(node.dataset.ts);
      if (day !== lastDay) {
        node.before(el('div', { class: 'day-sep', attrs: { role: 'separator' } }, el('span', { text: dayLabel(new Date(ts).toISOString()) })));
        lastDay = day;
        lastKey = null;
      }
      const key = node.dataset.key;
      if (key === 'tool') continue; // tool rows sit inside the assistant's turn
      const continued = key === lastKey && ts - lastTs < GROUP_GAP_MS;
      node.classList.toggle('is-continued', continued);
      lastKey = key;
      lastTs = ts;
    }
  }

  function atBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }
  function scrollToBottom() {
    log.scrollTop = log.scrollHeight;
    newBelow.hidden = true;
  }
  newBelow.addEventListener('click', () => {
    scrollToBottom();
    log.focus({ preventScroll: true });
  });
  log.addEventListener('scroll', () => {
    if (!newBelow.hidden && atBottom()) newBelow.hidden = true;
  }, { passive: true });

  // ---------- older (scroll up) ----------

  function updateTop() {
    if (!cur) return;
    loadOlderButton.hidden = !cur.hasMoreBefore || cur.loadingOlder;
    olderLoading.hidden = !cur.loadingOlder;
    logStart.hidden = cur.hasMoreBefore || cur.shown.size === 0;
  }

  async function loadOlder() {
    if (!cur || !cur.hasMoreBefore || cur.loadingOlder || !cur.firstId) return;
    const mine = cur;
    cur.loadingOlder = true;
    updateTop();
    try {
      const page = await api.messages(cur.id, { limit: OLDER_PAGE, before: cur.firstId });
      if (cur !== mine) return;
      insertMessages(page.data, { prepend: true });
      if (page.data.length) cur.firstId = page.data[0].message_id;
      cur.hasMoreBefore = page.has_more && page.data.length > 0;
    } catch (error) {
      if (cur === mine) ctx.toast({ kind: 'error', title: "Couldn't load earlier messages", text: error.message });
    } finally {
      if (cur === mine) {
        cur.loadingOlder = false;
        updateTop();
      }
    }
  }
  loadOlderButton.addEventListener('click', () => loadOlder());
  new IntersectionObserver((entries) => {
    if (cur?.ready && entries.some((e) => e.isIntersecting)) loadOlder();
  }, { root: log, rootMargin: '400px 0px 0px 0px' }).observe($('log-top'));

  // ---------- newer (live) ----------

  /** Fetches what came after the newest message we have; calls made meanwhile fold into one more run. */
  function fetchNewer() {
    if (!cur) return Promise.resolve();
    if (cur.newer) {
      cur.newerAgain = true;
      return cur.newer;
    }
    const mine = cur;
    mine.newer = (async () => {
      let customer = 0;
      do {
        mine.newerAgain = false;
        try {
          let more = true;
          while (more && cur === mine) {
            const page = await api.messages(mine.id, mine.lastId ? { after: mine.lastId, limit: 100 } : { limit: 100 });
            if (cur !== mine) return;
            const r = insertMessages(page.data);
            customer += r.customer;
            if (page.data.length) mine.lastId = page.data.at(-1).message_id;
            if (!mine.firstId && page.data.length) mine.firstId = page.data[0].message_id;
            more = Boolean(mine.lastId) && page.has_more && page.data.length > 0;
          }
        } catch {
          // The next event (or reconnect) tries again.
        }
      } while (mine.newerAgain && cur === mine);
      if (cur === mine) {
        updateTop();
        if (customer > 0) autoMarkRead();
      }
    })().finally(() => {
      mine.newer = null;
    });
    return mine.newer;
  }

  // ---------- read state ----------

  async function markRead() {
    if (!cur) return;
    const id = cur.id;
    try {
      ctx.onConversation(await api.markRead(id));
    } catch (error) {
      ctx.toast({ kind: 'error', title: "Couldn't mark as read", text: error.message });
    }
  }
  /** New customer messages in the open conversation count as read while you're looking at it. */
  const autoMarkRead = debounce(() => {
    if (!cur || cur.markedUnread || document.hidden || !document.hasFocus()) return;
    markRead();
  }, 800);

  async function toggleRead() {
    if (!cur?.conv) return;
    if (cur.conv.unread_count > 0) {
      cur.markedUnread = false;
      return markRead();
    }
    cur.markedUnread = true;
    try {
      ctx.onConversation(await api.markUnread(cur.id));
      ctx.toast({ title: 'Marked unread', text: 'It stays unread until you open it again.' });
    } catch (error) {
      ctx.toast({ kind: 'error', title: "Couldn't mark as unread", text: error.message });
    }
  }

  // ---------- actions ----------

  async function patch(body, done) {
    if (!cur) return null;
    const id = cur.id;
    try {
      const conv = await api.patch(id, body);
      ctx.onConversation(conv);
      if (done) ctx.toast({ title: done });
      return conv;
    } catch (error) {
      const text = error.code === 'no_agent' ? 'This API key does not belong to an agent, so it has no "me". Pick an agent from the list instead.' : error.message;
      ctx.toast({ kind: 'error', title: "That didn't work", text });
      return null;
    }
  }

  function assignToMe() {
    const me = ctx.me();
    if (!cur) return;
    if (!me?.agent_id) {
      ctx.toast({ kind: 'error', title: 'No agent for this key', text: 'Sign in with an agent\'s API key to assign to yourself, or pick an agent from the Assign menu.' });
      return;
    }
    if (cur.conv?.assigned_agent_id === me.agent_id) return;
    patch({ assigned_agent_id: 'me' }, 'Assigned to you');
  }

  function resolve() {
    if (!cur?.conv) return;
    if (cur.conv.inbox_status === 'resolved') patch({ inbox_status: 'open' }, 'Reopened');
    else patch({ inbox_status: 'resolved' }, 'Resolved · the assistant answers again if the customer writes');
  }

  function toggleHandled() {
    if (!cur?.conv) return;
    const toHuman = cur.conv.handled_by !== 'human';
    patch({ handled_by: toHuman ? 'human' : 'bot' }, toHuman ? 'You took over · the assistant stays quiet' : 'Handed back to the assistant');
  }

  createMenu($('assign-button'), $('assign-menu'), () => {
    const me = ctx.me();
    const assigned = cur?.conv?.assigned_agent_id ?? null;
    const list = [];
    if (me?.agent_id) list.push({ label: 'Assign to me', hint: 'a', shortcut: 'a', checked: assigned === me.agent_id, onSelect: () => patch({ assigned_agent_id: 'me' }, 'Assigned to you') }, { separator: true });
    for (const agent of ctx.agents()) {
      if (agent.agent_id === me?.agent_id) continue;
      list.push({ label: agent.name, checked: assigned === agent.agent_id, onSelect: () => patch({ assigned_agent_id: agent.agent_id }, `Assigned to ${agent.name}`) });
    }
    list.push({ separator: true }, { label: 'Unassigned', checked: assigned === null, onSelect: () => patch({ assigned_agent_id: null }, 'Unassigned') });
    return list;
  });

  createMenu($('status-button'), $('status-menu'), () => {
    const s = cur?.conv?.inbox_status;
    return [
      { label: 'New', checked: s === 'new', onSelect: () => patch({ inbox_status: 'new' }, 'Marked new') },
      { label: 'Open', checked: s === 'open', onSelect: () => patch({ inbox_status: 'open' }, 'Opened') },
      { label: 'Needs a person', checked: s === 'pending_human', onSelect: () => patch({ inbox_status: 'pending_human' }, 'Waiting for a person') },
      { label: 'Snooze…', checked: s === 'snoozed', hint: s === 'snoozed' && cur?.conv?.snoozed_until ? snoozeLabel(cur.conv.snoozed_until) : undefined, onSelect: () => openSnooze() },
      { label: 'Resolved', hint: 'e', shortcut: 'e', checked: s === 'resolved', onSelect: () => patch({ inbox_status: 'resolved' }, 'Resolved') },
    ];
  });

  createMenu($('priority-button'), $('priority-menu'), () => {
    const p = cur?.conv?.priority_level;
    const manual = cur?.conv?.priority_manual;
    return [
      ...['urgent', 'high', 'normal', 'low'].map((level) => ({
        label: PRIORITY_LABELS[level],
        checked: p === level,
        onSelect: () => patch({ priority_level: level }, `Priority: ${PRIORITY_LABELS[level]}`),
      })),
      { separator: true },
      { label: 'Clear manual priority', hint: manual ? 'back to automatic' : 'already automatic', disabled: !manual, onSelect: () => patch({ priority_level: null }, 'Priority is automatic again') },
    ];
  });

  $('handled-button').addEventListener('click', toggleHandled);
  $('read-button').addEventListener('click', toggleRead);
  $('resolve-button').addEventListener('click', resolve);

  // Snooze dialog
  const snoozeDialog = $('snooze-dialog');
  const snoozeInput = $('snooze-at');
  const snoozeError = $('snooze-error');
  const toLocalInput = (d) => {
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  };
  function openSnooze() {
    if (!cur) return;
    const d = new Date(Date.now() + 4 * 3_600_000);
    d.setMinutes(0, 0, 0);
    snoozeInput.value = toLocalInput(d);
    snoozeInput.min = toLocalInput(new Date());
    snoozeError.hidden = true;
    snoozeDialog.showModal();
    snoozeInput.focus();
  }
  for (const preset of document.querySelectorAll('.snooze-preset')) {
    preset.addEventListener('click', () => {
      let d = new Date();
      if (preset.dataset.hours) d = new Date(Date.now() + Number(preset.dataset.hours) * 3_600_000);
      else {
        d.setHours(9, 0, 0, 0);
        if (preset.dataset.preset === 'tomorrow') d.setDate(d.getDate() + 1);
        else d.setDate(d.getDate() + (((8 - d.getDay()) % 7) || 7));
      }
      snoozeInput.value = toLocalInput(d);
      snoozeInput.focus();
    });
  }
  $('snooze-cancel').addEventListener('click', () => snoozeDialog.close());
  $('snooze-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const at = new Date(snoozeInput.value);
    if (!snoozeInput.value || Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) {
      snoozeError.textContent = 'Pick a time in the future.';
      snoozeError.hidden = false;
      return;
    }
    snoozeDialog.close();
    await patch({ inbox_status: 'snoozed', snoozed_until: at.toISOString() }, `Snoozed until ${snoozeLabel(at.toISOString())}`);
  });

  // ---------- composer ----------

  const modeInputs = [...form.querySelectorAll('input[name="mode"]')];
  const mode = () => modeInputs.find((i) => i.checked)?.value ?? 'reply';
  function setMode(value) {
    for (const i of modeInputs) i.checked = i.value === value;
    form.dataset.mode = value;
    updateComposerContext();
  }
  for (const i of modeInputs) i.addEventListener('change', () => setMode(mode()));

  function updateComposerContext() {
    const note = mode() === 'note';
    const conv = cur?.conv;
    const first = conv?.customer?.name?.split(/\s+/)[0];
    input.placeholder = note ? 'Write an internal note · only agents see it' : `Reply to ${first ?? 'the customer'}…`;
    $('composer-label').textContent = note ? 'Internal note (only agents see it)' : 'Reply to the customer';
    $('composer-send-label').textContent = note ? 'Add note' : 'Send';
    const context = $('composer-context');
    context.textContent = note
      ? 'Never sent to the customer'
      : conv?.handled_by !== 'human' ? 'Sending takes over from the assistant' : `As ${ctx.replyName() ?? 'you'}`;
  }

  function autosize() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 220)}px`;
  }
  input.addEventListener('input', autosize);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      form.requestSubmit();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      input.blur();
      ctx.focusList();
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value;
    if (!text.trim() || !cur) {
      input.focus();
      return;
    }
    send(text.trim(), mode() === 'note');
    input.value = '';
    drafts.delete(cur.id);
    autosize();
    input.focus();
  });

  function saveDraft() {
    if (!cur) return;
    if (input.value.trim()) drafts.set(cur.id, { text: input.value, mode: mode() });
    else drafts.delete(cur.id);
  }
  function restoreDraft() {
    const d = cur ? drafts.get(cur.id) : null;
    input.value = d?.text ?? '';
    setMode(d?.mode ?? 'reply');
    autosize();
  }

  function focusComposer(value) {
    if (!cur) return;
    setMode(value);
    input.focus();
  }

  // ---------- sending (optimistic, idempotent retries) ----------

  function send(text, internal) {
    const convId = cur.id;
    const p = { key: uuid(), convId, text, internal, state: 'sending', error: null, el: null, claimed: false };
    if (!pending.has(convId)) pending.set(convId, []);
    pending.get(convId).push(p);
    p.el = renderPending(p);
    pendingBox.append(p.el);
    scrollToBottom();
    attempt(p);
  }

  async function attempt(p) {
    p.state = 'sending';
    p.error = null;
    updatePending(p);
    try {
      const name = ctx.me()?.agent_name ? undefined : ctx.replyName() ?? undefined;
      const message = await api.send(p.convId, { content: p.text, is_internal_note: p.internal, ...(name ? { sender_name: name } : {}) }, p.key);
      confirm(p, message);
      ctx.refreshConversation(p.convId);
    } catch (error) {
      if (p.claimed) return;
      p.state = 'failed';
      p.error = error;
      updatePending(p);
      if (cur?.id === p.convId) p.el.querySelector('.pending-retry')?.focus({ preventScroll: true });
    }
  }

  function dropPending(p) {
    const list = pending.get(p.convId) ?? [];
    const i = list.indexOf(p);
    if (i !== -1) list.splice(i, 1);
    p.el?.remove();
  }

  function confirm(p, message) {
    dropPending(p);
    p.claimed = true;
    if (cur?.id === p.convId && message) insertMessages([message]);
  }

  /** A server copy of an unconfirmed send (the live stream was quicker than the POST's answer). */
  function claimPending(m) {
    if (m.sender_type !== 'business_rep') return;
    const list = pending.get(m.conversation_id) ?? [];
    const p = list.find((x) => !x.claimed && x.internal === Boolean(m.is_internal_note) && x.text.trim() === String(m.content ?? '').trim());
    if (!p) return;
    p.claimed = true;
    dropPending(p);
  }

  function renderPending(p) {
    const article = el('article', { class: `m m--${p.internal ? 'note' : 'agent'} is-pending`, attrs: { 'aria-live': 'polite' } });
    const who = ctx.replyName() ?? 'You';
    const meta = el('header', { class: 'm-meta' },
      el('span', { class: `avatar avatar--xs avatar--${p.internal ? 'note' : 'agent'}`, text: initials(who), attrs: { 'aria-hidden': 'true' } }),
      el('span', { class: 'm-who', text: who }),
      p.internal ? el('span', { class: 'm-tag m-tag--note' }, icon('lock', 11), 'Internal note') : el('span', { class: 'm-tag m-tag--agent', text: 'Agent' }),
      el('span', { class: 'pending-state' }));
    const bubble = el('div', { class: 'm-bubble' }, el('div', { class: 'm-content m-content--plain', text: p.text }));
    article.append(meta, bubble, el('div', { class: 'pending-error' }));
    return article;
  }

  function updatePending(p) {
    const article = p.el;
    if (!article) return;
    article.classList.toggle('is-failed', p.state === 'failed');
    const state = article.querySelector('.pending-state');
    state.replaceChildren(p.state === 'sending' ? el('span', { class: 'spinner spinner--xs', attrs: { 'aria-hidden': 'true' } }) : icon('alert', 12), el('span', { text: p.state === 'sending' ? 'Sending…' : 'Not sent' }));
    const box = article.querySelector('.pending-error');
    box.replaceChildren();
    if (p.state !== 'failed') return;
    const e = p.error;
    const text = e?.status === 0 ? "Couldn't reach the server." : e?.detail || e?.title || 'Something went wrong.';
    box.append(el('p', { class: 'pending-error-text', attrs: { role: 'alert' } }, icon('alert', 14), el('span', { text: `Not sent: ${text}` })));
    const actions = el('div', { class: 'pending-actions' });
    if (!e || e.retryable || e.status === 409) {
      actions.append(el('button', { class: 'btn btn--small btn--primary pending-retry', attrs: { type: 'button' }, on: { click: () => attempt(p) } }, icon('retry', 14), 'Retry'));
    }
    actions.append(
      el('button', { class: 'btn btn--small btn--ghost', text: 'Edit', attrs: { type: 'button' }, on: { click: () => editPending(p) } }),
      el('button', { class: 'btn btn--small btn--ghost', text: 'Discard', attrs: { type: 'button' }, on: { click: () => dropPending(p) } }),
    );
    box.append(actions);
  }

  function editPending(p) {
    dropPending(p);
    if (cur?.id !== p.convId) return;
    setMode(p.internal ? 'note' : 'reply');
    input.value = input.value.trim() ? `${input.value}\n${p.text}` : p.text;
    autosize();
    input.focus();
  }

  return {
    open,
    close,
    applyConversation,
    fetchNewer,
    focusComposer,
    assignToMe,
    resolve,
    toggleHandled,
    toggleRead,
    openSnooze,
    refreshHeader: () => cur?.conv && applyConversation(cur.conv),
    get currentId() {
      return cur?.id ?? null;
    },
    get conversation() {
      return cur?.conv ?? null;
    },
    /** Sends not confirmed yet (sending or failed) exist somewhere (for the unload warning). */
    get hasUnsent() {
      return [...pending.values()].some((l) => l.length > 0);
    },
  };
}

const PLATFORM_ICON_OK = { webchat: 1, phone: 1, sms: 1, facebook: 1, facebook_messenger: 1, instagram: 1 };

function snoozeLabel(iso, short = false) {
  const d = toDate(iso);
  if (!d) return '';
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  const withinWeek = d.getTime() - today.getTime() < 6 * 86_400_000;
  const options = sameDay ? { hour: 'numeric', minute: '2-digit' }
    : short && withinWeek ? { weekday: 'short', hour: 'numeric' }
    : short ? { month: 'short', day: 'numeric' }
    : { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
  return new Intl.DateTimeFormat(undefined, options).format(d);
}
