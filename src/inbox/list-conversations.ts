// The inbox list: filters, sorts, counts and pagination over chatbot_conversations.
//
// Cursor walks are stable while messages arrive: the first page fixes a snapshot time (as_of),
// conversations created after it are left out, and a conversation that changed after it is
// ordered by its last message AT as_of (looked up only for those few rows). So a walk sorted by
// last_message_at or created_at neither skips nor repeats a conversation. The priority and
// waiting_since sorts are keyset-paginated too, but a conversation whose priority or wait
// changes mid-walk may move across the cursor (documented in docs/inbox-integration.md).
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '../db/client.ts';
import type { ConversationRow } from '../conversations/conversation-store.ts';
import { AppError } from '../shared/errors.ts';

export type SortKey = 'last_message_at' | 'priority' | 'waiting_since' | 'created_at';

export interface ListFilters {
  platform?: string[];
  status?: string[];
  assignedAgentId?: string; // uuid or 'unassigned'
  priority?: string[];
  tags?: string[];
  unread?: boolean;
  activeOnly: boolean;
  updatedSince?: string;
  q?: string;
  handledBy?: string;
  lastMessageSince?: string;
  ids?: string[];
}

export interface ListOptions {
  filters: ListFilters;
  sort: SortKey;
  limit: number;
  cursor?: string;
  offset?: number;
  /** false skips the counts query (single-conversation reads) */
  withCounts?: boolean;
}

interface Cursor {
  s: SortKey;
  a: string; // as_of, a UTC timestamp text with microseconds
  v: string | number | null; // the sort value of the last row
  t?: string | null; // tie-break time (priority sort)
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

/**
 * A timestamp as PostgreSQL prints one (2026-11-25 16:40:12.004123) that is a real calendar time.
 * Cursor fields go into SQL as ::timestamp, so anything else must be refused here as a 400; a
 * shape-only check let a forged cursor (v: {}, 2026-13-45 ...) fail in the database as a 500.
 */
function isTimestampText(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(\.\d{1,6})?$/.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1000 && day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60 && se < 60;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(raw: string, sort: SortKey): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (typeof c !== 'object' || !c || typeof c.id !== 'string' || !UUID.test(c.id) || !isTimestampText(c.a)) throw new Error('shape');
    if (c.s !== sort) throw new AppError('invalid_cursor', `This cursor was made for sort=${c.s}; keep the same sort while paging`, 400);
    // The sort value as listConversations writes it: a priority rank and the tie-break time, an
    // 'infinity' waiting time (nobody waiting), or a timestamp.
    const v: unknown = c.v;
    const valueOk = sort === 'priority'
      ? typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= 1000 && isTimestampText(c.t)
      : isTimestampText(v) || (sort === 'waiting_since' && v === 'infinity');
    if (!valueOk) throw new Error('value');
    return c;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('invalid_cursor', 'cursor is not valid: pass next_cursor from the previous page unchanged', 400);
  }
}

/** The WHERE clauses shared by the list and its counts (status is applied to the list only). */
function filterClauses(f: ListFilters): SQL[] {
  const where: SQL[] = [];
  if (f.activeOnly) where.push(sql`c.is_active`);
  if (f.platform?.length) where.push(sql`c.platform_type IN (${sql.join(f.platform.map((p) => sql`${p}`), sql`, `)})`);
  if (f.assignedAgentId === 'unassigned') where.push(sql`c.assigned_agent_id IS NULL`);
  else if (f.assignedAgentId) where.push(sql`c.assigned_agent_id = ${f.assignedAgentId}::uuid`);
  if (f.priority?.length) where.push(sql`coalesce(c.priority_level, 'normal') IN (${sql.join(f.priority.map((p) => sql`${p}`), sql`, `)})`);
  if (f.tags?.length) where.push(sql`coalesce(c.tags, '[]'::jsonb) @> ${JSON.stringify(f.tags)}::jsonb`);
  if (f.unread === true) where.push(unreadCondition);
  if (f.unread === false) where.push(sql`NOT (${unreadCondition})`);
  if (f.updatedSince) where.push(sql`c.updated_at >= ${f.updatedSince}::timestamptz`);
  if (f.lastMessageSince) where.push(sql`c.last_message_at >= ${f.lastMessageSince}::timestamp`);
  if (f.ids?.length) where.push(sql`c.conversation_id IN (${sql.join(f.ids.map((i) => sql`${i}::uuid`), sql`, `)})`);
  if (f.handledBy) where.push(sql`c.handled_by = ${f.handledBy}`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(sql`(
      c.conversation_id IN (${matchingConversations(f.q)})
      OR c.user_identifier ILIKE ${like} OR c.customer_name ILIKE ${like} OR c.customer_email ILIKE ${like}
      OR c.customer_phone ILIKE ${like} OR c.customer_id ILIKE ${like})`);
  }
  return where;
}

