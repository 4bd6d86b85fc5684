// The page's three server calls (see docs: contract §1): history, the streamed chat turn, and the
// live session stream URL.
import { readEventStream } from './sse.js';

const JSON_TYPES = /application\/(problem\+)?json/;

/** A turn the server never accepted. kind: 'network' | 'server' (5xx) | 'client' (4xx). */
export class SendError extends Error {
  constructor({ kind, status = 0, title = '', detail = '', code = '' }) {
    super(detail || title || kind);
    this.kind = kind;
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.code = code;
  }
}

export function liveStreamUrl(sessionId, identityToken) {
  const url = `/v1/sessions/${encodeURIComponent(sessionId)}/stream`;
  // EventSource cannot send headers: a verified customer's token rides in the query, so the
  // stream may carry replies that name them.
  return identityToken ? `${url}?identity_token=${encodeURIComponent(identityToken)}` : url;
}

/**
 * GET /v1/sessions/{session_id}. Resolves to the session, or null when the server doesn't know it
 * yet (404: a new visitor). Throws SendError on anything else. `withheld`: the conversation holds
 * someone's personal data this tab may not see (it was a verified customer's; this tab has no
 * token, or another customer's).
 */
export async function fetchHistory({ sessionId, identityToken }) {
  const headers = { Accept: 'application/json' };
  // A verified customer's history is shown only with their token.
  if (identityToken) headers.Authorization = `Bearer ${identityToken}`;
  let res;
  try {
    res = await fetch(`/v1/sessions/${encodeURIComponent(sessionId)}`, {
      headers,
      cache: 'no-store',
    });
  } catch {
    throw new SendError({ kind: 'network' });
  }
  if (res.status === 404) return null;
  if (!res.ok) throw await problemFrom(res);
  const body = await res.json();
  return {
    conversationId: body?.conversation_id ?? null,
    handledBy: body?.handled_by === 'human' || body?.handled_by === 'bot' ? body.handled_by : null,
    messages: Array.isArray(body?.messages) ? body.messages : [],
    withheld: body?.personal_data_withheld === true,
  };
}

/**
 * POST /v1/chat/completions with stream:true; onChunk(chunk) for every parsed chunk object.
 * Throws SendError if the turn was not accepted (no 2xx). Once accepted, resolves to
 * { complete } where complete is false if the stream broke before "[DONE]".
 */
export async function streamChat({ sessionId, content, identityToken, userIdentifier, onChunk }) {
  const body = {
    model: 'woodstock-assistant',
    stream: true,
    session_id: sessionId,
    platform_type: 'webchat',
    messages: [{ role: 'user', content }],
  };
  if (identityToken) body.identity_token = identityToken;
  if (userIdentifier) body.user_identifier = userIdentifier;

  // Abort a turn that goes silent, so the page never stays stuck in "typing…".
  const controller = new AbortController();
  let idle;
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => controller.abort(), 90_000);
  };
  touch();

  let res;
  try {
    res = await fetch('/v1/chat/completions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
  } catch {
    clearTimeout(idle);
    throw new SendError({ kind: 'network' });
  }

  if (!res.ok) {
    clearTimeout(idle);
    throw await problemFrom(res);
  }

  let complete = false;
  try {
    const type = res.headers.get('content-type') || '';
    if (type.includes('text/event-stream') && res.body) {
      await readEventStream(res.body, (data) => {
        touch();
        if (data.trim() === '[DONE]') {
          complete = true;
          return true;
        }
        let chunk;
        try {
          chunk = JSON.parse(data);
        } catch {
          return false; // a malformed frame is skipped, not fatal
        }
        onChunk(chunk);
        return false;
      });
    } else {
      // A server (or proxy) that answered without streaming: same shape as a single chunk.
      const whole = await res.json();
      const message = whole?.choices?.[0]?.message;
      onChunk({
        ...whole,
        choices: [{ index: 0, delta: { content: message?.content ?? '' }, finish_reason: 'stop' }],
      });
      complete = true;
    }
  } catch {
    // The connection broke mid-reply: the server has the turn, the reply may be partial.
  } finally {
    clearTimeout(idle);
  }
  return { complete };
}

async function problemFrom(res) {
  let problem = null;
  try {
    if (JSON_TYPES.test(res.headers.get('content-type') || '')) problem = await res.json();
  } catch {
    problem = null;
  }
  const text = (v) => (typeof v === 'string' ? v : '');
  return new SendError({
    kind: res.status >= 500 ? 'server' : 'client',
    status: res.status,
    title: text(problem?.title),
    detail: text(problem?.detail),
    code: text(problem?.code),
  });
}
