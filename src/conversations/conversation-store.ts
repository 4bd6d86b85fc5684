// Conversations and messages: the only module that writes chatbot_conversations and
// chatbot_messages. Every write commits together with its events (events/event-log.ts).
import { sql } from 'drizzle-orm';
import { rows, type Database, type Executor } from '../db/client.ts';
import { appendEvents, type NewEvent, type StoredEvent } from '../events/event-log.ts';
import { AppError } from '../shared/errors.ts';
import { toIso } from '../shared/time.ts';

export type InboxStatus = 'new' | 'open' | 'pending_human' | 'snoozed' | 'resolved';
export type PriorityLevel = 'urgent' | 'high' | 'normal' | 'low';
export type SenderType = 'customer' | 'ai_assistant' | 'business_rep';
export const priorityRank: Record<PriorityLevel, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export interface ConversationRow {
  conversation_id: string;
  user_identifier: string;
  platform_type: string;
  conversation_started_at: string;
  last_message_at: string;
  is_active: boolean;
  inbox_status: string | null;
  assigned_agent_id: string | null;
  priority_level: string | null;
  tags: string[] | null;
  last_read_at: string | null;
  snoozed_until: string | null;
  handled_by: string;
  session_id: string | null;
  customer_id: string | null;
  customer_name: string | null;
  customer_phone: string | null;
  customer_email: string | null;
  customer_verified: boolean;
  message_count: number | null;
  customer_message_count: number | null;
  last_customer_message_at: string | null;
  waiting_since: string | null;
  priority_manual: boolean;
  priority_reasons: string[];
  sentiment_score: number | null;
  sentiment_label: string | null;
  topics: string[];
  customer_context: unknown;
  summary_text: string | null;
  handoff: Record<string, unknown> | null;
  enriched_at: string | null;
  updated_at: string;
}

export interface MessageRow {
  message_id: string;
  conversation_id: string;
  message_role: string;
  message_content: string;
  executed_function_name: string | null;
  function_input_parameters: unknown;
  function_output_result: unknown;
  function_execution_status: string | null;
  message_created_at: string;
  sender_type: string | null;
  sender_name: string | null;
  is_internal_note: boolean;
  components: unknown;
  idempotency_key: string | null;
}

/** The message as every API shows it. `content` is exactly what is stored. */
export interface ApiMessage {
  message_id: string;
  conversation_id: string;
  role: string;
  sender_type: SenderType | null;
  sender_name: string | null;
  content: string;
  components: unknown[] | null;
  function_name: string | null;
  function_input: unknown;
  function_output: unknown;
  function_status: string | null;
  is_internal_note: boolean;
  created_at: string;
}

/** Legacy rows have no sender_type: derive it from the role so old and new rows read alike. */
export function senderTypeOf(m: Pick<MessageRow, 'sender_type' | 'message_role'>): SenderType {
  if (m.sender_type === 'customer' || m.sender_type === 'ai_assistant' || m.sender_type === 'business_rep') return m.sender_type;
  return m.message_role === 'user' ? 'customer' : 'ai_assistant';
}

export function toApiMessage(m: MessageRow): ApiMessage {
  return {
    message_id: m.message_id,
    conversation_id: m.conversation_id,
    role: m.message_role,
    sender_type: senderTypeOf(m),
    sender_name: m.sender_name,
    content: m.message_content,
    components: Array.isArray(m.components) ? m.components : null,
    function_name: m.executed_function_name,
    function_input: m.function_input_parameters ?? null,
    function_output: m.function_output_result ?? null,
    function_status: m.function_execution_status,
    is_internal_note: m.is_internal_note,
    created_at: toIso(m.message_created_at)!,
  };
}

const conversationColumns = sql.raw(`conversation_id::text AS conversation_id, user_identifier, platform_type,
  conversation_started_at::text AS conversation_started_at, last_message_at::text AS last_message_at, is_active,
  inbox_status, assigned_agent_id::text AS assigned_agent_id, priority_level, tags, last_read_at, snoozed_until, handled_by,
  session_id, customer_id, customer_name, customer_phone, customer_email, customer_verified, message_count,
  customer_message_count, last_customer_message_at::text AS last_customer_message_at, waiting_since::text AS waiting_since,
  priority_manual, priority_reasons, sentiment_score, sentiment_label, topics, customer_context, summary_text, handoff,
  enriched_at, updated_at`);

