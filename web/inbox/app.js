// The agent inbox: sign in with an API key, then three columns (list, conversation, customer)
// kept live over the /ws/inbox WebSocket. Plain ES modules, no build step.
import { ApiError, api, credentials } from './api.js';
import { createContext } from './context.js';
import { $, debounce, displayName, initials, toast } from './dom.js';
import { createList } from './list.js';
import { createLive } from './live.js';
import { createThread } from './thread.js';

const state = {
  me: null,
  agents: [],
  agentsById: new Map(),
};

// ---------- sign in ----------

function showSignin(message) {
  $('app').hidden = true;
  $('signin').hidden = false;
  const error = $('signin-error');
  error.hidden = !message;
  error.textContent = message ?? '';
  $('signin-key').focus();
}

$('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = $('signin-key').value.trim();
  const error = $('signin-error');
  const nameRow = $('signin-name-row');
  if (!key) {
    error.textContent = 'Enter your API key.';
    error.hidden = false;
    return;
  }
  const submit = $('signin-submit');
  submit.disabled = true;
  submit.textContent = 'Signing in…';
  try {
    const me = await api.me(key);
    // A key that doesn't belong to an agent: ask for the name customers will see on replies.
    if (!me.agent_name && nameRow.hidden) {
      nameRow.hidden = false;
      error.hidden = true;
      $('signin-name').focus();
      return;
    }
    credentials.key = key;
    if (!me.agent_name) credentials.name = $('signin-name').value.trim() || 'Woodstock team';
    $('signin-key').value = '';
    await start(me);
  } catch (e) {
    error.textContent = e instanceof ApiError && e.status === 401 ? 'That key was not accepted. Check it and try again.' : `Couldn't sign in: ${e.message}`;
    error.hidden = false;
  } finally {
    submit.disabled = false;
    submit.textContent = 'Sign in';
  }
});

let leaving = false;
function signOut(message) {
  leaving = true;
  live?.stop();
  credentials.key = null;
  credentials.name = null;
  history.replaceState(null, '', location.pathname);
  if (message) sessionStorage.setItem('woodstock-inbox-signout', message);
  location.reload();
}

// ---------- the app ----------

let live = null;
let list = null;
let thread = null;
let context = null;
let started = false;

const ctx = {
  me: () => state.me,
  agents: () => state.agents,
  agentName: (id) => state.agentsById.get(id)?.name ?? 'Another agent',
  replyName: () => state.me?.agent_name ?? credentials.name ?? null,
  currentId: () => thread?.currentId ?? null,
  toast,
  onSelect: (id) => select(id),
  onConversation: (conv, opts) => onConversation(conv, opts),
  refreshConversation: (id) => scheduleRefresh(id),
  focusList: () => document.querySelector('.conv.is-current .conv-button')?.focus() ?? document.querySelector('.conv-button')?.focus(),
  onCounts: (counts) => {
    document.title = counts.unread > 0 ? `(${counts.unread}) Inbox · Woodstock Outlet` : 'Inbox · Woodstock Outlet';
  },
};

async function start(me) {
  if (started) return;
  started = true;
  state.me = me;
  $('signin').hidden = true;
  $('app').hidden = false;
  const who = me.agent_name ?? credentials.name ?? me.name;
  $('whoami-name').textContent = who;
  $('whoami-avatar').textContent = initials(who);
  $('whoami').title = me.agent_name ? `Signed in as ${me.agent_name}` : `Signed in with the key “${me.name}”; replies show as ${who}`;
  $('signout-button').addEventListener('click', () => signOut());

  try {
    const agents = await api.agents();
    state.agents = agents.data;
    state.agentsById = new Map(agents.data.map((a) => [a.agent_id, a]));
  } catch {
    // Assigning to others needs the list; everything else works without it.
  }

  list = createList(ctx);
  thread = createThread(ctx);
  context = createContext(ctx);

  // Live first: once subscribed (we know the event position), load the list, so nothing that
  // happens in between is missed. If the socket is slow, load anyway and resync when it's up.
  let listLoaded = false;
  let subscribed = false;
  let firstSync;
  const waitForLive = new Promise((resolve) => (firstSync = resolve));
  live = createLive({
    key: () => credentials.key,
    onEvent,
    onStatus: setLiveStatus,
    onResync: (reason) => {
      subscribed = true;
      firstSync();
      if (reason === 'reset' || listLoaded) resync();
    },
    onAuthFailed: async () => {
      try {
        await api.me();
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) signOut('Your API key is no longer valid. Sign in again.');
      }
    },
  });
  live.start();
  await Promise.race([waitForLive, new Promise((r) => setTimeout(r, 1500))]);
  await list.reload();
  listLoaded = true;
  void subscribed;
  openFromHash();
  window.__inbox = { live, list, thread, context, state }; // for tests and debugging
}

