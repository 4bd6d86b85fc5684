// Inbox actions on a conversation: status (with snooze), assignee, priority, tags, who handles
// it, read state, and human replies. Each commits with a conversation.updated / conversation.read
// / message.created event describing exactly what changed.
import { sql } from 'drizzle-orm';
import { rows, type Database, type Executor } from '../db/client.ts';
import type { NewEvent } from '../events/event-log.ts';
import { AppError } from '../shared/errors.ts';
import { computedPriorityOf } from '../enrichment/enricher.ts';
import {
  findMessageByIdempotencyKey,
  insertMessage,
  priorityRank,
  requireConversation,
  withEvents,
  type ConversationRow,
  type InboxStatus,
  type MessageRow,
  type PriorityLevel,
} from './conversation-store.ts';

export interface ConversationPatch {
  inbox_status?: InboxStatus;
  snoozed_until?: string | null;
  assigned_agent_id?: string | null;
  /** null clears an agent's manual priority and gives the computed one back */
  priority_level?: PriorityLevel | null;
  /** an array replaces the tags; {add, remove} edits them */
  tags?: string[] | { add?: string[]; remove?: string[] };
  handled_by?: 'bot' | 'human';
}

type Changes = Record<string, { from: unknown; to: unknown }>;

async function agentExists(ex: Executor, agentId: string): Promise<boolean> {
  const r = await rows<{ n: number }>(ex, sql`SELECT count(*)::int AS n FROM inbox_agents WHERE agent_id = ${agentId}::uuid`);
  return (r[0]?.n ?? 0) > 0;
}

