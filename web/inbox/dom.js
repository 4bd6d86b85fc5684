// Small DOM helpers, labels and formatting shared by the inbox modules. Text always goes in as
// text (textContent); the only HTML this page inserts is the server's sanitised output, through
// insertSafeHtml below.

export const $ = (id) => document.getElementById(id);

/**
 * el('p', {class: 'x', text: 'hi', attrs: {title: 't'}, on: {click: fn}}, child, …)
 * @returns {HTMLElement}
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined && props.text !== null) node.textContent = String(props.text);
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  if (props.dataset) for (const [k, v] of Object.entries(props.dataset)) if (v !== undefined && v !== null) node.dataset[k] = String(v);
  if (props.on) for (const [k, fn] of Object.entries(props.on)) node.addEventListener(k, fn);
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';
export const ICONS = {
  webchat: 'M5 5h14a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2h-7l-4.5 3.5V17H5a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2Z',
  phone: 'M6.6 3.5h2.6l1.4 4-2 1.3a11 11 0 0 0 6.6 6.6l1.3-2 4 1.4v2.6a2 2 0 0 1-2.2 2A16.5 16.5 0 0 1 4.6 5.7a2 2 0 0 1 2-2.2Z',
  sms: 'M4 5h16v11H9l-5 4zM8 10.5h.01M12 10.5h.01M16 10.5h.01',
  facebook: 'M14 8h2.5V4.5H14a4 4 0 0 0-4 4V11H7.5v3.5H10V21h3.5v-6.5H16l.5-3.5h-3V8.6c0-.4.2-.6.5-.6Z',
  facebook_messenger: 'M12 3.5c-4.9 0-8.5 3.5-8.5 8 0 2.4 1 4.5 2.7 6v3l2.8-1.5c.9.3 1.9.4 3 .4 4.9 0 8.5-3.5 8.5-8s-3.6-7.9-8.5-7.9ZM7.5 14l3-3.3 2 2 3-3.2',
  instagram: 'M7.5 3.5h9a4 4 0 0 1 4 4v9a4 4 0 0 1-4 4h-9a4 4 0 0 1-4-4v-9a4 4 0 0 1 4-4ZM12 8.3a3.7 3.7 0 1 0 0 7.4 3.7 3.7 0 0 0 0-7.4ZM17 6.9h.01',
  other: 'M12 3.5a8.5 8.5 0 1 0 0 17 8.5 8.5 0 0 0 0-17ZM3.5 12h17M12 3.5c2.2 2.3 3.3 5.2 3.3 8.5s-1.1 6.2-3.3 8.5c-2.2-2.3-3.3-5.2-3.3-8.5S9.8 5.8 12 3.5Z',
  tool: 'M14.7 6.3a4 4 0 0 0-5.2 5.2l-5.3 5.3a1.5 1.5 0 0 0 2.1 2.1l5.3-5.3a4 4 0 0 0 5.2-5.2l-2.3 2.3-2.1-.7-.7-2.1z',
  bot: 'M12 3v2.5M7 8h10a3 3 0 0 1 3 3v5a3 3 0 0 1-3 3H7a3 3 0 0 1-3-3v-5a3 3 0 0 1 3-3ZM9 13h.01M15 13h.01M2 13v2M22 13v2',
  person: 'M12 11.5a3.8 3.8 0 1 0 0-7.6 3.8 3.8 0 0 0 0 7.6ZM4.5 20.5a7.5 7.5 0 0 1 15 0',
  lock: 'M7 11V8a5 5 0 0 1 10 0v3M6 11h12a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1Z',
  alert: 'M12 8v5m0 3.5v.01M10.3 3.9 2.6 17.2A2 2 0 0 0 4.3 20h15.4a2 2 0 0 0 1.7-2.8L13.7 3.9a2 2 0 0 0-3.4 0Z',
  retry: 'M4 12a8 8 0 0 1 14-5.3L20 9M20 4v5h-5M20 12a8 8 0 0 1-14 5.3L4 15m0 5v-5h5',
  check: 'm5 12.5 4.5 4.5L19 7.5',
  clock: 'M12 3.5a8.5 8.5 0 1 0 0 17 8.5 8.5 0 0 0 0-17ZM12 7.5V12l3 2',
  x: 'M6 6l12 12M18 6 6 18',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 2-2 5 5M15.5 9.5h.01',
  handoff: 'M7 11V6.5a1.5 1.5 0 0 1 3 0V11m0-1V4.5a1.5 1.5 0 0 1 3 0V10m0 0V5.5a1.5 1.5 0 0 1 3 0V12m0-3.5a1.5 1.5 0 0 1 3 0V15a6 6 0 0 1-6 6h-1.5a6 6 0 0 1-5-2.7L4 14.5a1.5 1.5 0 0 1 2.5-1.7L7 13.5',
  unread: 'M4 6h16v12H4zM4 7l8 6 8-6',
  tag: 'M3.5 12.3V4.5a1 1 0 0 1 1-1h7.8l8.2 8.2a1.5 1.5 0 0 1 0 2.1l-6.6 6.6a1.5 1.5 0 0 1-2.1 0ZM8 8h.01',
};

export function icon(name, size = 16, className = '') {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  if (className) svg.setAttribute('class', className);
  const p = document.createElementNS(SVG, 'path');
  p.setAttribute('d', ICONS[name] ?? ICONS.other);
  p.setAttribute('fill', 'none');
  p.setAttribute('stroke', 'currentColor');
  p.setAttribute('stroke-width', '2');
  p.setAttribute('stroke-linecap', 'round');
  p.setAttribute('stroke-linejoin', 'round');
  svg.append(p);
  return svg;
}

// ---------- labels ----------

export const PLATFORM_LABELS = {
  webchat: 'Web chat',
  phone: 'Phone',
  sms: 'SMS',
  facebook: 'Facebook',
  facebook_messenger: 'Messenger',
  instagram: 'Instagram',
};
export const platformLabel = (p) => PLATFORM_LABELS[p] ?? (p ? String(p) : 'Unknown');
export const platformIcon = (p) => (ICONS[p] ? p : 'other');

export const STATUS_LABELS = { new: 'New', open: 'Open', pending_human: 'Needs a person', snoozed: 'Snoozed', resolved: 'Resolved' };
export const PRIORITY_LABELS = { urgent: 'Urgent', high: 'High', normal: 'Normal', low: 'Low' };
export const PRIORITY_RANK = { urgent: 0, high: 1, normal: 2, low: 3 };

const TOPIC_LABELS = {
  order_status: 'Order status',
  delivery_scheduling: 'Delivery',
  damaged_defective: 'Damaged item',
  returns_refunds: 'Returns & refunds',
  product_search: 'Product search',
  pricing_financing: 'Pricing & financing',
  store_locations_hours: 'Stores & hours',
  loyalty: 'Loyalty',
  account_identity: 'Account',
  complaint: 'Complaint',
  human_request: 'Asked for a person',
};
export function topicLabel(t) {
  const s = String(t ?? '');
  return TOPIC_LABELS[s] ?? s.replace(/[_-]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

/** Two initials from a name; '' when it has no letters (a phone number, an id). */
export function initials(name) {
  const words = String(name ?? '').replace(/[^\p{L}\s]/gu, ' ').split(/\s+/).filter(Boolean);
  const s = String(name ?? '');
  if (/^[+\d\s()-]+$/.test(s) || /^(fb|ig)_\d+$/.test(s) || /@/.test(s) || /^(Web visitor|Facebook user|Instagram user) /.test(s)) return '';
  return words.slice(0, 2).map((w) => w[0].toUpperCase()).join('');
}

