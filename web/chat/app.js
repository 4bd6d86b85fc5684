// The customer chat page: history, streamed replies with live components, human agents' replies
// over server-sent events, and a draft that survives any failure.
import { fetchHistory, liveStreamUrl, streamChat } from './api.js';
import { renderComponent } from './components.js';
import { renderMarkdown } from './markdown.js';
import { getSessionId, getUserIdentifier, newSessionId, takeIdentityToken } from './session.js';

const $ = (id) => document.getElementById(id);
const log = $('chat-log');
const form = $('composer');
const input = $('message');
const sendButton = $('send-button');
const offlineBanner = $('offline-banner');
const statusLine = $('chat-status');
const statusText = $('chat-status-text');

// Replaced when the stored session turns out to be someone else's (see syncHistory).
let sessionId = getSessionId();
const identityToken = takeIdentityToken();
const userIdentifier = getUserIdentifier();

/** message_ids (and chunk ids) already on screen: history, live stream and POST overlap. */
const shown = new Set();
/**
 * What this page drew before the server gave it an id (the customer's own message, the streamed
 * reply, its components). A server copy arriving later (live stream, history refetch) is matched
 * to these by content instead of being drawn twice.
 */
let unconfirmed = [];
let streaming = false;
let handoff = null; // 'pending_human' | 'bot' | null (unknown)

// ---------- small DOM helpers ----------

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function icon(path) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', path);
  p.setAttribute('fill', 'none');
  p.setAttribute('stroke', 'currentColor');
  p.setAttribute('stroke-width', '2');
  p.setAttribute('stroke-linecap', 'round');
  p.setAttribute('stroke-linejoin', 'round');
  svg.append(p);
  return svg;
}
const ICON_ALERT = 'M12 8v5m0 3.5v.01M10.3 3.9 2.6 17.2A2 2 0 0 0 4.3 20h15.4a2 2 0 0 0 1.7-2.8L13.7 3.9a2 2 0 0 0-3.4 0Z';
const ICON_RETRY = 'M4 12a8 8 0 0 1 14-5.3L20 9M20 4v5h-5M20 12a8 8 0 0 1-14 5.3L4 15m0 5v-5h5';

/** An inline notice under a message: icon + text (a retry button, if any, goes after it). */
function notice(text, { error = false } = {}) {
  const p = el('p', error ? 'msg-note msg-note--error' : 'msg-note');
  p.append(icon(ICON_ALERT), el('span', '', text));
  return p;
}

function retryButton(label, onClick) {
  const button = el('button', 'retry-button');
  button.type = 'button';
  button.append(icon(ICON_RETRY), label);
  button.addEventListener('click', onClick);
  return button;
}

const normalise = (text) => String(text ?? '').replace(/\s+/g, ' ').trim();

// ---------- scrolling: follow new content only if the reader is already at the bottom ----------

function nearBottom() {
  return log.scrollHeight - log.scrollTop - log.clientHeight < 120;
}

function scrollToBottom() {
  log.scrollTo({ top: log.scrollHeight, behavior: 'instant' });
}

function withFollow(change) {
  const follow = nearBottom();
  const result = change();
  if (follow) scrollToBottom();
  return result;
}

// ---------- drawing messages ----------

function shell(kind, srLabel) {
  const article = el('article', `msg msg--${kind}`);
  const body = el('div', 'msg-body');
  if (kind === 'assistant') {
    const avatar = el('div', 'msg-avatar');
    avatar.setAttribute('aria-hidden', 'true');
    const img = el('img');
    img.src = '/assets/favicon.svg';
    img.alt = '';
    img.width = 32;
    img.height = 32;
    avatar.append(img);
    article.append(avatar);
  }
  if (srLabel) body.append(el('span', 'visually-hidden', srLabel));
  article.append(body);
  return { article, body };
}