/** After a reset (or a socket that came up late): refetch what's on screen. */
function resync() {
  list.reload({ keepScroll: true });
  const id = thread.currentId;
  if (id) {
    scheduleRefresh(id);
    thread.fetchNewer();
    context.reloadSoon();
  }
}

function setLiveStatus(s) {
  const node = $('live-status');
  node.dataset.state = s;
  $('live-status-text').textContent = s === 'live' ? 'Live' : s === 'connecting' ? 'Connecting…' : s === 'offline' ? 'Offline · will reconnect' : 'Reconnecting…';
}

// ---------- selection ----------

function select(id, { focusList = false } = {}) {
  if (!id) return;
  if (location.hash !== `#/c/${id}`) history.replaceState(null, '', `#/c/${id}`);
  openConversation(id);
  if (focusList) list.scrollIntoView(id);
}

function openConversation(id) {
  if (thread.currentId === id) return;
  const known = list.get(id);
  thread.open(id, known);
  context.load(id, known);
  list.markCurrent();
  list.scrollIntoView(id);
  document.body.classList.add('has-thread');
}

function openFromHash() {
  if (!thread) return;
  const m = /^#\/c\/([0-9a-f-]{36})$/i.exec(location.hash);
  if (m) openConversation(m[1]);
}
window.addEventListener('hashchange', openFromHash);

// ---------- conversation updates ----------

// The newest version of each conversation applied so far: a refresh that was already in flight
// when an action's answer arrived must not paint the older state back over it.
const appliedVersion = new Map();
function onConversation(conv, { flash = false } = {}) {
  if (!conv?.conversation_id) return;
  const version = Date.parse(conv.updated_at ?? '') || 0;
  if (version < (appliedVersion.get(conv.conversation_id) ?? 0)) return;
  appliedVersion.set(conv.conversation_id, version);
  list.upsert(conv, { flash });
  thread.applyConversation(conv);
  context.applyConversation(conv);
  if (conv.conversation_id === thread.currentId) list.markCurrent();
}

/** Per conversation: one GET for a burst of events. */
const refreshTimers = new Map();
function scheduleRefresh(id, { flash = false } = {}) {
  const entry = refreshTimers.get(id) ?? { timer: 0, flash: false };
  entry.flash ||= flash;
  clearTimeout(entry.timer);
  entry.timer = setTimeout(async () => {
    refreshTimers.delete(id);
    try {
      onConversation(await api.conversation(id), { flash: entry.flash });
    } catch {
      // gone or unreachable: the next event or resync tries again
    }
  }, 120);
  refreshTimers.set(id, entry);
}

function onEvent(frame) {
  const id = frame.conversation_id;
  const type = frame.event_type;
  if (!id) return;
  const data = frame.data ?? {};
  const fromCustomer = type === 'message.created' && (data.message?.sender_type === 'customer' || data.message?.role === 'user');
  scheduleRefresh(id, { flash: fromCustomer || type === 'conversation.handoff_requested' });
  if (type === 'message.created' && id === thread.currentId) thread.fetchNewer();
  if (id === thread.currentId && (type === 'conversation.enriched' || type === 'conversation.handoff_requested' || type === 'conversation.updated' || type === 'message.created')) context.reloadSoon();
  if (type === 'conversation.handoff_requested') announceHandoff(id, data);
  list.refreshCounts();
}

