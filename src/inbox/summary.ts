// The conversation summary the seed asked for: customer info, functions used, key topics,
// sentiment, priority with its reasons, and the handoff when there is one. Enrichment
// (src/enrichment) keeps the stored fields current; this module assembles them.
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../db/client.ts';
import { requireConversation, type ConversationRow } from '../conversations/conversation-store.ts';
import { toIso } from '../shared/time.ts';

export interface FunctionUse {
  name: string;
  count: number;
  successes: number;
  failures: number;
  last_used_at: string | null;
}

export async function functionsUsed(ex: Executor, conversationId: string): Promise<FunctionUse[]> {
  const r = await rows<{ name: string; count: number; successes: number; failures: number; last_used_at: string | null }>(
    ex,
    sql`SELECT executed_function_name AS name, count(*)::int AS count,
          count(*) FILTER (WHERE function_execution_status = 'success')::int AS successes,
          count(*) FILTER (WHERE function_execution_status = 'error')::int AS failures,
          max(message_created_at)::text AS last_used_at
        FROM chatbot_messages WHERE conversation_id = ${conversationId} AND executed_function_name IS NOT NULL
        GROUP BY executed_function_name ORDER BY max(message_created_at) DESC`,
  );
  return r.map((f) => ({ ...f, last_used_at: toIso(f.last_used_at) }));
}

export function customerInfo(c: ConversationRow) {
  const context = (c.customer_context ?? {}) as Record<string, unknown>;
  return {
    identity: c.customer_verified ? 'verified' : c.customer_id || c.customer_phone || c.customer_email ? 'claimed' : 'unknown',
    customer_id: c.customer_id,
    name: c.customer_name,
    phone: c.customer_phone,
    email: c.customer_email,
    user_identifier: c.user_identifier,
    platform_type: c.platform_type,
    ...context,
  };
}

export async function buildSummary(ex: Executor, conversationId: string) {
  const c = await requireConversation(ex, conversationId);
  const fns = await functionsUsed(ex, conversationId);
  const handoff = c.handoff as Record<string, unknown> | null;
  return {
    conversation_id: c.conversation_id,
    customer_info: customerInfo(c),
    functions_used: fns,
    key_topics: Array.isArray(c.topics) ? c.topics : [],
    sentiment: c.sentiment_label ? { score: Number(c.sentiment_score ?? 0), label: c.sentiment_label } : { score: 0, label: 'neutral' },
    priority_level: c.priority_level ?? 'normal',
    priority_reasons: Array.isArray(c.priority_reasons) ? c.priority_reasons : [],
    priority_manual: c.priority_manual,
    handoff: handoff
      ? { ...handoff, assistant_steps: Array.isArray(handoff.steps_taken) ? handoff.steps_taken : fns.map((f) => f.name) }
      : null,
    summary: c.summary_text ?? null,
    inbox_status: c.inbox_status ?? 'new',
    handled_by: c.handled_by,
    message_count: c.message_count ?? 0,
    waiting_since: toIso(c.waiting_since),
    enriched_at: toIso(c.enriched_at),
  };
}