export const messageColumns = sql.raw(`message_id::text AS message_id, conversation_id::text AS conversation_id, message_role,
  message_content, executed_function_name, function_input_parameters, function_output_result, function_execution_status,
  message_created_at::text AS message_created_at, sender_type, sender_name, is_internal_note, components, idempotency_key`);

export async function getConversation(ex: Executor, id: string, opts: { forUpdate?: boolean } = {}): Promise<ConversationRow | undefined> {
  const lock = opts.forUpdate ? sql` FOR UPDATE` : sql``;
  const [row] = await rows<ConversationRow>(ex, sql`SELECT ${conversationColumns} FROM chatbot_conversations WHERE conversation_id = ${id}${lock}`);
  return row;
}

export async function requireConversation(ex: Executor, id: string, opts: { forUpdate?: boolean } = {}): Promise<ConversationRow> {
  const c = await getConversation(ex, id, opts);
  if (!c) throw new AppError('conversation_not_found', `Conversation ${id} not found`, 404);
  return c;
}

/** 404 unless the conversation exists; reads nothing else (for routes that only need to know). */
export async function assertConversationExists(ex: Executor, id: string): Promise<void> {
  const [row] = await rows<{ one: number }>(ex, sql`SELECT 1 AS one FROM chatbot_conversations WHERE conversation_id = ${id}`);
  if (!row) throw new AppError('conversation_not_found', `Conversation ${id} not found`, 404);
}

export async function findConversationBySession(ex: Executor, sessionId: string): Promise<ConversationRow | undefined> {
  // No stored session id can hold U+0000 (PostgreSQL text cannot), and callers may pass a raw
  // query value (a list when the key is repeated): such input names no session, rather than
  // failing in the database as a 500.
  if (typeof sessionId !== 'string' || sessionId.includes('\u0000')) return undefined;
  const [row] = await rows<ConversationRow>(ex, sql`SELECT ${conversationColumns} FROM chatbot_conversations WHERE session_id = ${sessionId}`);
  return row;
}

/**
 * The original keyed conversations by (user_identifier, platform_type), one active per pair.
 * Adopted rows hold identifiers as typed (e.g. 404-555-0142), so both forms are matched.
 */
export async function findActiveConversation(ex: Executor, identifiers: string[], platform: string): Promise<ConversationRow | undefined> {
  const [row] = await rows<ConversationRow>(
    ex,
    sql`SELECT ${conversationColumns} FROM chatbot_conversations
        WHERE user_identifier IN (${sql.join(identifiers.map((i) => sql`${i}`), sql`, `)}) AND platform_type = ${platform} AND is_active
        ORDER BY last_message_at DESC LIMIT 1`,
  );
  return row;
}

export async function findConversationsByIdentifier(ex: Executor, identifiers: string[]): Promise<ConversationRow[]> {
  return rows<ConversationRow>(
    ex,
    sql`SELECT ${conversationColumns} FROM chatbot_conversations
        WHERE user_identifier IN (${sql.join(identifiers.map((i) => sql`${i}`), sql`, `)})
        ORDER BY is_active DESC, last_message_at DESC LIMIT 1`,
  );
}

export interface NewConversation {
  userIdentifier: string;
  platformType: string;
  sessionId?: string | null;
  customer?: { customer_id: string; name?: string; phone?: string; email?: string; verified: boolean } | null;
}