/** Fills an avatar: initials, or a person icon when there are none. */
export function fillAvatar(node, name, size = 16) {
  const text = initials(name);
  node.replaceChildren(text ? document.createTextNode(text) : icon('person', size));
  return node;
}

/** The name an agent sees for a conversation: customer name, else the identifier, tidied. */
export function displayName(conv) {
  const name = conv?.customer?.name?.trim();
  if (name) return name;
  const id = String(conv?.user_identifier ?? '').trim();
  if (/^(fb|ig)_\d+$/.test(id)) return `${id.startsWith('ig') ? 'Instagram' : 'Facebook'} user ${id.slice(-4)}`;
  if (/^session:/.test(id)) return `Web visitor ${id.replace(/[^A-Za-z0-9]/g, '').slice(-4).toUpperCase()}`;
  return id || 'Unknown customer';
}

// ---------- time ----------

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const dayYearFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric' });
const weekdayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const longDayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
const longDayYearFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function toDate(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

const startOfDay = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();

/** List times: "2:14 PM" today, "Tue" this week, "Nov 3" this year, else with the year. */
export function listTime(iso) {
  const d = toDate(iso);
  if (!d) return '';
  const now = new Date();
  const days = Math.round((startOfDay(now) - startOfDay(d)) / 86_400_000);
  if (days <= 0) return timeFmt.format(d);
  if (days === 1) return 'Yesterday';
  if (days < 7) return weekdayFmt.format(d);
  return d.getFullYear() === now.getFullYear() ? dayFmt.format(d) : dayYearFmt.format(d);
}

export const clockTime = (iso) => {
  const d = toDate(iso);
  return d ? timeFmt.format(d) : '';
};
export const fullTime = (iso) => {
  const d = toDate(iso);
  return d ? fullFmt.format(d) : '';
};

export function dayLabel(iso) {
  const d = toDate(iso);
  if (!d) return '';
  const now = new Date();
  const days = Math.round((startOfDay(now) - startOfDay(d)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return d.getFullYear() === now.getFullYear() ? longDayFmt.format(d) : longDayYearFmt.format(d);
}
export const dayKey = (iso) => {
  const d = toDate(iso);
  return d ? `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}` : '';
};

/** "12 minutes", "3 hours", "2 days" since a time ("a moment" under a minute). */
export function ago(iso) {
  const d = toDate(iso);
  if (!d) return '';
  const s = Math.max(0, (Date.now() - d.getTime()) / 1000);
  const unit = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (s < 60) return 'a moment';
  if (s < 3600) return unit(Math.floor(s / 60), 'minute');
  if (s < 86_400) return unit(Math.floor(s / 3600), 'hour');
  return unit(Math.floor(s / 86_400), 'day');
}

export const money = (n) => (typeof n === 'number' && Number.isFinite(n) ? new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n) : '—');

export function prettyJson(value) {
  try {
    const s = JSON.stringify(value, null, 2);
    return s === undefined ? String(value) : s;
  } catch {
    return String(value);
  }
}

// ---------- the server's HTML ----------

const BLOCKED = new Set([
  'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'link', 'meta', 'base', 'style',
  'form', 'input', 'textarea', 'select', 'template', 'noscript', 'svg', 'math', 'video', 'audio', 'source', 'track', 'portal',
]);
const URL_ATTRS = new Set(['href', 'src', 'xlink:href', 'action', 'formaction', 'poster', 'background', 'cite', 'longdesc']);
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:', 'tel:']);

function safeUrl(value) {
  try {
    return SAFE_PROTOCOLS.has(new URL(value, window.location.href).protocol);
  } catch {
    return false;
  }
}

/**
 * Inserts HTML the server already sanitised (content_html, components[].html). Parsed in an inert
 * <template> (no script runs, no image loads), checked once more (defence in depth: a server bug
 * alone must not run script in an agent's browser), then moved into the page.
 * Inline style attributes are dropped (the page's CSP refuses them anyway); legacy HTML loses its
 * class names so stored markup can't dress up as the inbox's own UI (an "internal note", say).
 * Images from other sites (which the CSP blocks) become a link to open them in a new tab.
 */
export function insertSafeHtml(container, html) {
  const template = document.createElement('template');
  template.innerHTML = String(html ?? '');
  const root = template.content;
  for (const node of [...root.querySelectorAll('*')]) {
    const name = node.localName.toLowerCase();
    if (BLOCKED.has(name)) {
      node.remove();
      continue;
    }
    for (const attr of [...node.attributes]) {
      const a = attr.name.toLowerCase();
      if (a.startsWith('on') || a === 'style' || a === 'srcdoc' || a === 'srcset' || a === 'formaction' || a === 'id' || a === 'name' || a === 'autofocus' || a === 'tabindex' || a === 'accesskey') {
        node.removeAttribute(attr.name);
      } else if (URL_ATTRS.has(a) && !safeUrl(attr.value)) {
        node.removeAttribute(attr.name);
      }
    }
    if (name === 'a' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer nofollow');
    }
  }
  for (const legacy of root.querySelectorAll('.wo-legacy-html')) {
    for (const node of legacy.querySelectorAll('[class]')) node.removeAttribute('class');
  }
  for (const img of [...root.querySelectorAll('img')]) {
    const src = img.getAttribute('src');
    let url = null;
    try {
      url = src ? new URL(src, window.location.href) : null;
    } catch {
      url = null;
    }
    if (!url) {
      img.remove();
    } else if (url.origin !== window.location.origin) {
      img.replaceWith(externalImage(url, img.getAttribute('alt')));
    } else {
      img.loading = 'lazy';
      img.decoding = 'async';
    }
  }
  container.append(root);
}

function externalImage(url, alt) {
  const a = el('a', { class: 'external-image', attrs: { href: url.href, target: '_blank', rel: 'noopener noreferrer nofollow', title: url.href } });
  a.append(icon('image', 14), el('span', { text: alt?.trim() ? `Image: ${alt.trim().slice(0, 60)}` : `Image from ${url.hostname}` }));
  return a;
}

/** A broken image (a stored relative path that no longer exists) shows its alt text instead. */
export function handleBrokenImages(root) {
  root.addEventListener('error', (event) => {
    const img = event.target;
    if (!(img instanceof HTMLImageElement) || img.dataset.broken) return;
    img.dataset.broken = '1';
    const alt = img.getAttribute('alt')?.trim();
    img.replaceWith(el('span', { class: 'broken-image', text: alt ? `[image: ${alt.slice(0, 60)}]` : '[image unavailable]' }));
  }, true);
}

// ---------- toasts ----------

/**
 * toast({title, text, kind: 'info'|'handoff'|'error', action: {label, onClick}, timeout})
 */
export function toast({ title, text, kind = 'info', action, timeout = kind === 'handoff' ? 12_000 : 6000 }) {
  const region = $('toasts');
  const node = el('div', { class: `toast toast--${kind}`, attrs: { role: kind === 'error' ? 'alert' : 'status' } });
  const body = el('div', { class: 'toast-body' }, el('p', { class: 'toast-title', text: title }), text ? el('p', { class: 'toast-text', text }) : null);
  node.append(icon(kind === 'handoff' ? 'handoff' : kind === 'error' ? 'alert' : 'check', 20, 'toast-icon'), body);
  const close = () => {
    node.classList.add('is-leaving');
    setTimeout(() => node.remove(), 180);
  };
  if (action) {
    node.append(el('button', { class: 'toast-action', text: action.label, attrs: { type: 'button' }, on: { click: () => { action.onClick(); close(); } } }));
  }
  const x = el('button', { class: 'toast-close', attrs: { type: 'button', 'aria-label': 'Dismiss' }, on: { click: close } });
  x.append(icon('x', 14));
  node.append(x);
  region.append(node);
  while (region.children.length > 4) region.firstElementChild.remove();
  let timer = setTimeout(close, timeout);
  node.addEventListener('mouseenter', () => clearTimeout(timer));
  node.addEventListener('mouseleave', () => (timer = setTimeout(close, 3000)));
  return node;
}

export function uuid() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Runs fn at most once per `ms`, trailing (the last call's work is never lost). */
export function debounce(fn, ms) {
  let timer = 0;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}
