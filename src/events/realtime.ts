// WebSockets: /ws/inbox for the inbox (every event; replay from a cursor, then live, with no gap
// and no duplicate at the seam) and /ws/chat for the customer's page (agents' replies, live).
// Both ride the EventFeed, so a client on any instance sees every instance's commits.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { authenticateApiKey, bearerToken } from '../auth/index.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { findConversationBySession } from '../conversations/conversation-store.ts';
import { historyWithheld, resolveCaller, type CallerDeps } from '../chat/privacy.ts';
import { AppError, unauthorized } from '../shared/errors.ts';
import { eventTypes, retentionFloor, type StoredEvent } from './event-log.ts';
import type { EventFeed, Subscription } from './feed.ts';

export interface RealtimeDeps {
  config: Config;
  database: Database;
  feed: EventFeed;
  /** heartbeat interval; a client that misses one is dropped */
  heartbeatMs?: number;
  /** bytes a client may have unsent before it is closed as too slow */
  maxBufferedBytes?: number;
  /** resolves a customer's identity token (phone/email tokens) for /ws/chat */
  loft: CallerDeps['loft'];
}

/** Server-side counters, for /metrics. */
export const realtimeStats = { inboxClients: 0, chatClients: 0, droppedSlow: 0, droppedDead: 0 };

const CLOSE_TOO_SLOW = 4008;
const CLOSE_BAD_REQUEST = 4400;

function send(socket: WebSocket, frame: unknown): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}

/**
 * Keeps the connection honest: protocol pings (browsers answer them) plus the seed's JSON pings.
 * A client is dropped after two heartbeats in a row without a pong or any frame from it, so one
 * slow beat (a busy process, a congested link) does not cut off a healthy client.
 */