export async function createConversation(tx: Executor, input: NewConversation): Promise<{ conversation: ConversationRow; events: NewEvent[] }> {
  const c = input.customer;
  const [row] = await rows<ConversationRow>(
    tx,
    sql`INSERT INTO chatbot_conversations (user_identifier, platform_type, conversation_started_at, last_message_at, session_id,
          customer_id, customer_name, customer_phone, customer_email, customer_verified, message_count, customer_message_count)
        VALUES (${input.userIdentifier}, ${input.platformType}, clock_timestamp(), clock_timestamp(), ${input.sessionId ?? null},
          ${c?.customer_id ?? null}, ${c?.name ?? null}, ${c?.phone ?? null}, ${c?.email ?? null}, ${c?.verified ?? false}, 0, 0)
        RETURNING ${conversationColumns}`,
  );
  const conversation = row!;
  return {
    conversation,
    events: [{ type: 'conversation.created', conversationId: conversation.conversation_id, data: { conversation: conversationSnapshot(conversation) } }],
  };
}

/** A compact conversation view used inside event data. */
export function conversationSnapshot(c: ConversationRow) {
  return {
    conversation_id: c.conversation_id,
    user_identifier: c.user_identifier,
    platform_type: c.platform_type,
    inbox_status: c.inbox_status ?? 'new',
    handled_by: c.handled_by,
    priority_level: c.priority_level ?? 'normal',
    assigned_agent_id: c.assigned_agent_id,
    customer_id: c.customer_verified ? c.customer_id : null,
  };
}

export interface NewMessage {
  conversationId: string;
  role: 'user' | 'assistant' | 'tool';
  senderType: SenderType;
  senderName?: string | null;
  content: string;
  functionName?: string | null;
  functionInput?: unknown;
  functionOutput?: unknown;
  functionStatus?: 'success' | 'error' | null;
  components?: unknown[] | null;
  isInternalNote?: boolean;
  idempotencyKey?: string | null;
}

/**
 * Inserts a message, keeps the conversation's counters and triage state in step, and returns the
 * events to append. A customer message wakes a snoozed or resolved conversation; an assistant or
 * agent reply ends the customer's wait. Internal notes change neither.
 */
export async function insertMessage(tx: Executor, m: NewMessage): Promise<{ message: MessageRow; conversation: ConversationRow; events: NewEvent[] }> {
  const before = await requireConversation(tx, m.conversationId, { forUpdate: true });
  const [message] = await rows<MessageRow>(
    tx,
    sql`INSERT INTO chatbot_messages (conversation_id, message_role, message_content, executed_function_name, function_input_parameters,
          function_output_result, function_execution_status, message_created_at, sender_type, sender_name, is_internal_note, components, idempotency_key)
        VALUES (${m.conversationId}, ${m.role}, ${m.content}, ${m.functionName ?? null}, ${jsonParam(m.functionInput)}::jsonb,
          ${jsonParam(m.functionOutput)}::jsonb, ${m.functionStatus ?? null}, clock_timestamp(), ${m.senderType}, ${m.senderName ?? null},
          ${m.isInternalNote ?? false}, ${jsonParam(m.components)}::jsonb, ${m.idempotencyKey ?? null})
        RETURNING ${messageColumns}`,
  );
  const msg = message!;
  const isCustomer = m.role === 'user';
  const isReply = !isCustomer && !m.isInternalNote && m.role === 'assistant';
  const wakes = isCustomer && (before.inbox_status === 'snoozed' || before.inbox_status === 'resolved');
  const [after] = await rows<ConversationRow>(
    tx,
    sql`UPDATE chatbot_conversations SET
          message_count = coalesce(message_count, 0) + 1,
          last_message_at = CASE WHEN ${m.isInternalNote ?? false} THEN last_message_at ELSE ${msg.message_created_at}::timestamp END,
          customer_message_count = coalesce(customer_message_count, 0) + ${isCustomer ? 1 : 0},
          last_customer_message_at = CASE WHEN ${isCustomer} THEN ${msg.message_created_at}::timestamp ELSE last_customer_message_at END,
          waiting_since = CASE WHEN ${isCustomer} THEN coalesce(waiting_since, ${msg.message_created_at}::timestamp)
                               WHEN ${isReply} THEN NULL ELSE waiting_since END,
          inbox_status = CASE WHEN ${wakes} THEN 'open' ELSE inbox_status END,
          snoozed_until = CASE WHEN ${wakes} THEN NULL ELSE snoozed_until END,
          is_active = CASE WHEN ${isCustomer} THEN true ELSE is_active END,
          updated_at = now()
        WHERE conversation_id = ${m.conversationId}
        RETURNING ${conversationColumns}`,
  );
  const api = toApiMessage(msg);
  const events: NewEvent[] = [
    {
      type: 'message.created',
      conversationId: m.conversationId,
      data: {
        // the seed's notification shape, plus the full message
        conversation_id: m.conversationId,
        source: 'woodstock_ai',
        message: {
          message_id: api.message_id,
          role: api.role,
          sender_type: api.sender_type,
          sender_name: api.sender_name,
          content: api.content,
          function_name: api.function_name,
          components: api.components,
          is_internal_note: api.is_internal_note,
          created_at: api.created_at,
        },
        timestamp: api.created_at,
      },
    },
  ];
  if (wakes) {
    events.push({
      type: 'conversation.updated',
      conversationId: m.conversationId,
      data: { conversation_id: m.conversationId, changes: { inbox_status: { from: before.inbox_status, to: 'open' } }, cause: 'customer_message' },
    });
  }
  return { message: msg, conversation: after!, events };
}