/**
 * Conversations whose messages match `q`. Plain words (the usual inbox search) are looked up in
 * conversation_terms: a conversation matches when its messages hold every word — one index range
 * per word, however common the word. A quoted phrase, OR, or -word needs the message text itself
 * (word order, exclusion), so those are matched message by message with the full-text index:
 * one message must match the whole query.
 */
export function matchingConversations(q: string): SQL {
  const plain = !/["]|(^|\s)-\S|(^|\s)or(\s|$)/i.test(q);
  if (plain) {
    return sql`SELECT ct.conversation_id FROM conversation_terms ct
      WHERE ct.term IN (SELECT DISTINCT w.lexeme FROM unnest(to_tsvector('simple', ${q})) w)
      GROUP BY ct.conversation_id
      HAVING count(*) = (SELECT count(DISTINCT w.lexeme) FROM unnest(to_tsvector('simple', ${q})) w)`;
  }
  return sql`SELECT m.conversation_id FROM chatbot_messages m
    WHERE to_tsvector('simple', m.message_content) @@ websearch_to_tsquery('simple', ${q})`;
}

const unreadCondition = sql`(c.last_customer_message_at IS NOT NULL AND (c.last_read_at IS NULL OR c.last_customer_message_at > c.last_read_at))`;

const statusExpr = sql`coalesce(c.inbox_status, 'new')`;

export interface ListedConversation extends ConversationRow {
  unread_count: number;
  /** what enrichment learnt about the customer (from function results or LOFT), possibly only claimed */
  ctx_customer_id: string | null;
  ctx_name: string | null;
  ctx_phone: string | null;
  ctx_email: string | null;
  last_message_id: string | null;
  last_message_role: string | null;
  last_message_sender_type: string | null;
  last_message_content: string | null;
  last_message_created_at: string | null;
  sort_value: string | number | null;
  sort_time: string | null;
}

export interface ListResult {
  rows: ListedConversation[];
  nextCursor: string | null;
  counts: Record<string, number>;
}

export async function listConversations(ex: Executor, opts: ListOptions): Promise<ListResult> {
  const cursor = opts.cursor ? decodeCursor(opts.cursor, opts.sort) : undefined;
  const [{ as_of: asOfNow }] = cursor ? [{ as_of: cursor.a }] : await rows<{ as_of: string }>(ex, sql`SELECT (clock_timestamp() AT TIME ZONE 'UTC')::text AS as_of`);
  const asOf = cursor?.a ?? asOfNow!;

  const base = filterClauses(opts.filters);
  const listWhere = [...base];
  if (opts.filters.status?.length) listWhere.push(sql`${statusExpr} IN (${sql.join(opts.filters.status.map((s) => sql`${s}`), sql`, `)})`);

  // Snapshot: the walk sees the conversations that existed at as_of, at their as_of position.
  const usesSnapshot = opts.offset === undefined;
  if (usesSnapshot) listWhere.push(sql`c.conversation_started_at <= ${asOf}::timestamp`);
  const lastAt = usesSnapshot
    ? sql`(CASE WHEN c.last_message_at <= ${asOf}::timestamp THEN c.last_message_at
             ELSE coalesce((SELECT max(m.message_created_at) FROM chatbot_messages m
                            WHERE m.conversation_id = c.conversation_id AND NOT m.is_internal_note
                              AND m.message_created_at <= ${asOf}::timestamp), c.conversation_started_at) END)`
    : sql`c.last_message_at`;

  let sortValue: SQL;
  let order: SQL;
  let after: SQL | undefined;
  switch (opts.sort) {
    case 'created_at':
      sortValue = sql`c.conversation_started_at`;
      order = sql`c.conversation_started_at DESC, c.conversation_id DESC`;
      if (cursor) after = sql`(c.conversation_started_at, c.conversation_id) < (${cursor.v}::timestamp, ${cursor.id}::uuid)`;
      break;
    case 'priority':
      sortValue = sql`c.priority_rank`;
      order = sql`c.priority_rank ASC, ${lastAt} DESC, c.conversation_id DESC`;
      if (cursor) {
        after = sql`(c.priority_rank > ${Number(cursor.v)} OR (c.priority_rank = ${Number(cursor.v)} AND (${lastAt}, c.conversation_id) < (${cursor.t}::timestamp, ${cursor.id}::uuid)))`;
      }
      break;
    case 'waiting_since':
      // Longest-waiting first; conversations nobody is waiting on come last.
      sortValue = sql`coalesce(c.waiting_since, 'infinity'::timestamp)`;
      order = sql`coalesce(c.waiting_since, 'infinity'::timestamp) ASC, c.conversation_id ASC`;
      if (cursor) after = sql`(coalesce(c.waiting_since, 'infinity'::timestamp), c.conversation_id) > (${cursor.v}::timestamp, ${cursor.id}::uuid)`;
      break;
    default:
      sortValue = lastAt;
      order = sql`${lastAt} DESC, c.conversation_id DESC`;
      if (cursor) after = sql`(${lastAt}, c.conversation_id) < (${cursor.v}::timestamp, ${cursor.id}::uuid)`;
  }
  if (after) listWhere.push(after);
  const whereSql = listWhere.length ? sql`WHERE ${sql.join(listWhere, sql` AND `)}` : sql``;
  const countWhere = base.length ? sql`WHERE ${sql.join(base, sql` AND `)}` : sql``;

  const limit = opts.limit;
  const offset = opts.offset ?? 0;
  // Two steps: pick the page first (filters, order, limit: conversation columns only), then look
  // up the last message and the unread count for just those rows. In one step PostgreSQL ran the
  // lateral last-message lookup and the unread subplan for every matching conversation before
  // keeping the first 51 (1,774 lookups for the default list at 10× production).
  const listQuery = sql`
    WITH page AS (
      SELECT c.conversation_id, (${sortValue})::text AS sort_value, (${lastAt})::text AS sort_time,
        row_number() OVER (ORDER BY ${order}) AS rn
      FROM chatbot_conversations c
      ${whereSql}
      ORDER BY ${order}
      LIMIT ${limit + 1} OFFSET ${offset}
    )
    SELECT c.conversation_id::text AS conversation_id, c.user_identifier, c.platform_type,
      c.conversation_started_at::text AS conversation_started_at, c.last_message_at::text AS last_message_at, c.is_active,
      c.inbox_status, c.assigned_agent_id::text AS assigned_agent_id, c.priority_level, c.tags, c.last_read_at, c.snoozed_until,
      c.handled_by, c.session_id, c.customer_id, c.customer_name, c.customer_phone, c.customer_email, c.customer_verified,
      c.message_count, c.customer_message_count, c.last_customer_message_at::text AS last_customer_message_at,
      c.waiting_since::text AS waiting_since, c.priority_manual, c.priority_reasons, c.sentiment_score, c.sentiment_label,
      c.topics, c.handoff, c.summary_text, c.enriched_at, c.updated_at,
      c.customer_context->>'customer_id' AS ctx_customer_id, c.customer_context->>'name' AS ctx_name,
      c.customer_context->>'phone' AS ctx_phone, c.customer_context->>'email' AS ctx_email,
      p.sort_value, p.sort_time,
      CASE WHEN c.last_customer_message_at IS NULL THEN 0
           WHEN c.last_read_at IS NULL THEN coalesce(c.customer_message_count, 0)
           WHEN c.last_customer_message_at <= c.last_read_at THEN 0
           ELSE (SELECT count(*)::int FROM chatbot_messages um WHERE um.conversation_id = c.conversation_id
                 AND um.message_role = 'user' AND um.message_created_at > c.last_read_at) END AS unread_count,
      lm.message_id AS last_message_id, lm.message_role AS last_message_role, lm.sender_type AS last_message_sender_type,
      left(lm.message_content, 600) AS last_message_content, lm.message_created_at AS last_message_created_at
    FROM page p
    JOIN chatbot_conversations c ON c.conversation_id = p.conversation_id
    LEFT JOIN LATERAL (
      SELECT m.message_id::text AS message_id, m.message_role, m.sender_type, m.message_content, m.message_created_at::text AS message_created_at
      FROM chatbot_messages m WHERE m.conversation_id = c.conversation_id AND NOT m.is_internal_note AND m.message_role <> 'tool'
      ORDER BY m.message_created_at DESC, m.message_id DESC LIMIT 1
    ) lm ON true
    ORDER BY p.rn`;

  const countQuery = sql`
    SELECT count(*)::int AS total,
      count(*) FILTER (WHERE ${statusExpr} = 'new')::int AS new,
      count(*) FILTER (WHERE ${statusExpr} = 'open')::int AS open,
      count(*) FILTER (WHERE ${statusExpr} = 'pending_human')::int AS pending_human,
      count(*) FILTER (WHERE ${statusExpr} = 'snoozed')::int AS snoozed,
      count(*) FILTER (WHERE ${statusExpr} = 'resolved')::int AS resolved,
      count(*) FILTER (WHERE c.assigned_agent_id IS NULL)::int AS unassigned,
      count(*) FILTER (WHERE ${unreadCondition})::int AS unread
    FROM chatbot_conversations c ${countWhere}`;

  const [list, counts] = await Promise.all([
    rows<ListedConversation>(ex, listQuery),
    opts.withCounts === false ? Promise.resolve([]) : rows<Record<string, number>>(ex, countQuery),
  ]);
  const hasMore = list.length > limit;
  const page = hasMore ? list.slice(0, limit) : list;
  let nextCursor: string | null = null;
  if (hasMore && opts.offset === undefined) {
    const last = page[page.length - 1]!;
    nextCursor = encodeCursor({ s: opts.sort, a: asOf, v: opts.sort === 'priority' ? Number(last.sort_value) : last.sort_value, t: last.sort_time, id: last.conversation_id });
  }
  return { rows: page, nextCursor, counts: counts[0] ?? {} };
}
