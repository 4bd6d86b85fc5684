// Column 1: the conversation list. Filters, search and sort map to GET /api/conversations; pages
// come with a cursor (infinite scroll plus a "Load more" button); live changes update rows in
// place and move them to where the sort puts them; counts come from meta.counts.
import { api } from './api.js';
import {
  $, PRIORITY_LABELS, PRIORITY_RANK, STATUS_LABELS, debounce, displayName, el, fillAvatar, icon, initials, listTime, platformIcon, platformLabel, topicLabel,
} from './dom.js';

const PAGE = 50;

export function createList(ctx) {
  const listEl = $('conv-list');
  const scrollEl = $('list-scroll');
  const emptyEl = $('list-empty');
  const moreButton = $('load-more');
  const loadingEl = $('list-loading');
  const searchInput = $('search-input');

  const filters = { status: '', assignee: '', unread: false, platform: '', priority: '', tag: '', q: '', sort: 'last_message_at' };
  /** id → {conv, el} */
  const rows = new Map();
  let nextCursor = null;
  let loading = false;
  let generation = 0; // bumps on every reload: late answers for old filters are dropped
  let counts = null;
  const knownTags = new Set(['delivery', 'vip', 'mattress', 'financing', 'follow-up', 'damaged', 'return', 'spanish']);

  // ---------- requests ----------

  function baseParams() {
    return {
      platform: filters.platform,
      priority: filters.priority,
      tag: filters.tag.trim().toLowerCase(),
      q: filters.q.trim(),
    };
  }
  function listParams() {
    return {
      ...baseParams(),
      status: filters.status,
      assigned_agent_id: filters.assignee === 'mine' ? 'me' : filters.assignee === 'unassigned' ? 'unassigned' : '',
      unread: filters.unread ? 'true' : '',
      sort: filters.sort,
      limit: PAGE,
    };
  }

  async function reload({ keepScroll = false } = {}) {
    const gen = ++generation;
    loading = true;
    nextCursor = null;
    setLoading(true);
    listEl.setAttribute('aria-busy', 'true');
    try {
      const page = await api.list(listParams());
      if (gen !== generation) return;
      const top = scrollEl.scrollTop;
      rows.clear();
      listEl.replaceChildren();
      appendPage(page.data);
      nextCursor = page.next_cursor;
      setStatusCounts(page.meta.counts);
      if (keepScroll) scrollEl.scrollTop = top;
      else scrollEl.scrollTop = 0;
      refreshQuickCounts(page.meta.counts);
    } catch (error) {
      if (gen !== generation) return;
      showEmpty(`Couldn't load conversations: ${error.message}`);
    } finally {
      if (gen === generation) {
        loading = false;
        setLoading(false);
        listEl.setAttribute('aria-busy', 'false');
        updateFooter();
        maybeLoadMore();
      }
    }
  }

  async function loadMore() {
    if (loading || !nextCursor) return;
    const gen = generation;
    loading = true;
    setLoading(true);
    try {
      const page = await api.list({ ...listParams(), cursor: nextCursor });
      if (gen !== generation) return;
      appendPage(page.data);
      nextCursor = page.next_cursor;
    } catch (error) {
      if (gen === generation) ctx.toast({ kind: 'error', title: "Couldn't load more conversations", text: error.message });
    } finally {
      if (gen === generation) {
        loading = false;
        setLoading(false);
        updateFooter();
      }
    }
  }

  /** Counts that don't depend on the quick filters: mine, unassigned, unread (debounced). */
  const refreshQuickCounts = debounce(async (fromList) => {
    const gen = generation;
    try {
      const jobs = [];
      // The list's own counts already cover "everyone" when no quick filter narrows it.
      const needBase = !fromList || filters.assignee || filters.unread;
      jobs.push(needBase ? api.list({ ...baseParams(), limit: 1 }).then((r) => r.meta.counts) : Promise.resolve(fromList));
      jobs.push(ctx.me()?.agent_id ? api.list({ ...baseParams(), assigned_agent_id: 'me', limit: 1 }).then((r) => r.meta.counts.total) : Promise.resolve(null));
      const [base, mine] = await Promise.all(jobs);
      if (gen !== generation && fromList) return;
      setQuick('unassigned', base.unassigned);
      setQuick('unread', base.unread);
      setQuick('mine', mine);
    } catch {
      // counts are a nicety; the list itself reports errors
    }
  }, 60);

  /** After live changes: the list's counts and the quick counts, debounced together. */
  const refreshCounts = debounce(async () => {
    const gen = generation;
    try {
      const r = await api.list({ ...listParams(), limit: 1 });
      if (gen !== generation) return;
      setStatusCounts(r.meta.counts);
      refreshQuickCounts(filters.assignee || filters.unread ? null : r.meta.counts);
    } catch {
      // try again on the next change
    }
  }, 400);

  function setStatusCounts(c) {
    counts = c;
    for (const node of document.querySelectorAll('#status-tabs [data-count]')) {
      const v = c[node.dataset.count];
      node.textContent = typeof v === 'number' ? compact(v) : '–';
    }
    const pending = c.pending_human ?? 0;
    document.querySelector('.status-tab--handoff')?.classList.toggle('has-items', pending > 0);
    ctx.onCounts?.(c);
  }
  function setQuick(name, value) {
    const node = document.querySelector(`.quick-filters [data-count="${name}"]`);
    if (!node) return;
    node.textContent = typeof value === 'number' ? compact(value) : '–';
    if (name === 'mine') node.closest('.qf').hidden = value === null;
  }

  // ---------- rows ----------

  function appendPage(data) {
    const fragment = document.createDocumentFragment();
    for (const conv of data) {
      // A conversation already shown (moved here live) keeps its place and newer state.
      if (rows.has(conv.conversation_id)) continue;
      const row = renderRow(conv);
      rows.set(conv.conversation_id, { conv, el: row });
      fragment.append(row);
      for (const t of conv.tags ?? []) addKnownTag(t);
    }
    listEl.append(fragment);
    emptyEl.hidden = rows.size > 0;
    if (rows.size === 0) showEmpty(emptyText());
  }

  function emptyText() {
    if (filters.q) return `No conversations match “${filters.q}”.`;
    if (filters.status || filters.assignee || filters.unread || filters.platform || filters.priority || filters.tag) return 'No conversations match these filters.';
    return 'No conversations yet.';
  }
  function showEmpty(text) {
    emptyEl.textContent = text;
    emptyEl.hidden = false;
  }

  /** Needs a person now: handed over by the assistant, or taken over and the customer spoke last. */
  const isHandoff = (c) => c.inbox_status === 'pending_human' || (c.handled_by === 'human' && (c.inbox_status === 'open' || c.inbox_status === 'new') && c.last_message?.sender_type === 'customer');

  function renderRow(conv) {
    const li = el('li', { class: 'conv', dataset: { id: conv.conversation_id } });
    const button = el('button', { class: 'conv-button', attrs: { type: 'button' }, on: { click: () => ctx.onSelect(conv.conversation_id) } });
    li.append(button);
    fillRow(li, conv);
    return li;
  }

  function fillRow(li, conv) {
    const button = li.firstElementChild;
    const name = displayName(conv);
    const unread = conv.unread_count > 0;
    const handoff = isHandoff(conv);
    li.classList.toggle('is-unread', unread);
    li.classList.toggle('is-handoff', handoff);
    li.classList.toggle('is-resolved', conv.inbox_status === 'resolved');
    li.classList.toggle('is-current', conv.conversation_id === ctx.currentId());
    li.dataset.status = conv.inbox_status;
    li.dataset.priority = conv.priority_level;
    if (conv.conversation_id === ctx.currentId()) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');

    const avatar = el('span', { class: 'conv-avatar', attrs: { 'aria-hidden': 'true' } }, fillAvatar(el('span', { class: 'conv-initials' }), name, 18));
    const platform = el('span', { class: `conv-platform conv-platform--${platformIcon(conv.platform_type)}`, attrs: { title: platformLabel(conv.platform_type) } }, icon(platformIcon(conv.platform_type), 11));
    avatar.append(platform);

    const top = el('span', { class: 'conv-top' },
      el('span', { class: 'conv-name', text: name }),
      el('time', { class: 'conv-time', text: listTime(conv.last_message_at), attrs: { datetime: conv.last_message_at } }));

    const previewText = previewOf(conv);
    const middle = el('span', { class: 'conv-middle' },
      el('span', { class: 'conv-preview', text: previewText }),
      unread ? el('span', { class: 'unread-badge', text: conv.unread_count > 99 ? '99+' : String(conv.unread_count), attrs: { 'aria-hidden': 'true' } }) : null);

    const chips = el('span', { class: 'conv-chips' });
    if (handoff) chips.append(el('span', { class: 'chip chip--handoff' }, icon('handoff', 12), conv.inbox_status === 'pending_human' ? 'Needs a person' : 'Awaiting agent'));
    else if (conv.inbox_status !== 'open') chips.append(el('span', { class: `chip chip--status chip--${conv.inbox_status}`, text: STATUS_LABELS[conv.inbox_status] ?? conv.inbox_status }));
    if (conv.priority_level === 'urgent' || conv.priority_level === 'high') chips.append(el('span', { class: `chip chip--priority-${conv.priority_level}`, text: PRIORITY_LABELS[conv.priority_level] }));
    if (conv.sentiment?.label === 'negative') chips.append(el('span', { class: 'chip chip--negative', text: 'Upset' }));
    const topic = conv.topics?.[0];
    if (topic) chips.append(el('span', { class: 'chip chip--topic', text: topicLabel(topic) }));
    else if (conv.tags?.[0]) chips.append(el('span', { class: 'chip chip--tag', text: `#${conv.tags[0]}` }));
    const agent = conv.assigned_agent_id ? ctx.agentName(conv.assigned_agent_id) : null;
    const assignee = agent
      ? el('span', { class: 'conv-assignee', attrs: { title: `Assigned to ${agent}` } }, el('span', { class: 'avatar avatar--xs', text: initials(agent) }))
      : null;

    const bottom = el('span', { class: 'conv-bottom' }, chips, assignee);

    // One readable sentence for screen readers; the visual parts are hidden from them.
    const label = [
      name,
      unread ? `${conv.unread_count} unread` : null,
      handoff ? 'needs a person' : STATUS_LABELS[conv.inbox_status],
      conv.priority_level !== 'normal' ? `${PRIORITY_LABELS[conv.priority_level]} priority` : null,
      platformLabel(conv.platform_type),
      agent ? `assigned to ${agent}` : 'unassigned',
      listTime(conv.last_message_at),
      previewText,
    ].filter(Boolean).join(', ');
    button.setAttribute('aria-label', label);
    const body = el('span', { class: 'conv-body', attrs: { 'aria-hidden': 'true' } }, top, middle, bottom);
    button.replaceChildren(avatar, body);
  }

  function previewOf(conv) {
    const m = conv.last_message;
    if (!m) return 'No messages yet';
    const text = m.preview || (m.role === 'tool' ? 'Looked something up' : '(empty message)');
    if (m.sender_type === 'business_rep') return `Agent: ${text}`;
    if (m.sender_type === 'ai_assistant') return `Assistant: ${text}`;
    return text;
  }

  // ---------- live upserts ----------

  function matches(c) {
    if (!c.is_active) return false; // the list shows active conversations (the API's default)
    if (filters.status && c.inbox_status !== filters.status) return false;
    if (filters.assignee === 'mine' && c.assigned_agent_id !== ctx.me()?.agent_id) return false;
    if (filters.assignee === 'unassigned' && c.assigned_agent_id) return false;
    if (filters.unread && !(c.unread_count > 0)) return false;
    if (filters.platform && !filters.platform.split(',').includes(c.platform_type)) return false;
    if (filters.priority && c.priority_level !== filters.priority) return false;
    if (filters.tag && !(c.tags ?? []).includes(filters.tag.trim().toLowerCase())) return false;
    return true;
  }

  function compare(a, b) {
    const t = (iso) => new Date(iso ?? 0).getTime() || 0;
    switch (filters.sort) {
      case 'priority':
        return (PRIORITY_RANK[a.priority_level] ?? 2) - (PRIORITY_RANK[b.priority_level] ?? 2) || t(b.last_message_at) - t(a.last_message_at);
      case 'waiting_since':
        return (a.waiting_since ? t(a.waiting_since) : Infinity) - (b.waiting_since ? t(b.waiting_since) : Infinity) || 0;
      case 'created_at':
        return t(b.conversation_started_at) - t(a.conversation_started_at);
      default:
        return t(b.last_message_at) - t(a.last_message_at);
    }
  }

  /**
   * A fresh copy of a conversation (from an action or a live event): updated in place, moved to
   * where the sort puts it, added if it now belongs here, removed if it no longer does (the open
   * conversation stays until you leave it).
   */
  function upsert(conv, { flash = false } = {}) {
    const id = conv.conversation_id;
    const existing = rows.get(id);
    for (const t of conv.tags ?? []) addKnownTag(t);
    if (!matches(conv) && id !== ctx.currentId()) {
      if (existing) {
        existing.el.remove();
        rows.delete(id);
        if (rows.size === 0) showEmpty(emptyText());
      }
      return;
    }
    // With a search on, only conversations already found are updated (the server decides matches).
    if (!existing && filters.q) return;
    const row = existing?.el ?? renderRow(conv);
    if (existing) fillRow(row, conv);
    rows.set(id, { conv, el: row });
    // Where does it go? Before the first row that sorts after it.
    let before = null;
    for (const child of listEl.children) {
      if (child === row) continue;
      const other = rows.get(child.dataset.id)?.conv;
      if (other && compare(conv, other) < 0) {
        before = child;
        break;
      }
    }
    if (!before && nextCursor && !existing) {
      // It sorts after everything loaded so far: the next page will bring it.
      rows.delete(id);
      return;
    }
    if (before) {
      if (row.nextElementSibling !== before) listEl.insertBefore(row, before);
    } else if (row !== listEl.lastElementChild) {
      listEl.append(row);
    }
    emptyEl.hidden = true;
    if (flash) {
      row.classList.remove('is-flash');
      void row.offsetWidth;
      row.classList.add('is-flash');
    }
  }

  function get(id) {
    return rows.get(id)?.conv ?? null;
  }

  function markCurrent() {
    for (const [id, { el: row }] of rows) {
      const current = id === ctx.currentId();
      row.classList.toggle('is-current', current);
      const button = row.firstElementChild;
      if (current) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
  }

  function scrollIntoView(id) {
    rows.get(id)?.el.scrollIntoView({ block: 'nearest' });
  }

  /** The id `delta` rows away from the open one (j/k). */
  function neighbour(delta) {
    const items = [...listEl.children];
    if (items.length === 0) return null;
    const index = items.findIndex((li) => li.dataset.id === ctx.currentId());
    const next = index === -1 ? (delta > 0 ? 0 : items.length - 1) : index + delta;
    if (next >= items.length - 3) loadMore();
    return items[Math.max(0, Math.min(items.length - 1, next))]?.dataset.id ?? null;
  }

  function addKnownTag(tag) {
    if (!tag || knownTags.has(tag)) return;
    knownTags.add(tag);
    renderTagOptions();
  }
  function renderTagOptions() {
    $('tag-options').replaceChildren(...[...knownTags].sort().map((t) => el('option', { attrs: { value: t } })));
  }

  // ---------- footer: loading / load more ----------

  function setLoading(on) {
    loadingEl.hidden = !on;
    if (on) moreButton.hidden = true;
  }
  function updateFooter() {
    moreButton.hidden = loading || !nextCursor;
  }
  function maybeLoadMore() {
    // Fill a tall screen without waiting for a scroll.
    if (nextCursor && !loading && scrollEl.scrollHeight <= scrollEl.clientHeight + 200) loadMore();
  }
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) loadMore();
  }, { root: scrollEl, rootMargin: '600px 0px' });
  observer.observe($('list-more'));
  moreButton.addEventListener('click', () => loadMore());

  // ---------- filter controls ----------

  const tabs = [...document.querySelectorAll('#status-tabs [role="tab"]')];
  function selectStatus(status) {
    filters.status = status;
    for (const tab of tabs) {
      const on = tab.dataset.status === status;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
    }
    reload();
  }
  tabs.forEach((tab, i) => {
    tab.tabIndex = tab.getAttribute('aria-selected') === 'true' ? 0 : -1;
    tab.addEventListener('click', () => selectStatus(tab.dataset.status));
    tab.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (!step) return;
      e.preventDefault();
      const next = tabs[(i + step + tabs.length) % tabs.length];
      next.focus();
      selectStatus(next.dataset.status);
    });
  });

  for (const button of document.querySelectorAll('.quick-filters [data-filter]')) {
    button.addEventListener('click', () => {
      const f = button.dataset.filter;
      if (f === 'unread') filters.unread = !filters.unread;
      else filters.assignee = filters.assignee === f ? '' : f;
      syncQuickButtons();
      reload();
    });
  }
  function syncQuickButtons() {
    $('qf-mine').setAttribute('aria-pressed', String(filters.assignee === 'mine'));
    $('qf-unassigned').setAttribute('aria-pressed', String(filters.assignee === 'unassigned'));
    $('qf-unread').setAttribute('aria-pressed', String(filters.unread));
  }

  const toggle = $('filters-toggle');
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    $('filters-panel').hidden = !open;
  });
  const platformSelect = $('filter-platform');
  const prioritySelect = $('filter-priority');
  const tagInput = $('filter-tag');
  const sortSelect = $('filter-sort');
  const onFilterChange = () => {
    filters.platform = platformSelect.value;
    filters.priority = prioritySelect.value;
    filters.tag = tagInput.value.trim().toLowerCase();
    filters.sort = sortSelect.value;
    const n = [filters.platform, filters.priority, filters.tag].filter(Boolean).length + (filters.sort !== 'last_message_at' ? 1 : 0);
    $('filters-badge').hidden = n === 0;
    $('filters-badge').textContent = String(n);
    reload();
  };
  platformSelect.addEventListener('change', onFilterChange);
  prioritySelect.addEventListener('change', onFilterChange);
  sortSelect.addEventListener('change', onFilterChange);
  tagInput.addEventListener('change', onFilterChange);
  tagInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      onFilterChange();
    }
  });
  $('filters-clear').addEventListener('click', () => {
    platformSelect.value = '';
    prioritySelect.value = '';
    tagInput.value = '';
    sortSelect.value = 'last_message_at';
    onFilterChange();
  });

  const onSearch = debounce(() => {
    const q = searchInput.value.trim();
    if (q === filters.q) return;
    filters.q = q;
    reload();
  }, 250);
  searchInput.addEventListener('input', onSearch);
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    onSearch.cancel();
    filters.q = searchInput.value.trim();
    reload();
  });
  searchInput.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && searchInput.value) {
      e.stopPropagation();
      searchInput.value = '';
      onSearch.cancel();
      filters.q = '';
      reload();
    }
  });

  // Relative times ("2:14 PM" → "Yesterday") stay true on a page left open.
  setInterval(() => {
    for (const { conv, el: row } of rows.values()) {
      const t = row.querySelector('.conv-time');
      if (t) t.textContent = listTime(conv.last_message_at);
    }
  }, 60_000);

  renderTagOptions();

  return {
    reload,
    loadMore,
    upsert,
    get,
    markCurrent,
    scrollIntoView,
    neighbour,
    refreshCounts,
    rerender: () => {
      for (const { conv, el: row } of rows.values()) fillRow(row, conv);
    },
    get counts() {
      return counts;
    },
    get filters() {
      return { ...filters };
    },
    focusSearch() {
      searchInput.focus();
      searchInput.select();
    },
    get size() {
      return rows.size;
    },
  };
}

function compact(n) {
  return n >= 10_000 ? `${Math.round(n / 1000)}k` : n.toLocaleString('en-US');
}
