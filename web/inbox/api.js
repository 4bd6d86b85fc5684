// The inbox REST API (contract §2) with the agent's API key. Errors are problem+json; a 401
// anywhere means the key is no longer good: the page signs out.

const KEY_STORAGE = 'woodstock-inbox-key';
const NAME_STORAGE = 'woodstock-inbox-name';

function storage() {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export const credentials = {
  get key() {
    return storage()?.getItem(KEY_STORAGE) || null;
  },
  set key(value) {
    if (value) storage()?.setItem(KEY_STORAGE, value);
    else storage()?.removeItem(KEY_STORAGE);
  },
  /** The reply name for keys that don't belong to an agent. */
  get name() {
    return storage()?.getItem(NAME_STORAGE) || null;
  },
  set name(value) {
    if (value) storage()?.setItem(NAME_STORAGE, value);
    else storage()?.removeItem(NAME_STORAGE);
  },
};

export class ApiError extends Error {
  constructor({ status, code, title, detail }) {
    super(detail || title || `Request failed (${status})`);
    this.status = status;
    this.code = code ?? null;
    this.title = title ?? null;
    this.detail = detail ?? null;
  }
  /** Worth trying again as is: the network, a timeout, the server busy or down. */
  get retryable() {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export async function request(path, { method = 'GET', body, headers = {}, key = credentials.key, signal, timeoutMs = 20_000 } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  signal?.addEventListener('abort', () => controller.abort(), { once: true });
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: controller.signal,
      cache: 'no-store',
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError({ status: 0, title: 'Network error', detail: "Couldn't reach the server. Check your connection." });
  } finally {
    clearTimeout(timer);
  }
  if (res.ok) return res.status === 204 ? null : res.json();
  let problem = {};
  try {
    problem = await res.json();
  } catch {
    // not JSON (a proxy's error page)
  }
  const error = new ApiError({ status: res.status, code: problem.code, title: problem.title, detail: problem.detail });
  if (res.status === 401 && key === credentials.key) window.dispatchEvent(new CustomEvent('inbox:unauthorized'));
  throw error;
}

const qs = (params) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    search.set(k, String(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
};
const enc = encodeURIComponent;

export const api = {
  me: (key) => request('/api/me', { key }),
  agents: () => request('/api/agents'),
  list: (params, opts) => request(`/api/conversations${qs(params)}`, opts),
  conversation: (id, opts) => request(`/api/conversations/${enc(id)}`, opts),
  patch: (id, body) => request(`/api/conversations/${enc(id)}`, { method: 'PATCH', body }),
  markRead: (id) => request(`/api/conversations/${enc(id)}/mark-read`, { method: 'POST' }),
  markUnread: (id) => request(`/api/conversations/${enc(id)}/mark-unread`, { method: 'POST' }),
  messages: (id, params, opts) => request(`/api/conversations/${enc(id)}/messages${qs(params)}`, opts),
  send: (id, body, idempotencyKey) => request(`/api/conversations/${enc(id)}/messages`, { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey } }),
  summary: (id, opts) => request(`/api/conversations/${enc(id)}/summary`, opts),
};