function heartbeat(socket: WebSocket, everyMs: number, onDead: () => void): () => void {
  let missed = 0;
  socket.on('pong', () => (missed = 0));
  socket.on('message', () => (missed = 0));
  // The check runs in setImmediate, after pending socket reads, so a pong that arrived while the
  // process was busy is counted before the client is judged.
  const timer = setInterval(() => setImmediate(() => {
    if (missed >= 2) {
      onDead();
      socket.terminate();
      return;
    }
    missed++;
    send(socket, { type: 'ping' });
    try {
      socket.ping();
    } catch {
      // closed in between
    }
  }), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export async function registerRealtime(app: FastifyInstance, deps: RealtimeDeps): Promise<void> {
  const { database, config, feed } = deps;
  const heartbeatMs = deps.heartbeatMs ?? 25_000;
  const maxBuffered = deps.maxBufferedBytes ?? 4 * 1024 * 1024;
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  app.get('/ws/inbox', {
    websocket: true,
    schema: {
      tags: ['Events'],
      summary: 'WebSocket: every event, live; subscribe with a cursor to replay what you missed',
      description: 'Auth: `?token=<api key>` or the Authorization header (401 otherwise). Frames: `{"type":"event", id, event_type, conversation_id, data, occurred_at}`, `{"type":"new_message", conversation_id, message}`, `{"type":"ping"}`, `{"type":"reset", oldest_id}`, `{"type":"subscribed", after}`. Send `{"type":"subscribe", "after": <id|null>, "conversation_id"?, "types"?}` to (re)subscribe, or connect with `?after=<id>`. A fresh connection that does not subscribe within 250 ms gets every event from the moment it connected; a client that subscribes counts events from its `subscribed` acknowledgement on (from there: every event after the cursor exactly once, in order).',
      security: [{ apiKey: [] }],
    },
    onRequest: async (req: FastifyRequest) => {
      const principal = await authenticateApiKey(database.db, bearerToken(req.headers, req.query), config.INBOX_API_KEY);
      if (!principal) throw unauthorized();
    },
  }, (socket: WebSocket, req: FastifyRequest) => {
    realtimeStats.inboxClients++;
    let sub: Subscription | undefined;
    let closed = false;
    const stopHeartbeat = heartbeat(socket, heartbeatMs, () => realtimeStats.droppedDead++);

    const deliver = (e: StoredEvent) => {
      if (closed) return;
      // A client that cannot keep up is closed with a reason; memory never grows without bound.
      if (socket.bufferedAmount > maxBuffered) {
        realtimeStats.droppedSlow++;
        closed = true;
        sub?.close();
        socket.close(CLOSE_TOO_SLOW, 'client too slow: resubscribe with your last event id');
        return;
      }
      send(socket, { type: 'event', id: e.id, event_type: e.type, conversation_id: e.conversation_id, data: e.data, occurred_at: e.occurred_at });
      if (e.type === 'message.created') {
        send(socket, { type: 'new_message', conversation_id: e.conversation_id, message: (e.data as { message?: unknown }).message, event_id: e.id });
      }
    };

    // Subscriptions can overlap: each one awaits the retention check before it starts, and a
    // subscribe frame may arrive while the automatic subscription (or an earlier frame) is still
    // in that await. Only the latest call may start its subscription; an older one that finishes
    // its await later gives up. Without this, both started and the first was never closed: the
    // client got every event twice, interleaved (seen with a subscribe frame arriving just as the
    // 250 ms automatic subscription began).
    let latest = 0;
    const subscribe = async (after: number | null, conversationId?: string, types?: string[], automatic = false) => {
      const mine = ++latest;
      sub?.close();
      sub = undefined;
      if (after !== null && after > 0) {
        const floor = await retentionFloor(database.db);
        if (closed || mine !== latest) return;
        if (after < floor) {
          send(socket, { type: 'reset', oldest_id: floor + 1, detail: 'the cursor is older than the retained history: refetch, then subscribe again' });
          return;
        }
      }
      if (closed || mine !== latest) return;
      sub = feed.subscribe({
        after,
        filter: (e) => (!conversationId || e.conversation_id === conversationId) && (!types || types.includes(e.type)),
        onEvent: deliver,
        onError: () => socket.close(1011, 'replay failed; reconnect and resubscribe'),
        pace: () => drained(socket, maxBuffered / 4),
      });
      send(socket, { type: 'subscribed', after: after ?? feed.position, ...(automatic ? { automatic: true } : {}) });
    };

    // The seed's clients never subscribe: they get every event from the moment they connected.
    // `?after=<id>` subscribes at once. Otherwise we wait a moment for a subscribe frame (so a
    // resuming client never sees an event twice or out of order), then start from the position
    // at connect time, so nothing in between is lost. The check runs in setImmediate, after
    // pending socket reads: a frame that arrived while the process was busy still wins.
    let clientSubscribed = false;
    const connectedAt = feed.position;
    const urlAfter = (req.query as { after?: string }).after;
    let autoSubscribe: NodeJS.Timeout | undefined;
    if (urlAfter !== undefined && /^\d+$/.test(urlAfter)) {
      clientSubscribed = true;
      void subscribe(Number(urlAfter));
    } else {
      autoSubscribe = setTimeout(() => setImmediate(() => {
        if (!clientSubscribed && !closed) void subscribe(connectedAt, undefined, undefined, true);
      }), 250);
    }

    socket.on('message', (raw) => {
      let msg: { type?: unknown; after?: unknown; conversation_id?: unknown; types?: unknown };
      try {
        msg = JSON.parse(String(raw));
      } catch {
        send(socket, { type: 'error', code: 'invalid_json', detail: 'frames must be JSON' });
        return;
      }
      if (msg.type === 'pong' || msg.type === 'ping') return;
      if (msg.type === 'subscribe') {
        clientSubscribed = true;
        clearTimeout(autoSubscribe);
      }
      if (msg.type !== 'subscribe') {
        send(socket, { type: 'error', code: 'unknown_frame', detail: 'expected {"type":"subscribe", "after": <id|null>}' });
        return;
      }
      const after = msg.after === null || msg.after === undefined ? null : Number(msg.after);
      const conversationId = typeof msg.conversation_id === 'string' ? msg.conversation_id : undefined;
      const types = Array.isArray(msg.types) ? msg.types.filter((t): t is string => typeof t === 'string') : undefined;
      if ((after !== null && (!Number.isInteger(after) || after < 0)) || (conversationId && !/^[0-9a-f-]{36}$/i.test(conversationId)) || types?.some((t) => !(eventTypes as string[]).includes(t))) {
        send(socket, { type: 'error', code: 'validation_failed', detail: 'after must be a non-negative integer or null, conversation_id a UUID, types known event types' });
        if (msg.after !== undefined && after !== null && !Number.isInteger(after)) socket.close(CLOSE_BAD_REQUEST, 'invalid subscribe');
        return;
      }
      void subscribe(after, conversationId, types);
    });

    socket.on('close', () => {
      closed = true;
      clearTimeout(autoSubscribe);
      realtimeStats.inboxClients--;
      stopHeartbeat();
      sub?.close();
    });
    socket.on('error', () => socket.terminate());
  });

  // The customer's live channel: agents' replies (never internal notes) and handoff changes.
  app.get('/ws/chat', {
    websocket: true,
    schema: {
      tags: ['Customer chat'],
      summary: "WebSocket: human agents' replies for a session, live (?session_id=)",
    },
    onRequest: async (req: FastifyRequest) => {
      const q = req.query as { session_id?: string; identity_token?: string };
      if (!q.session_id || q.session_id.length > 255) throw new AppError('validation_failed', 'session_id is required', 400);
      const conversation = await findConversationBySession(database.db, q.session_id);
      if (!conversation) throw new AppError('session_not_found', 'No conversation for this session', 404);
      // A session id alone does not prove whose conversation it is (one left in a shared
      // browser, one guessed): for a conversation holding personal data, only staff or the
      // customer it was verified for get the replay and the agents' messages; anyone else gets
      // handoff changes only (the same rule as the SSE stream and the history).
      const { access } = await resolveCaller({ database, config: deps.config, loft: deps.loft }, req.headers, q.identity_token || undefined);
      const r = req as FastifyRequest & { conversationId?: string; withheld?: boolean };
      r.conversationId = conversation.conversation_id;
      r.withheld = await historyWithheld(database.db, access, conversation);
    },
  }, (socket: WebSocket, req: FastifyRequest) => {
    realtimeStats.chatClients++;
    const r = req as FastifyRequest & { conversationId?: string; withheld?: boolean };
    const conversationId = r.conversationId!;
    const withheld = r.withheld === true;
    const q = req.query as { after?: string };
    const after = withheld ? null : q.after && /^\d+$/.test(q.after) ? Number(q.after) : null;
    const stopHeartbeat = heartbeat(socket, heartbeatMs, () => realtimeStats.droppedDead++);
    const sub = feed.subscribe({
      after,
      filter: (e) => e.conversation_id === conversationId,
      onEvent: (e) => {
        const frame = customerFrame(e);
        if (frame && !(withheld && frame.type === 'message')) send(socket, { ...frame, id: e.id });
      },
      onError: () => socket.close(1011, 'replay failed; reconnect'),
    });
    socket.on('close', () => {
      realtimeStats.chatClients--;
      stopHeartbeat();
      sub.close();
    });
    socket.on('error', () => socket.terminate());
  });
}

/** Resolves once the socket's unsent bytes fall below `low` (or it closes). */
async function drained(socket: WebSocket, low: number): Promise<void> {
  while (socket.readyState === socket.OPEN && socket.bufferedAmount > low) {
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** What the customer's page may see of an event: agents' replies and handoff status. */
export function customerFrame(e: StoredEvent): Record<string, unknown> | null {
  if (e.type === 'message.created') {
    const m = (e.data as { message: Record<string, unknown> }).message;
    if (m.sender_type !== 'business_rep' || m.is_internal_note) return null;
    return {
      type: 'message',
      message: {
        message_id: m.message_id,
        role: m.role,
        sender_type: m.sender_type,
        sender_name: m.sender_name,
        content: m.content,
        components: m.components ?? null,
        created_at: m.created_at,
      },
    };
  }
  if (e.type === 'conversation.updated') {
    const changes = (e.data as { changes?: Record<string, { to: unknown }> }).changes ?? {};
    if (changes.handled_by) return { type: 'handoff', status: changes.handled_by.to === 'human' ? 'pending_human' : 'bot' };
  }
  return null;
}