function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const sameDay = date.toDateString() === new Date().toDateString();
  return new Intl.DateTimeFormat(undefined, sameDay
    ? { hour: 'numeric', minute: '2-digit' }
    : { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(date);
}

function drawUser(text) {
  const { article, body } = shell('user', 'You said:');
  const bubble = el('div', 'bubble', text); // plain text, never HTML
  body.append(bubble);
  log.append(article);
  return { article, body, bubble };
}

function drawAgent(message) {
  const name = normalise(message.sender_name) || 'Woodstock team';
  const { article, body } = shell('agent');
  const avatar = el('div', 'msg-avatar msg-avatar--agent', initials(name));
  avatar.setAttribute('aria-hidden', 'true');
  article.prepend(avatar);

  const sender = el('p', 'msg-sender');
  sender.append(el('span', 'msg-sender-name', name), el('span', 'agent-badge', 'Woodstock team'));
  const time = formatTime(message.created_at);
  if (time) {
    const t = el('time', '', time);
    t.dateTime = message.created_at;
    sender.append(t);
  }
  body.append(sender, el('div', 'bubble', String(message.content ?? '')));
  log.append(article);
}

function initials(name) {
  const letters = name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase());
  return letters.join('') || 'W';
}

/** Assistant text and components; joins the previous assistant message so tool rows and the
 *  reply that follows them read as one turn, as they do while streaming. */
function drawAssistant(text, components) {
  let body;
  const last = log.lastElementChild;
  if (last && last.matches('.msg--assistant:not(.is-live):not(#welcome)')) {
    body = last.querySelector('.msg-body');
  } else {
    const created = shell('assistant', 'Woodstock assistant:');
    log.append(created.article);
    body = created.body;
  }
  for (const component of components) {
    const node = renderComponent(component);
    if (node) body.append(node);
  }
  if (text.trim()) {
    const bubble = el('div', 'bubble');
    bubble.append(renderMarkdown(text));
    body.append(bubble);
  }
}

function systemLine(text, variant) {
  const line = el('p', `system-line${variant ? ` system-line--${variant}` : ''}`, text);
  withFollow(() => log.append(line));
  return line;
}

/** Removes the first unconfirmed item matching `test`; true if there was one. */
function claim(test) {
  const index = unconfirmed.findIndex(test);
  if (index === -1) return false;
  unconfirmed.splice(index, 1);
  return true;
}

/** Draws a message from the server (history or live), once. */
function showServerMessage(message) {
  if (!message || typeof message !== 'object') return;
  const id = typeof message.message_id === 'string' ? message.message_id : null;
  if (id && shown.has(id)) return;
  if (id) shown.add(id);

  const text = typeof message.content === 'string' ? message.content : '';
  let components = Array.isArray(message.components) ? message.components.filter(Boolean) : [];
  const who =
    message.sender_type === 'business_rep' ? 'agent'
    : message.role === 'user' || message.sender_type === 'customer' ? 'user'
    : message.role === 'tool' ? 'tool'
    : 'assistant';

  if (who === 'agent') {
    if (text.trim()) drawAgent(message);
    return;
  }
  if (who === 'user') {
    if (claim((p) => p.kind === 'user' && normalise(p.text) === normalise(text))) return;
    if (text.trim()) drawUser(text);
    return;
  }
  // Components this page already drew from the reply stream.
  components = components.filter((c) => !claim((p) => p.kind === 'component' && p.type === c.type));
  if (who === 'assistant') {
    const claimed = claim((p) => {
      if (p.kind !== 'assistant') return false;
      const mine = normalise(p.text());
      return mine === normalise(text) || (p.live && normalise(text).startsWith(mine));
    });
    if (claimed) return;
  }
  if (text.trim() || components.length) drawAssistant(who === 'tool' ? '' : text, components);
}

// ---------- history ----------

let syncing = null;
let syncAgain = false;
let loadError = null;

/** Fetches the session's messages and draws the ones not on screen yet. Calls made while one is
 *  running are folded into one more run, so nothing that arrived meanwhile is missed. */