function announceHandoff(id, data) {
  const known = list.get(id);
  const name = data.customer?.name || (known ? displayName(known) : 'A customer');
  toast({
    kind: 'handoff',
    title: `${name} needs a person`,
    text: [data.reason, data.priority && data.priority !== 'normal' ? `${data.priority} priority` : null].filter(Boolean).join(' · '),
    action: id === thread.currentId ? undefined : { label: 'Open', onClick: () => select(id, { focusList: true }) },
  });
}

// ---------- keyboard ----------

function typingIn(target) {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

document.addEventListener('keydown', (e) => {
  if (!started || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  if (document.querySelector('dialog[open]')) return;
  if (e.key === 'Escape') {
    if (typingIn(e.target)) {
      e.target.blur();
      ctx.focusList();
    }
    document.querySelector('.columns')?.classList.remove('context-open');
    return;
  }
  if (typingIn(e.target)) return;
  if (e.target instanceof HTMLElement && e.target.closest('[role="menu"]')) return;
  const act = (fn) => {
    e.preventDefault();
    fn();
  };
  switch (e.key) {
    case 'j':
    case 'ArrowDown':
      if (e.key === 'ArrowDown' && !(e.target instanceof HTMLElement && e.target.classList.contains('conv-button'))) return;
      return act(() => step(1));
    case 'k':
    case 'ArrowUp':
      if (e.key === 'ArrowUp' && !(e.target instanceof HTMLElement && e.target.classList.contains('conv-button'))) return;
      return act(() => step(-1));
    case 'r':
      return act(() => thread.focusComposer('reply'));
    case 'n':
      return act(() => thread.focusComposer('note'));
    case 'e':
      return act(() => thread.resolve());
    case 'a':
      return act(() => thread.assignToMe());
    case 'u':
      return act(() => thread.toggleRead());
    case 't':
      return act(() => thread.toggleHandled());
    case '/':
      return act(() => list.focusSearch());
    case '?':
      return act(openHelp);
    default:
  }
});

function step(delta) {
  const id = list.neighbour(delta);
  if (!id) return;
  select(id, { focusList: true });
  // Keep keyboard focus on the list row, so arrows keep working and screen readers follow.
  requestAnimationFrame(() => document.querySelector(`.conv[data-id="${id}"] .conv-button`)?.focus({ preventScroll: true }));
}

function openHelp() {
  $('help-dialog').showModal();
  $('help-close').focus();
}
$('help-button').addEventListener('click', openHelp);
$('help-close').addEventListener('click', () => $('help-dialog').close());
for (const dialog of document.querySelectorAll('dialog')) {
  // A click on the backdrop closes a dialog.
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) dialog.close();
  });
}

$('context-toggle').addEventListener('click', () => {
  const columns = document.querySelector('.columns');
  const open = !columns.classList.contains('context-open');
  columns.classList.toggle('context-open', open);
  $('context-toggle').setAttribute('aria-expanded', String(open));
});

window.addEventListener('inbox:unauthorized', debounce(() => {
  if (started) signOut('Your API key is no longer valid. Sign in again.');
}, 50));

window.addEventListener('beforeunload', (e) => {
  if (!leaving && thread?.hasUnsent) {
    e.preventDefault();
    e.returnValue = '';
  }
});

// ---------- boot ----------

(async function boot() {
  const message = sessionStorage.getItem('woodstock-inbox-signout');
  sessionStorage.removeItem('woodstock-inbox-signout');
  const key = credentials.key;
  if (!key) return showSignin(message);
  try {
    await start(await api.me(key));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      credentials.key = null;
      showSignin('Your API key is no longer valid. Sign in again.');
    } else {
      showSignin(`Couldn't reach the inbox: ${e.message}`);
    }
  }
})();
