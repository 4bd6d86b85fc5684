// The event log. Every change the inbox cares about is appended here in the same transaction as
// the change. The id is the cursor and must grow in COMMIT order, or a reader that resumes after
// id X can miss an event that got a smaller id but committed later (the outbox-cursor trap).
// We close that gap by serialising event writers: each writer takes a transaction-scoped advisory
// lock immediately before inserting its events, so the lock is held from id allocation to commit
// and no other writer can allocate an id in between. Writers append events as the last step of
// their transaction to keep the lock short.
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../db/client.ts';

export const EVENT_LOCK = 72_410_002;
export const EVENTS_CHANNEL = 'inbox_events';

export type EventType =
  | 'message.created'
  | 'conversation.created'
  | 'conversation.updated'
  | 'conversation.read'
  | 'conversation.handoff_requested'
  | 'conversation.enriched';

export const eventTypes: EventType[] = [
  'message.created',
  'conversation.created',
  'conversation.updated',
  'conversation.read',
  'conversation.handoff_requested',
  'conversation.enriched',
];

export interface NewEvent {
  type: EventType;
  conversationId: string | null;
  data: Record<string, unknown>;
}

export interface StoredEvent {
  id: number;
  type: EventType;
  conversation_id: string | null;
  data: Record<string, unknown>;
  occurred_at: string;
}

/** Hooks run inside the same transaction after the events are inserted (webhook outbox rows). */
type AfterAppend = (tx: Executor, events: StoredEvent[]) => Promise<void>;
const afterAppendHooks: AfterAppend[] = [];
export function onEventsAppended(hook: AfterAppend): void {
  afterAppendHooks.push(hook);
}

/**
 * Appends events inside the caller's transaction. Call it last in the transaction. After the
 * transaction commits, call `announce()` (events/index.ts) so live readers look right away;
 * polling covers a missed announcement.
 */
export async function appendEvents(tx: Executor, events: NewEvent[]): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${EVENT_LOCK})`);
  const payload = JSON.stringify(events.map((e) => ({ type: e.type, conversation_id: e.conversationId, data: e.data })));
  const inserted = await rows<{ id: string | number; type: EventType; conversation_id: string | null; data: Record<string, unknown>; occurred_at: string | Date }>(
    tx,
    sql`INSERT INTO inbox_events (type, conversation_id, data, occurred_at)
        SELECT e.v->>'type', (e.v->>'conversation_id')::uuid, e.v->'data', clock_timestamp()
        FROM jsonb_array_elements(${payload}::jsonb) WITH ORDINALITY AS e(v, n)
        ORDER BY e.n
        RETURNING id, type, conversation_id, data, occurred_at`,
  );
  const stored = inserted.map(toStoredEvent).sort((a, b) => a.id - b.id);
  for (const hook of afterAppendHooks) await hook(tx, stored);
  return stored;
}

export function toStoredEvent(r: { id: string | number; type: string; conversation_id: string | null; data: unknown; occurred_at: string | Date }): StoredEvent {
  const occurred = r.occurred_at instanceof Date ? r.occurred_at : new Date(String(r.occurred_at).replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  return {
    id: Number(r.id),
    type: r.type as EventType,
    conversation_id: r.conversation_id,
    data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
    occurred_at: occurred.toISOString(),
  };
}

export async function readEvents(executor: Executor, opts: { after: number; limit: number; conversationId?: string; types?: string[] }): Promise<StoredEvent[]> {
  const typeFilter = opts.types && opts.types.length > 0 ? sql`AND type IN (${sql.join(opts.types.map((t) => sql`${t}`), sql`, `)})` : sql``;
  const convFilter = opts.conversationId ? sql`AND conversation_id = ${opts.conversationId}` : sql``;
  const r = await rows<{ id: string; type: string; conversation_id: string | null; data: unknown; occurred_at: string | Date }>(
    executor,
    sql`SELECT id, type, conversation_id, data, occurred_at FROM inbox_events
        WHERE id > ${opts.after} ${convFilter} ${typeFilter}
        ORDER BY id LIMIT ${opts.limit}`,
  );
  return r.map(toStoredEvent);
}

/** The oldest retained id minus one: a cursor below it has lost history (→ reset). */
export async function retentionFloor(executor: Executor): Promise<number> {
  const [r] = await rows<{ min: string | null; max: string | null }>(executor, sql`SELECT min(id) AS min, max(id) AS max FROM inbox_events`);
  return r?.min ? Number(r.min) - 1 : r?.max ? Number(r.max) : 0;
}

export async function latestEventId(executor: Executor): Promise<number> {
  const [r] = await rows<{ max: string | null }>(executor, sql`SELECT max(id) AS max FROM inbox_events`);
  return r?.max ? Number(r.max) : 0;
}

/**
 * Deletes events older than the retention period, and finished webhook deliveries (with their
 * attempts) older than it. An event with a pending delivery is kept until that delivery finishes:
 * the worker reads the body from the event, so retention never loses a delivery.
 */
export async function cleanupEvents(executor: Executor, retentionDays: number): Promise<number> {
  const cutoff = new Date(Date.now() - retentionDays * 86_400_000).toISOString();
  const deleted = await rows<{ id: string }>(
    executor,
    sql`DELETE FROM inbox_events e WHERE occurred_at < ${cutoff}::timestamptz
        AND id < (SELECT max(id) FROM inbox_events)
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'pending')
        RETURNING id`,
  );
  await executor.execute(sql`WITH old AS (
      DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < ${cutoff}::timestamptz RETURNING id
    ) DELETE FROM webhook_attempts a USING old WHERE a.delivery_id = old.id`);
  return deleted.length;
}