function syncHistory() {
  if (syncing) {
    syncAgain = true;
    return syncing;
  }
  syncing = (async () => {
    do {
      syncAgain = false;
      try {
        const session = await fetchHistory({ sessionId, identityToken });
        loadError?.remove();
        loadError = null;
        if (session?.withheld) {
          // This browser's stored session belongs to a verified customer this tab cannot show
          // it to (a shared computer, or another customer signed in): start a session of our own
          // and show none of it.
          startNewSession();
        } else if (session) {
          // Who is answering now, without a system line: that is for changes seen live.
          if (handoff === null && session.handledBy) setHandoff(toHandoff(session.handledBy), { quiet: true });
          withFollow(() => session.messages.forEach(showServerMessage));
          live.ensureOpen(); // the session exists, so its live stream does too
        }
      } catch {
        showLoadError();
      }
    } while (syncAgain);
  })().finally(() => {
    syncing = null;
  });
  return syncing;
}

function showLoadError() {
  if (loadError) return;
  loadError = el('div', 'load-error');
  loadError.append(notice("We couldn't load your earlier messages.", { error: true }),
    retryButton('Try again', () => syncHistory()));
  withFollow(() => log.append(loadError));
}

function startNewSession() {
  sessionId = newSessionId();
  live.close();
}

// ---------- sending a turn ----------

function setStreaming(on) {
  streaming = on;
  sendButton.disabled = on;
  // Screen readers announce the finished reply once instead of every streamed fragment.
  log.setAttribute('aria-busy', String(on));
}

function startReply() {
  const { article, body } = shell('assistant', 'Woodstock assistant:');
  article.classList.add('is-live');
  const typing = el('div', 'typing');
  typing.append(el('span', 'typing-dot'), el('span', 'typing-dot'), el('span', 'typing-dot'),
    el('span', 'visually-hidden', 'The assistant is typing'));
  body.append(typing);
  withFollow(() => log.append(article));

  let bubble = null; // the text bubble being streamed into (a component starts a new one)
  let bubbleText = '';
  let fullText = '';
  let started = false;
  let frame = 0;
  let failed = null; // the server's in-band error message, if the turn failed mid-stream
  let handledBy = null; // 'bot' | 'human' from the final chunk
  const mine = { kind: 'assistant', live: true, text: () => fullText };
  unconfirmed.push(mine);

  // Re-render the current bubble at most once per frame, however fast deltas arrive.
  const paint = () => {
    frame = 0;
    if (bubble) withFollow(() => bubble.replaceChildren(renderMarkdown(bubbleText)));
  };
  const flush = () => {
    if (frame) cancelAnimationFrame(frame);
    paint();
  };
  const begin = () => {
    if (started) return;
    started = true;
    typing.remove();
  };
  const note = (text) => withFollow(() => body.append(notice(text)));

  return {
    chunk(chunk) {
      if (!chunk || typeof chunk !== 'object') return;
      if (typeof chunk.id === 'string') shown.add(chunk.id);
      if (chunk.error) {
        begin();
        failed = normalise(chunk.error.message) || 'Something went wrong with this reply.';
        return;
      }
      if (chunk.handled_by) handledBy = chunk.handled_by;
      const content = chunk.choices?.[0]?.delta?.content;
      if (typeof content === 'string' && content) {
        begin();
        if (!bubble) {
          bubble = el('div', 'bubble');
          bubbleText = '';
          withFollow(() => body.append(bubble));
        }
        bubbleText += content;
        fullText += content;
        if (!frame) frame = requestAnimationFrame(paint);
      }
      if (Array.isArray(chunk.components)) {
        for (const component of chunk.components) {
          const node = renderComponent(component);
          if (!node) continue;
          begin();
          flush();
          bubble = null;
          withFollow(() => body.append(node));
          unconfirmed.push({ kind: 'component', type: component.type });
        }
      }
    },
    /** Returns the in-band error, if any, so the caller can offer a retry. */
    finish({ complete }) {
      flush();
      typing.remove();
      mine.live = false;
      article.classList.remove('is-live');
      if (failed) {
        unconfirmed = unconfirmed.filter((p) => p !== mine);
        return { failed, body };
      }
      if (!complete) note('The connection dropped, so this reply may be incomplete.');
      else if (!started) note("Sorry, I didn't get a reply to that. Please try again.");
      if (handledBy) setHandoff(toHandoff(handledBy));
      return { failed: null, body };
    },
    discard() {
      if (frame) cancelAnimationFrame(frame);
      article.remove();
      unconfirmed = unconfirmed.filter((p) => p !== mine);
    },
  };
}