export async function updateConversation(database: Database, id: string, patch: ConversationPatch, actor: { agent_id: string | null; name: string }): Promise<ConversationRow> {
  const { result } = await withEvents(database, async (tx) => {
    const before = await requireConversation(tx, id, { forUpdate: true });
    const set: Record<string, unknown> = {};
    const changes: Changes = {};
    const change = (field: string, from: unknown, to: unknown) => {
      if (JSON.stringify(from) === JSON.stringify(to)) return;
      changes[field] = { from, to };
      set[field] = to;
    };

    if (patch.inbox_status !== undefined) {
      if (patch.inbox_status === 'snoozed') {
        const until = patch.snoozed_until ?? null;
        if (!until) throw new AppError('validation_failed', 'snoozed_until is required when inbox_status is snoozed', 400);
        if (new Date(until).getTime() <= Date.now()) throw new AppError('validation_failed', 'snoozed_until must be in the future', 400);
        change('snoozed_until', before.snoozed_until ? new Date(before.snoozed_until).toISOString() : null, new Date(until).toISOString());
      } else if (before.snoozed_until) {
        change('snoozed_until', new Date(before.snoozed_until).toISOString(), null);
      }
      change('inbox_status', before.inbox_status ?? 'new', patch.inbox_status);
      // Resolving returns the conversation to the assistant.
      if (patch.inbox_status === 'resolved' && patch.handled_by === undefined) change('handled_by', before.handled_by, 'bot');
    } else if (patch.snoozed_until !== undefined) {
      if (before.inbox_status !== 'snoozed') throw new AppError('validation_failed', 'snoozed_until can only be set together with inbox_status=snoozed or on a snoozed conversation', 400);
      if (!patch.snoozed_until || new Date(patch.snoozed_until).getTime() <= Date.now()) throw new AppError('validation_failed', 'snoozed_until must be in the future', 400);
      change('snoozed_until', before.snoozed_until ? new Date(before.snoozed_until).toISOString() : null, new Date(patch.snoozed_until).toISOString());
    }

    if (patch.assigned_agent_id !== undefined) {
      if (patch.assigned_agent_id !== null && !(await agentExists(tx, patch.assigned_agent_id))) {
        throw new AppError('agent_not_found', `No agent ${patch.assigned_agent_id}`, 400);
      }
      change('assigned_agent_id', before.assigned_agent_id, patch.assigned_agent_id);
    }

    if (patch.priority_level !== undefined) {
      if (patch.priority_level === null) {
        change('priority_manual', before.priority_manual, false);
        // Clearing a manual priority gives the computed one back at once.
        const computed = computedPriorityOf(before);
        if (computed) {
          change('priority_level', before.priority_level ?? 'normal', computed.level);
          change('priority_reasons', before.priority_reasons ?? [], computed.reasons);
        }
      } else {
        change('priority_level', before.priority_level ?? 'normal', patch.priority_level);
        change('priority_manual', before.priority_manual, true);
      }
    }

    if (patch.tags !== undefined) {
      const current = Array.isArray(before.tags) ? before.tags : [];
      let next: string[];
      if (Array.isArray(patch.tags)) next = patch.tags;
      else {
        // Tags are stored trimmed and lower-cased, so add and remove compare the same way.
        const norm = (t: string) => t.trim().toLowerCase();
        const remove = new Set((patch.tags.remove ?? []).map(norm));
        next = [...current.filter((t) => !remove.has(norm(t))), ...(patch.tags.add ?? []).map(norm).filter((t) => !current.includes(t) && !remove.has(t))];
      }
      next = [...new Set(next.map((t) => t.trim().toLowerCase()).filter(Boolean))];
      change('tags', current, next);
    }

    if (patch.handled_by !== undefined) {
      change('handled_by', before.handled_by, patch.handled_by);
      // Handing back to the bot ends a pending handoff.
      if (patch.handled_by === 'bot' && patch.inbox_status === undefined && before.inbox_status === 'pending_human') change('inbox_status', 'pending_human', 'open');
    }

    if (Object.keys(changes).length === 0) return { result: before, events: [] };
    const assignments = Object.entries(set).map(([k, v]) => {
      if (k === 'tags') return sql`tags = ${JSON.stringify(v)}::jsonb`;
      if (k === 'snoozed_until') return sql`snoozed_until = ${v as string | null}::timestamptz`;
      if (k === 'assigned_agent_id') return sql`assigned_agent_id = ${v as string | null}::uuid`;
      if (k === 'priority_level') return sql`priority_level = ${v as string}, priority_rank = ${priorityRank[v as PriorityLevel]}`;
      if (k === 'priority_reasons') return sql`priority_reasons = ${JSON.stringify(v)}::jsonb`;
      return sql`${sql.identifier(k)} = ${v}`;
    });
    await tx.execute(sql`UPDATE chatbot_conversations SET ${sql.join(assignments, sql`, `)}, updated_at = now() WHERE conversation_id = ${id}`);
    const after = await requireConversation(tx, id);
    const visible = { ...changes };
    delete visible.priority_manual;
    const events: NewEvent[] = [{ type: 'conversation.updated', conversationId: id, data: { conversation_id: id, changes: Object.keys(visible).length ? visible : changes, actor } }];
    return { result: after, events };
  });
  return result;
}

export async function markRead(database: Database, id: string, read: boolean, actor: { agent_id: string | null; name: string }): Promise<ConversationRow> {
  const { result } = await withEvents(database, async (tx) => {
    const before = await requireConversation(tx, id, { forUpdate: true });
    if (read) {
      await tx.execute(sql`UPDATE chatbot_conversations SET last_read_at = clock_timestamp(), updated_at = now() WHERE conversation_id = ${id}`);
    } else {
      // Unread again from the latest customer message on (or everything, if there is none).
      await tx.execute(sql`UPDATE chatbot_conversations
        SET last_read_at = CASE WHEN last_customer_message_at IS NULL THEN NULL ELSE (last_customer_message_at - interval '1 microsecond') AT TIME ZONE 'UTC' END,
            updated_at = now() WHERE conversation_id = ${id}`);
    }
    const after = await requireConversation(tx, id);
    return {
      result: after,
      events: [{ type: 'conversation.read', conversationId: id, data: { conversation_id: id, read, last_read_at: after.last_read_at ? new Date(after.last_read_at).toISOString() : null, previous_last_read_at: before.last_read_at ? new Date(before.last_read_at).toISOString() : null, actor } }],
    };
  });
  return result;
}