function jsonParam(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

/**
 * Runs `work` in a transaction, appends the events it returns as the last step, and announces
 * them after commit so live readers pick them up at once.
 */
export async function withEvents<T>(
  database: Database,
  work: (tx: Executor) => Promise<{ result: T; events: NewEvent[] }>,
): Promise<{ result: T; events: StoredEvent[] }> {
  let stored: StoredEvent[] = [];
  const result = await database.db.transaction(async (tx) => {
    const out = await work(tx);
    stored = await appendEvents(tx, out.events);
    return out.result;
  });
  if (stored.length > 0) await database.notify('inbox_events', String(stored[stored.length - 1]!.id)).catch(() => {});
  return { result, events: stored };
}

export async function listMessages(
  ex: Executor,
  conversationId: string,
  opts: { limit: number; before?: MessageRow; after?: MessageRow; includeInternal?: boolean },
): Promise<MessageRow[]> {
  const internal = opts.includeInternal === false ? sql`AND NOT is_internal_note` : sql``;
  if (opts.after) {
    // ORDER BY names the table's columns (m.): the bare names would be the ::text output
    // aliases, which no index serves (every message of the conversation read, then sorted).
    return rows<MessageRow>(ex, sql`SELECT ${messageColumns} FROM chatbot_messages m
      WHERE conversation_id = ${conversationId} ${internal}
        AND (message_created_at, message_id) > (${opts.after.message_created_at}::timestamp, ${opts.after.message_id}::uuid)
      ORDER BY m.message_created_at, m.message_id LIMIT ${opts.limit}`);
  }
  const beforeCond = opts.before
    ? sql`AND (message_created_at, message_id) < (${opts.before.message_created_at}::timestamp, ${opts.before.message_id}::uuid)`
    : sql``;
  const latest = await rows<MessageRow>(ex, sql`SELECT ${messageColumns} FROM chatbot_messages m
      WHERE conversation_id = ${conversationId} ${internal} ${beforeCond}
      ORDER BY m.message_created_at DESC, m.message_id DESC LIMIT ${opts.limit}`);
  return latest.reverse();
}

export async function getMessage(ex: Executor, conversationId: string, messageId: string): Promise<MessageRow | undefined> {
  const [m] = await rows<MessageRow>(ex, sql`SELECT ${messageColumns} FROM chatbot_messages WHERE conversation_id = ${conversationId} AND message_id = ${messageId}`);
  return m;
}

export async function findMessageByIdempotencyKey(ex: Executor, conversationId: string, key: string): Promise<MessageRow | undefined> {
  const [m] = await rows<MessageRow>(ex, sql`SELECT ${messageColumns} FROM chatbot_messages WHERE conversation_id = ${conversationId} AND idempotency_key = ${key}`);
  return m;
}
