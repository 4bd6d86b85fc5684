// Who this browser is to the server: a session id kept across visits, an optional user identifier,
// and the host site's signed identity token for this tab.

const SESSION_KEY = 'woodstock-session';
const USER_KEY = 'woodstock-user';
const IDENTITY_KEY = 'woodstock-identity-token';

// Safari private mode and locked-down browsers throw on storage access: fall back to memory so
// the chat still works for this page view.
function safeStorage(kind) {
  const memory = new Map();
  let store = null;
  try {
    store = window[kind];
    const probe = '__woodstock_probe__';
    store.setItem(probe, '1');
    store.removeItem(probe);
  } catch {
    store = null;
  }
  return {
    get: (key) => (store ? store.getItem(key) : (memory.get(key) ?? null)),
    set: (key, value) => (store ? store.setItem(key, value) : memory.set(key, value)),
  };
}

const local = safeStorage('localStorage');
const session = safeStorage('sessionStorage');

// Ids go into URL paths, so accept only a plain token (a tampered value gets a fresh session).
const SAFE_ID = /^[A-Za-z0-9_-]{8,128}$/;

export function getSessionId() {
  const stored = local.get(SESSION_KEY);
  if (stored && SAFE_ID.test(stored)) return stored;
  const id = newUuid();
  local.set(SESSION_KEY, id);
  return id;
}

/**
 * A fresh session for this browser, replacing the stored one: used when the stored session's
 * conversation belongs to someone this tab cannot show it to (a verified customer who was here
 * before, on a shared computer).
 */
export function newSessionId() {
  const id = newUuid();
  local.set(SESSION_KEY, id);
  return id;
}

/** Optional; set by host sites that know the visitor. Never written from URL parameters. */
export function getUserIdentifier() {
  const value = local.get(USER_KEY);
  return value && value.trim() ? value.trim().slice(0, 255) : null;
}

/**
 * The host site may open the page with ?identity_token=<JWT>. Keep it for this tab only
 * (sessionStorage) and take it out of the address bar so it isn't bookmarked, shared or sent as a
 * Referer. Legacy customer_id / customer_email parameters are deliberately ignored: unsigned, they
 * prove nothing about who the visitor is.
 */
export function takeIdentityToken() {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('identity_token');
  if (fromUrl) {
    session.set(IDENTITY_KEY, fromUrl);
    url.searchParams.delete('identity_token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }
  return session.get(IDENTITY_KEY) || null;
}

// crypto.randomUUID exists only in secure contexts (https, localhost); a plain-http intranet
// deployment still needs a random id.
function newUuid() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