export interface AgentReply {
  content: string;
  sender_name?: string | null;
  is_internal_note?: boolean;
  idempotency_key?: string | null;
}

/**
 * A human agent's reply or internal note. A reply takes the conversation over (handled_by=human,
 * the assistant stays quiet) and, if nobody has it, assigns it to the replying agent.
 * The same Idempotency-Key returns the first message and stores nothing new.
 */
export async function postAgentMessage(database: Database, id: string, reply: AgentReply, actor: { agent_id: string | null; name: string }): Promise<{ message: MessageRow; created: boolean }> {
  if (reply.idempotency_key) {
    await requireConversation(database.db, id);
    const existing = await findMessageByIdempotencyKey(database.db, id, reply.idempotency_key);
    if (existing) return { message: existing, created: false };
  }
  try {
    const { result } = await withEvents(database, async (tx) => {
      const before = await requireConversation(tx, id, { forUpdate: true });
      const r = await insertMessage(tx, {
        conversationId: id,
        role: 'assistant',
        senderType: 'business_rep',
        senderName: reply.sender_name ?? actor.name,
        content: reply.content,
        isInternalNote: reply.is_internal_note ?? false,
        idempotencyKey: reply.idempotency_key ?? null,
      });
      const events = [...r.events];
      if (!reply.is_internal_note) {
        const changes: Changes = {};
        const sets = [];
        if (before.handled_by !== 'human') {
          changes.handled_by = { from: before.handled_by, to: 'human' };
          sets.push(sql`handled_by = 'human'`);
        }
        const status = before.inbox_status ?? 'new';
        if (status === 'new' || status === 'pending_human' || status === 'snoozed') {
          changes.inbox_status = { from: status, to: 'open' };
          sets.push(sql`inbox_status = 'open', snoozed_until = NULL`);
        }
        if (!before.assigned_agent_id && actor.agent_id) {
          changes.assigned_agent_id = { from: null, to: actor.agent_id };
          sets.push(sql`assigned_agent_id = ${actor.agent_id}::uuid`);
        }
        if (sets.length > 0) {
          await tx.execute(sql`UPDATE chatbot_conversations SET ${sql.join(sets, sql`, `)} WHERE conversation_id = ${id}`);
          events.push({ type: 'conversation.updated', conversationId: id, data: { conversation_id: id, changes, actor, cause: 'agent_reply' } });
        }
      }
      return { result: r.message, events };
    });
    return { message: result, created: true };
  } catch (err) {
    // Two retries with the same key raced: the other one stored it.
    if (reply.idempotency_key && /duplicate key|unique/i.test((err as Error).message)) {
      const existing = await findMessageByIdempotencyKey(database.db, id, reply.idempotency_key);
      if (existing) return { message: existing, created: false };
    }
    throw err;
  }
}

/** Snoozed conversations whose time has come go back to open, by themselves. */
export async function wakeSnoozed(database: Database): Promise<number> {
  const due = await rows<{ conversation_id: string }>(
    database.db,
    sql`SELECT conversation_id::text AS conversation_id FROM chatbot_conversations WHERE inbox_status = 'snoozed' AND snoozed_until <= now() LIMIT 500`,
  );
  let woken = 0;
  for (const { conversation_id: id } of due) {
    await withEvents(database, async (tx) => {
      const c = await requireConversation(tx, id, { forUpdate: true });
      if (c.inbox_status !== 'snoozed' || !c.snoozed_until || new Date(c.snoozed_until).getTime() > Date.now()) return { result: null, events: [] };
      await tx.execute(sql`UPDATE chatbot_conversations SET inbox_status = 'open', snoozed_until = NULL, updated_at = now() WHERE conversation_id = ${id}`);
      woken++;
      return {
        result: null,
        events: [{ type: 'conversation.updated', conversationId: id, data: { conversation_id: id, changes: { inbox_status: { from: 'snoozed', to: 'open' }, snoozed_until: { from: new Date(c.snoozed_until).toISOString(), to: null } }, cause: 'snooze_expired' } }],
      };
    });
  }
  return woken;
}
