// Handing a conversation to the human inbox, for real: handled_by=human, pending_human, a
// priority, the reason and summary, what the assistant already did, and the events that tell
// the inbox. The assistant stays quiet until an agent resolves the conversation or hands it back.
import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Database } from '../db/client.ts';
import type { NewEvent } from '../events/event-log.ts';
import type { HandoffRecord, HandoffRequest } from '../chat/tools/types.ts';
import { conversationSnapshot, priorityRank, requireConversation, withEvents, type PriorityLevel } from './conversation-store.ts';

export async function requestHandoff(database: Database, conversationId: string, request: HandoffRequest): Promise<HandoffRecord> {
  const { result } = await withEvents(database, async (tx) => {
    const before = await requireConversation(tx, conversationId, { forUpdate: true });
    const steps = await rows<{ name: string }>(
      tx,
      sql`SELECT executed_function_name AS name FROM chatbot_messages
          WHERE conversation_id = ${conversationId} AND executed_function_name IS NOT NULL
          ORDER BY message_created_at DESC, message_id DESC LIMIT 20`,
    );
    const stepsTaken = steps.map((s) => s.name).reverse();
    const current = (before.priority_level ?? 'normal') as PriorityLevel;
    // A manual priority set by an agent wins; otherwise the handoff can only raise it.
    const priority: PriorityLevel = before.priority_manual
      ? current
      : priorityRank[request.priority] < priorityRank[current] ? request.priority : current;
    const ticketId = `T-${randomInt(10_000, 99_999)}${randomInt(10, 99)}`;
    const requestedAt = new Date().toISOString();
    const handoff = {
      ticket_id: ticketId,
      kind: request.kind,
      reason: request.reason,
      summary: request.summary,
      priority: request.priority,
      category: request.category ?? null,
      order_id: request.order_id ?? null,
      contact: request.contact ?? null,
      preferred_store: request.preferred_store ?? null,
      requested_at: requestedAt,
      steps_taken: stepsTaken,
    };
    const reasons = [...new Set([...(before.priority_reasons ?? []), request.kind === 'connect' ? 'Customer asked for a person' : `Escalated: ${request.reason}`])];
    const [after] = await rows<{ inbox_status: string }>(
      tx,
      sql`UPDATE chatbot_conversations SET handled_by = 'human', inbox_status = 'pending_human', snoozed_until = NULL,
            priority_level = ${priority}, priority_rank = ${priorityRank[priority]}, priority_reasons = ${JSON.stringify(reasons)}::jsonb,
            handoff = ${JSON.stringify(handoff)}::jsonb, is_active = true, updated_at = now()
          WHERE conversation_id = ${conversationId} RETURNING inbox_status`,
    );
    void after;
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (before.handled_by !== 'human') changes.handled_by = { from: before.handled_by, to: 'human' };
    if (before.inbox_status !== 'pending_human') changes.inbox_status = { from: before.inbox_status, to: 'pending_human' };
    if (before.priority_level !== priority) changes.priority_level = { from: before.priority_level, to: priority };
    const customer = before.customer_verified && before.customer_id
      ? { customer_id: before.customer_id, name: before.customer_name, phone: before.customer_phone, email: before.customer_email }
      : null;
    const events: NewEvent[] = [
      {
        type: 'conversation.handoff_requested',
        conversationId,
        data: { conversation_id: conversationId, ...handoff, priority, customer, conversation: { ...conversationSnapshot(before), handled_by: 'human', inbox_status: 'pending_human', priority_level: priority } },
      },
    ];
    if (Object.keys(changes).length > 0) {
      events.push({ type: 'conversation.updated', conversationId, data: { conversation_id: conversationId, changes, cause: 'handoff' } });
    }
    const record: HandoffRecord = { ticket_id: ticketId, priority, status: 'pending_human', created_at: requestedAt, steps_taken: stepsTaken };
    return { result: record, events };
  });
  return result;
}