async function send(raw, { retried = false } = {}) {
  const content = String(raw ?? '').trim();
  if (!content || streaming) return;

  // A failed copy of the same text is superseded by this attempt.
  for (const failed of log.querySelectorAll('.msg--user.is-failed')) {
    if (normalise(failed.querySelector('.bubble')?.textContent) === normalise(content)) failed.remove();
  }

  const user = drawUser(content);
  scrollToBottom();
  const mine = { kind: 'user', text: content };
  unconfirmed.push(mine);
  if (input.value.trim() === content) {
    input.value = '';
    autosize();
  }

  setStreaming(true);
  const reply = startReply();
  let retryInNewSession = false;
  try {
    const { complete } = await streamChat({
      sessionId,
      content,
      identityToken,
      userIdentifier,
      onChunk: reply.chunk,
    });
    const outcome = reply.finish({ complete });
    live.ensureOpen(); // a brand-new session's stream exists from now on
    if (outcome.failed) showReplyFailed(outcome.body, content, outcome.failed);
    else if (!complete) syncHistory(); // fetch whatever the server did store
  } catch (error) {
    reply.discard();
    unconfirmed = unconfirmed.filter((p) => p !== mine);
    if (error?.code === 'identity_mismatch' && !retried) {
      // The stored session is another customer's: the same message, in a session of our own.
      user.article.remove();
      startNewSession();
      retryInNewSession = true;
    } else {
      showNotSent(user, content, error);
    }
  } finally {
    setStreaming(false);
  }
  if (retryInNewSession) await send(content, { retried: true });
}

/** Marks the customer's message as not sent, and keeps their words in the box. */
function showNotSent(user, content, error) {
  user.article.classList.add('is-failed');
  const retry = (label) => retryButton(label, () => {
    if (streaming) return;
    user.article.remove();
    send(content);
  });

  const parts = [];
  if (error?.kind === 'client') {
    // A 4xx says what is wrong (rate limit, too long, …): show it in the server's words.
    const fallback = error.status === 429
      ? "You're sending messages a little too fast. Please wait a moment and try again."
      : "This message couldn't be sent.";
    parts.push(notice(`Not sent: ${normalise(error.detail) || normalise(error.title) || fallback}`, { error: true }));
    if (error.status === 429 || error.status === 408) parts.push(retry('Try again'));
  } else {
    const button = retry('Not sent — tap to retry');
    button.setAttribute('aria-label', 'Not sent. Retry sending this message');
    parts.push(button);
  }
  withFollow(() => user.body.append(...parts));

  // Nothing the customer wrote is lost: back into the box unless they've started something new.
  if (!input.value.trim()) {
    input.value = content;
    autosize();
  }
}

/** The server accepted the message but couldn't finish the reply: say so, offer to try again. */
function showReplyFailed(body, content, message) {
  const retry = retryButton('Try again', () => {
    if (streaming) return;
    retry.remove();
    send(content);
  });
  withFollow(() => body.append(notice(message, { error: true }), retry));
  if (!input.value.trim()) {
    input.value = content;
    autosize();
  }
}

// ---------- live replies from our team (server-sent events) ----------

