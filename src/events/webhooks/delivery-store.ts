// The outbox (webhook_deliveries) and the attempt log (webhook_attempts): the only module that
// writes them. A delivery is one run of an event to an endpoint through the retry schedule:
//   pending → succeeded | dead (last attempt failed, or 410) | cancelled (endpoint disabled)
// A pending row is "leased" while an attempt runs (leased_by, lease_until); a row whose worker
// died simply becomes due again when the lease runs out.
// Replays and re-sends add a new pending row for the same event (same webhook-id).
import { sql, type SQL } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { rows, type Database, type Executor } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import type { StoredEvent } from '../event-log.ts';
import type { EndpointRow } from './endpoint-store.ts';

export const DELIVERIES_CHANNEL = 'webhook_deliveries';

export type DeliveryStatus = 'pending' | 'succeeded' | 'dead' | 'cancelled';
export type DeliveryOrigin = 'event' | 'replay' | 'resend' | 'test';

/** A leased delivery, with everything an attempt needs. */
export interface ClaimedDelivery {
  id: number;
  endpointId: string;
  eventId: number | null;
  webhookId: string;
  eventType: string;
  attemptCount: number;
  url: string;
  source: 'api' | 'env';
  /** current secret first; the previous one while its rotation window is open */
  secrets: string[];
  /** null when the event is no longer stored (cannot happen for deliveries queued by events) */
  body: string | null;
  /** local clock time at which the lease ends */
  leaseEndsAt: number;
}

interface ClaimRow {
  id: string | number;
  endpoint_id: string;
  event_id: string | number | null;
  event_type: string | null;
  attempt_count: number;
  payload: { webhook_id: string; body: unknown } | null;
  lease_ms: string | number;
  url: string;
  source: 'api' | 'env';
  secret: string;
  previous_secret: string | null;
  e_type: string | null;
  e_data: unknown;
  e_occurred_at: Date | string | null;
}

const iso = (v: Date | string | null | undefined): string | null => {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  const d = new Date(v.includes('T') ? v : v.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
};

function toClaimed(r: ClaimRow, claimedAt: number): ClaimedDelivery {
  const eventId = r.event_id === null ? null : Number(r.event_id);
  let body: string | null = null;
  let webhookId = eventId === null ? '' : String(eventId);
  let eventType = r.event_type ?? r.e_type ?? 'unknown';
  if (r.payload) {
    const p = typeof r.payload === 'string' ? (JSON.parse(r.payload) as ClaimRow['payload'])! : r.payload;
    webhookId = p.webhook_id;
    body = JSON.stringify(p.body);
  } else if (r.e_type) {
    const data = typeof r.e_data === 'string' ? JSON.parse(r.e_data) : r.e_data;
    eventType = r.e_type;
    body = JSON.stringify({ type: r.e_type, timestamp: iso(r.e_occurred_at), data });
  }
  return {
    id: Number(r.id),
    endpointId: r.endpoint_id,
    eventId,
    webhookId,
    eventType,
    attemptCount: r.attempt_count,
    url: r.url,
    source: r.source,
    secrets: r.previous_secret ? [r.secret, r.previous_secret] : [r.secret],
    body,
    leaseEndsAt: claimedAt + Number(r.lease_ms),
  };
}

// ---------------------------------------------------------------------------------------------
// The outbox: written by the event transaction itself

/**
 * Queues one delivery per event for every enabled endpoint that wants its type. Runs inside the
 * event's transaction (event-log.ts onEventsAppended), so the event and its deliveries commit
 * together or not at all.
 */
export async function insertOutboxRows(tx: Executor, events: StoredEvent[], firstDelayMs = 0): Promise<void> {
  if (events.length === 0) return;
  const list = JSON.stringify(events.map((e) => ({ id: e.id, type: e.type })));
  await tx.execute(sql`INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, origin, next_attempt_at)
    SELECT w.id, e.id, e.type, 'event', now() + ${firstDelayMs} * interval '1 millisecond'
    FROM jsonb_to_recordset(${list}::jsonb) AS e(id bigint, type text)
    JOIN webhook_endpoints w ON w.enabled AND (w.event_types IS NULL OR w.event_types @> jsonb_build_array(e.type))
    ORDER BY e.id, w.id`);
}

// ---------------------------------------------------------------------------------------------
// Claiming and finishing (the worker)
//
// A lease only sets leased_by / lease_until, columns no index holds, so PostgreSQL can update the
// row in place (a HOT update, helped by the table's fillfactor): a busy queue does not bloat its
// indexes with an entry per lease. A row is due when next_attempt_at has passed and it has no
// live lease; a lease that runs out (its worker died) makes it due again by itself.

export interface ClaimOptions {
  instanceId: string;
  leaseMs: number;
  /** attempts at once per endpoint (per instance) */
  perEndpoint: number;
  /** attempts this instance has running, per endpoint id */
  busy: Map<string, number>;
  /** deliveries this instance is still attempting (never claimed twice) */
  exclude: number[];
  /** at most this many rows */
  limit: number;
}

// Leases and attempt results commit without waiting for the WAL flush (synchronous_commit off
// for that one transaction): they are acknowledgements, and the few a database crash could lose
// only mean a delivery is sent again (at least once), never lost: the events and their
// deliveries are committed durably by the event transaction. This is what lets one endpoint take
// hundreds of deliveries a second with one attempt at a time.
const asyncCommit = sql.raw(`async_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS v)`);
const withAsyncCommit = sql.raw(`(SELECT v FROM async_commit) = 'off'`);

const due = sql.raw(`d.status = 'pending' AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until <= now())`);

// One array parameter, not a spliced list: the statement keeps one text (it is prepared once).
function excluding(ids: number[]): SQL {
  return sql`AND d.id <> ALL(${`{${ids.map((id) => Math.trunc(id)).join(',')}}`}::bigint[])`;
}

/** The lease itself and what an attempt needs, for the rows in CTE `picked` (id, event_id, endpoint_id). */
function leasePicked(o: { instanceId: string; leaseMs: number }): SQL {
  return sql`UPDATE webhook_deliveries d SET leased_by = ${o.instanceId}, lease_until = now() + ${o.leaseMs} * interval '1 millisecond'
    FROM picked p JOIN webhook_endpoints w ON w.id = p.endpoint_id LEFT JOIN inbox_events e ON e.id = p.event_id
    WHERE d.id = p.id AND ${withAsyncCommit}
    RETURNING d.id, d.endpoint_id::text AS endpoint_id, d.event_id, d.event_type, d.attempt_count, d.payload,
      ${o.leaseMs}::int AS lease_ms, w.url, w.source, w.secret,
      CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret END AS previous_secret,
      e.type AS e_type, e.data AS e_data, e.occurred_at AS e_occurred_at`;
}

/**
 * Leases due deliveries fairly: every enabled endpoint with a free slot gets its oldest due rows,
 * taken round-robin (the first row of each endpoint, then the second, …) up to `limit`.
 * SKIP LOCKED lets many instances claim at once without waiting on each other.
 */
export async function claimDue(database: Pick<Database, 'prepared'>, o: ClaimOptions): Promise<ClaimedDelivery[]> {
  const busy = JSON.stringify(Object.fromEntries(o.busy));
  const claimedAt = Date.now();
  const r = await database.prepared<ClaimRow>(
    sql`WITH ${asyncCommit},
        ep AS (
          SELECT w.id, greatest(0, ${o.perEndpoint}::int - coalesce((${busy}::jsonb ->> w.id::text)::int, 0)) AS free
          FROM webhook_endpoints w WHERE w.enabled
        ),
        picked AS (
          SELECT x.id, x.event_id, ep.id AS endpoint_id,
            row_number() OVER (PARTITION BY ep.id ORDER BY x.next_attempt_at, x.id) AS rn, x.next_attempt_at
          FROM ep CROSS JOIN LATERAL (
            SELECT d.id, d.event_id, d.next_attempt_at FROM webhook_deliveries d
            WHERE d.endpoint_id = ep.id AND ${due} ${excluding(o.exclude)}
            ORDER BY d.next_attempt_at, d.id
            LIMIT ep.free
            FOR UPDATE SKIP LOCKED
          ) x
          WHERE ep.free > 0
          ORDER BY rn, x.next_attempt_at
          LIMIT ${o.limit}
        )
        ${leasePicked(o)}`,
  );
  return r.map((row) => toClaimed(row, claimedAt)).sort((a, b) => a.id - b.id);
}

export interface AttemptRecord {
  attemptNo: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
}

export type Finish =
  | { status: 'succeeded' }
  | { status: 'pending'; delayMs: number }
  | { status: 'dead' };

/**
 * Logs the attempt and moves the delivery on, in one statement. A success is recorded whoever
 * holds the lease (it is the truth); a failure only by the lease holder, so a worker whose lease
 * ran out cannot reschedule a delivery another worker has taken over. With `next`, the same
 * statement also leases the endpoint's next due delivery: one round trip per delivery.
 */
export async function finishAttempt(
  database: Pick<Database, 'prepared'>,
  o: { delivery: ClaimedDelivery; instanceId: string; attempt: AttemptRecord; finish: Finish; next?: { leaseMs: number; exclude: number[] } },
): Promise<ClaimedDelivery | null> {
  const d = o.delivery;
  const a = o.attempt;
  const f = o.finish;
  const lastError = f.status === 'succeeded' ? null : a.error;
  const guard = f.status === 'succeeded' ? sql`` : sql`AND leased_by = ${o.instanceId}`;
  const nextAt = f.status === 'pending' ? sql`, next_attempt_at = now() + ${f.delayMs} * interval '1 millisecond'` : sql``;
  const completed = f.status === 'pending' ? sql`` : sql`, completed_at = now()`;
  const record = sql`
    ${asyncCommit},
    attempt AS (
      INSERT INTO webhook_attempts (delivery_id, endpoint_id, event_id, attempt_no, started_at, duration_ms, status_code, error, response_excerpt)
      SELECT ${d.id}, ${d.endpointId}, ${d.eventId}::bigint, ${a.attemptNo}, ${a.startedAt.toISOString()}::timestamptz, ${a.durationMs},
        ${a.statusCode}::int, ${a.error}, ${a.responseExcerpt}
      WHERE EXISTS (SELECT 1 FROM webhook_deliveries WHERE id = ${d.id})
    ),
    finished AS (
      UPDATE webhook_deliveries SET status = ${f.status}, attempt_count = attempt_count + 1,
        last_status_code = ${a.statusCode}::int, last_error = ${lastError}, lease_until = NULL, leased_by = NULL ${nextAt} ${completed}
      WHERE id = ${d.id} AND status = 'pending' ${guard} AND ${withAsyncCommit}
      RETURNING id
    )`;
  if (!o.next) {
    await database.prepared(sql`WITH ${record} SELECT count(*) FROM finished`);
    return null;
  }
  const claimedAt = Date.now();
  const r = await database.prepared<ClaimRow>(
    sql`WITH ${record},
        picked AS (
          SELECT d.id, d.event_id, d.endpoint_id FROM webhook_deliveries d
          WHERE d.endpoint_id = ${d.endpointId} AND ${due} ${excluding([...o.next.exclude, d.id])}
            AND EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.id = ${d.endpointId} AND w.enabled)
          ORDER BY d.next_attempt_at, d.id
          LIMIT 1
          FOR UPDATE OF d SKIP LOCKED
        )
        ${leasePicked({ instanceId: o.instanceId, leaseMs: o.next.leaseMs })}`,
  );
  return r[0] ? toClaimed(r[0], claimedAt) : null;
}

/** Milliseconds until the next delivery becomes due at an endpoint with a free slot; null: none pending. */
export async function msUntilNextDue(ex: Executor, o: { busyEndpoints: string[] }): Promise<number | null> {
  const skip = o.busyEndpoints.length > 0 ? sql`AND w.id::text NOT IN (${sql.join(o.busyEndpoints.map((id) => sql`${id}`), sql`, `)})` : sql``;
  // Leased rows are few per endpoint: the earliest due row is among the first by next_attempt_at.
  const [r] = await rows<{ wait_ms: string | number | null }>(
    ex,
    sql`SELECT extract(epoch FROM (min(x.t) - now())) * 1000 AS wait_ms
        FROM webhook_endpoints w CROSS JOIN LATERAL (
          SELECT min(greatest(f.next_attempt_at, coalesce(f.lease_until, f.next_attempt_at))) AS t FROM (
            SELECT d.next_attempt_at, d.lease_until FROM webhook_deliveries d
            WHERE d.endpoint_id = w.id AND d.status = 'pending' ORDER BY d.next_attempt_at LIMIT 20
          ) f
        ) x
        WHERE w.enabled ${skip}`,
  );
  return r?.wait_ms === null || r?.wait_ms === undefined ? null : Number(r.wait_ms);
}

/** Gives back leases this instance holds (shutdown): the rows are due again at once, for anyone. */
export async function releaseLeases(ex: Executor, instanceId: string, ids?: number[]): Promise<number> {
  const only = ids ? (ids.length === 0 ? sql`AND false` : sql`AND id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`) : sql``;
  const r = await rows<{ id: string }>(
    ex,
    sql`UPDATE webhook_deliveries SET leased_by = NULL, lease_until = now()
        WHERE leased_by = ${instanceId} AND status = 'pending' ${only} RETURNING id`,
  );
  return r.length;
}

// ---------------------------------------------------------------------------------------------
// The delivery log

export interface DeliveryView {
  id: number;
  endpoint_id: string;
  event_id: number | null;
  event_type: string | null;
  webhook_id: string;
  origin: DeliveryOrigin;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  completed_at: string | null;
  attempts: AttemptView[];
}

export interface AttemptView {
  attempt_no: number;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
}

interface DeliveryRow {
  id: string | number;
  endpoint_id: string;
  event_id: string | number | null;
  event_type: string | null;
  origin: DeliveryOrigin;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: Date | string;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date | string;
  completed_at: Date | string | null;
  payload: { webhook_id: string } | string | null;
}

const deliveryColumns = sql.raw(`id, endpoint_id::text AS endpoint_id, event_id, event_type, origin, status, attempt_count,
  next_attempt_at, last_status_code, last_error, created_at, completed_at, payload`);

function toView(r: DeliveryRow, attempts: AttemptView[]): DeliveryView {
  const payload = typeof r.payload === 'string' ? (JSON.parse(r.payload) as { webhook_id: string }) : r.payload;
  const eventId = r.event_id === null ? null : Number(r.event_id);
  return {
    id: Number(r.id),
    endpoint_id: r.endpoint_id,
    event_id: eventId,
    event_type: r.event_type,
    webhook_id: payload?.webhook_id ?? String(eventId),
    origin: r.origin,
    status: r.status,
    attempt_count: r.attempt_count,
    next_attempt_at: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    last_status_code: r.last_status_code,
    last_error: r.last_error,
    created_at: iso(r.created_at)!,
    completed_at: iso(r.completed_at),
    attempts,
  };
}

async function withAttempts(ex: Executor, list: DeliveryRow[]): Promise<DeliveryView[]> {
  if (list.length === 0) return [];
  const ids = list.map((d) => Number(d.id));
  const attempts = await rows<{ delivery_id: string | number; attempt_no: number; started_at: Date | string; duration_ms: number; status_code: number | null; error: string | null; response_excerpt: string | null }>(
    ex,
    sql`SELECT delivery_id, attempt_no, started_at, duration_ms, status_code, error, response_excerpt FROM webhook_attempts
        WHERE delivery_id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)}) ORDER BY delivery_id, id`,
  );
  const byDelivery = new Map<number, AttemptView[]>();
  for (const a of attempts) {
    const key = Number(a.delivery_id);
    if (!byDelivery.has(key)) byDelivery.set(key, []);
    byDelivery.get(key)!.push({ attempt_no: a.attempt_no, started_at: iso(a.started_at)!, duration_ms: a.duration_ms, status_code: a.status_code, error: a.error, response_excerpt: a.response_excerpt });
  }
  return list.map((d) => toView(d, byDelivery.get(Number(d.id)) ?? []));
}

/** Newest first. Page with `before` = the last id of the previous page. */
export async function listDeliveries(
  ex: Executor,
  o: { endpointId: string; status?: DeliveryStatus; limit: number; before?: number; eventId?: number },
): Promise<{ data: DeliveryView[]; nextBefore: number | null }> {
  const status = o.status ? sql`AND status = ${o.status}` : sql``;
  const before = o.before ? sql`AND id < ${o.before}` : sql``;
  const event = o.eventId !== undefined ? sql`AND event_id = ${o.eventId}` : sql``;
  const found = await rows<DeliveryRow>(
    ex,
    sql`SELECT ${deliveryColumns} FROM webhook_deliveries WHERE endpoint_id = ${o.endpointId} ${status} ${before} ${event}
        ORDER BY id DESC LIMIT ${o.limit + 1}`,
  );
  const page = found.slice(0, o.limit);
  return { data: await withAttempts(ex, page), nextBefore: found.length > o.limit ? Number(page[page.length - 1]!.id) : null };
}

export async function getDelivery(ex: Executor, endpointId: string, id: number): Promise<DeliveryView | undefined> {
  const found = await rows<DeliveryRow>(ex, sql`SELECT ${deliveryColumns} FROM webhook_deliveries WHERE id = ${id} AND endpoint_id = ${endpointId}`);
  return (await withAttempts(ex, found))[0];
}

// ---------------------------------------------------------------------------------------------
// Queuing by hand: test-fire, replay, the seed's re-send

/** A synthetic `webhook.test` delivery through the same pipeline (sent even if the endpoint filters types). */
export async function queueTestDelivery(ex: Executor, endpoint: EndpointRow): Promise<DeliveryView> {
  const now = new Date().toISOString();
  const payload = {
    webhook_id: `test_${randomBytes(8).toString('hex')}`,
    body: { type: 'webhook.test', timestamp: now, data: { endpoint_id: endpoint.id, message: 'A test delivery from Woodstock Outlet: your endpoint is reachable and verifies signatures.' } },
  };
  const [row] = await rows<DeliveryRow>(
    ex,
    sql`INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, origin, payload)
        VALUES (${endpoint.id}, NULL, 'webhook.test', 'test', ${JSON.stringify(payload)}::jsonb) RETURNING ${deliveryColumns}`,
  );
  return toView(row!, []);
}

/** Re-queues every retained event since `since` that the endpoint subscribes to (skipping those already pending). */
export async function replaySince(ex: Executor, endpoint: EndpointRow, since: string): Promise<number> {
  const types = endpoint.event_types ? JSON.stringify(endpoint.event_types) : null;
  const [r] = await rows<{ n: number }>(
    ex,
    sql`WITH queued AS (
          INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, origin)
          SELECT ${endpoint.id}, e.id, e.type, 'replay' FROM inbox_events e
          WHERE e.occurred_at >= ${since}::timestamptz AND (${types}::jsonb IS NULL OR ${types}::jsonb @> jsonb_build_array(e.type))
          ORDER BY e.id
          ON CONFLICT (event_id, endpoint_id) WHERE status = 'pending' DO NOTHING
          RETURNING 1
        ) SELECT count(*)::int AS n FROM queued`,
  );
  return r?.n ?? 0;
}

/** Re-queues one delivery's event (or test payload). Already pending: that delivery is returned. */
export async function replayDelivery(ex: Executor, endpoint: EndpointRow, deliveryId: number): Promise<{ delivery: DeliveryView; queued: boolean }> {
  const [orig] = await rows<DeliveryRow>(ex, sql`SELECT ${deliveryColumns} FROM webhook_deliveries WHERE id = ${deliveryId} AND endpoint_id = ${endpoint.id}`);
  if (!orig) throw new AppError('delivery_not_found', `Delivery ${deliveryId} not found for this endpoint`, 404);
  if (orig.event_id !== null) {
    const [event] = await rows<{ id: string }>(ex, sql`SELECT id FROM inbox_events WHERE id = ${orig.event_id}`);
    if (!event) throw new AppError('event_expired', `Event ${orig.event_id} is older than the retained history and can no longer be sent`, 409);
  }
  const payload = orig.payload === null ? null : typeof orig.payload === 'string' ? orig.payload : JSON.stringify(orig.payload);
  const [row] = await rows<DeliveryRow>(
    ex,
    sql`INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, origin, payload)
        VALUES (${endpoint.id}, ${orig.event_id}, ${orig.event_type}, 'replay', ${payload}::jsonb)
        ON CONFLICT (event_id, endpoint_id) WHERE status = 'pending' DO NOTHING
        RETURNING ${deliveryColumns}`,
  );
  if (row) return { delivery: toView(row, []), queued: true };
  const [pending] = await rows<DeliveryRow>(
    ex,
    sql`SELECT ${deliveryColumns} FROM webhook_deliveries WHERE endpoint_id = ${endpoint.id} AND event_id = ${orig.event_id} AND status = 'pending'`,
  );
  return { delivery: toView(pending!, []), queued: false };
}

/**
 * The seed's POST /webhook/inbox/new-message: re-sends a message's `message.created` event to
 * every enabled endpoint that subscribes to it, with the same webhook-id.
 */
export async function resendMessageEvent(ex: Executor, o: { conversationId: string; messageId: string }): Promise<{ eventId: number; queued: number; endpoints: number }> {
  const [message] = await rows<{ message_id: string }>(
    ex,
    sql`SELECT message_id::text AS message_id FROM chatbot_messages WHERE message_id = ${o.messageId} AND conversation_id = ${o.conversationId}`,
  );
  if (!message) throw new AppError('message_not_found', `Message ${o.messageId} not found in conversation ${o.conversationId}`, 404);
  const [event] = await rows<{ id: string | number; type: string }>(
    ex,
    sql`SELECT id, type FROM inbox_events WHERE conversation_id = ${o.conversationId} AND type = 'message.created'
          AND data -> 'message' ->> 'message_id' = ${o.messageId} ORDER BY id LIMIT 1`,
  );
  if (!event) {
    throw new AppError('event_not_found', `The message.created event of message ${o.messageId} is not in the retained event history`, 404);
  }
  const [r] = await rows<{ queued: number; endpoints: number }>(
    ex,
    sql`WITH targets AS (
          SELECT w.id FROM webhook_endpoints w
          WHERE w.enabled AND (w.event_types IS NULL OR w.event_types @> jsonb_build_array(${event.type}::text))
        ), queued AS (
          INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, origin)
          SELECT t.id, ${event.id}, ${event.type}, 'resend' FROM targets t
          ON CONFLICT (event_id, endpoint_id) WHERE status = 'pending' DO NOTHING
          RETURNING 1
        ) SELECT (SELECT count(*)::int FROM queued) AS queued, (SELECT count(*)::int FROM targets) AS endpoints`,
  );
  return { eventId: Number(event.id), queued: r?.queued ?? 0, endpoints: r?.endpoints ?? 0 };
}