const live = (() => {
  let source = null;
  let timer = 0;
  let delay = 1000;

  function connect() {
    clearTimeout(timer);
    timer = 0;
    source?.close();
    source = new EventSource(liveStreamUrl(sessionId, identityToken));
    // Every (re)connect may have missed messages: fetch history and let the ids dedupe.
    source.onopen = () => {
      delay = 1000;
      syncHistory();
    };
    source.onmessage = (event) => handleLiveEvent(event.data);
    source.onerror = () => {
      // CONNECTING: the browser retries by itself. CLOSED: it gave up (an error status, e.g. a
      // session the server doesn't know yet), so retry ourselves with backoff.
      if (source.readyState === EventSource.CLOSED && !timer) {
        timer = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30_000);
      }
    };
  }

  return {
    ensureOpen() {
      if (!source || source.readyState === EventSource.CLOSED) connect();
    },
    /** Stops listening (the session changed); ensureOpen starts again on the current one. */
    close() {
      clearTimeout(timer);
      timer = 0;
      source?.close();
      source = null;
    },
  };
})();

function handleLiveEvent(data) {
  let event;
  try {
    event = JSON.parse(data);
  } catch {
    return;
  }
  if (event?.type === 'message') withFollow(() => showServerMessage(event.message));
  else if (event?.type === 'handoff') setHandoff(event.status);
}

const toHandoff = (handledBy) => (handledBy === 'human' ? 'pending_human' : 'bot');

function setHandoff(status, { quiet = false } = {}) {
  if ((status !== 'pending_human' && status !== 'bot') || status === handoff) return;
  const previous = handoff;
  handoff = status;
  updateStatus();
  if (quiet) return;
  if (status === 'pending_human') systemLine("You're connected with our support team", 'human');
  else if (previous === 'pending_human') systemLine('The assistant is back');
}

function updateStatus() {
  if (!navigator.onLine) {
    statusLine.dataset.state = 'offline';
    statusText.textContent = 'Offline';
  } else if (handoff === 'pending_human') {
    statusLine.dataset.state = 'human';
    statusText.textContent = 'Our team is here';
  } else {
    statusLine.dataset.state = 'bot';
    statusText.textContent = 'Online · replies in seconds';
  }
}

function updateOnline() {
  offlineBanner.hidden = navigator.onLine;
  updateStatus();
}

// ---------- composer ----------

function autosize() {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 152)}px`;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (streaming) return; // the draft stays in the box until the reply is done
  send(input.value);
  input.focus();
});

input.addEventListener('keydown', (event) => {
  // Enter sends, Shift+Enter is a new line; never while an IME is composing a character.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
    event.preventDefault();
    form.requestSubmit();
  }
});

input.addEventListener('input', autosize);

/** What a component's action button asks, in the customer's words (it's sent as their message,
 *  so the assistant answers it like anything they type). */
function actionMessage(button) {
  const orderId = button.getAttribute('data-order-id');
  const sku = button.getAttribute('data-sku');
  const name = normalise(button.closest('.wo-product')?.querySelector('.wo-product__name')?.textContent);
  const product = name ? `the ${name}${sku ? ` (SKU ${sku})` : ''}` : sku ? `item ${sku}` : null;
  switch (button.getAttribute('data-action')) {
    case 'order-details':
      return orderId ? `Show me the details of order #${orderId}` : null;
    case 'ask-product':
      return product ? `Tell me more about ${product}` : null;
    case 'find-in-store':
      return product ? `Which showroom can I see ${product} in?` : null;
    default:
      return null;
  }
}

// Quick replies (data-message) and component actions (data-action) send a message.
log.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('[data-message], [data-action]') : null;
  if (!target || !log.contains(target)) return;
  const message = target.getAttribute('data-message') ?? actionMessage(target);
  if (!message) return;
  event.preventDefault();
  if (!streaming) send(message);
});

window.addEventListener('online', () => {
  updateOnline();
  live.ensureOpen();
  syncHistory();
});
window.addEventListener('offline', updateOnline);

// ---------- start ----------

updateOnline();
autosize();
// History first; it opens the live stream once the server knows this session (a new visitor's
// session doesn't exist until the first message, and its stream would only answer 404).
syncHistory().then(scrollToBottom);
// Focus the box on desktops only: on phones it would throw the keyboard over the welcome.
if (matchMedia('(hover: hover) and (pointer: fine)').matches) input.focus({ preventScroll: true });
