// The conversation summary the seed asked for: customer info, functions used, key topics,
// sentiment, priority with its reasons, the handoff and a short summary. Enrichment
// (src/enrichment) keeps the stored fields current; this module only assembles them, so the
// endpoint costs two small queries whatever the conversation's length.
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../db/client.ts';
import { requireConversation, type ConversationRow } from '../conversations/conversation-store.ts';
import {
  computedPriorityOf,
  FUNCTION_DESCRIPTIONS,
  isTopicId,
  readStoredContext,
  TOPIC_LABELS,
  type StoredContext,
  type TopicDetail,
} from '../enrichment/index.ts';
import { toIso } from '../shared/time.ts';

export type FunctionUse = {
  name: string;
  count: number;
  successes: number;
  failures: number;
  last_used_at: string | null;
};

/**
 * Every function the assistant ran in the conversation: rows that name it (new rows, and legacy
 * rows where the original filled the column) and legacy rows that only carry the
 * `**Function Result (name):**` marker in their text (their outcome is unknown: neither counted
 * as a success nor as a failure).
 */
export async function functionsUsed(ex: Executor, conversationId: string): Promise<FunctionUse[]> {
  const r = await rows<{ name: string; count: number; successes: number; failures: number; last_used_at: string | null }>(
    ex,
    sql`SELECT name, sum(count)::int AS count, sum(successes)::int AS successes, sum(failures)::int AS failures, max(last_used_at)::text AS last_used_at
        FROM (
          SELECT executed_function_name AS name, count(*) AS count,
            count(*) FILTER (WHERE function_execution_status = 'success') AS successes,
            count(*) FILTER (WHERE function_execution_status = 'error') AS failures,
            max(message_created_at) AS last_used_at
          FROM chatbot_messages WHERE conversation_id = ${conversationId} AND executed_function_name IS NOT NULL
          GROUP BY executed_function_name
          UNION ALL
          SELECT m[1] AS name, count(*) AS count, 0 AS successes, 0 AS failures, max(message_created_at) AS last_used_at
          FROM chatbot_messages, regexp_matches(message_content, '\\*\\*Function Result \\(([^)]{1,120})\\):\\*\\*', 'g') AS m
          WHERE conversation_id = ${conversationId} AND executed_function_name IS NULL AND message_role <> 'user'
            AND strpos(message_content, '**Function Result (') > 0
          GROUP BY m[1]
        ) f
        GROUP BY name ORDER BY max(last_used_at) DESC, name`,
  );
  return r.map((f) => ({ ...f, last_used_at: toIso(f.last_used_at) }));
}

/** Who the customer is: verified or only claimed identity, and what enrichment learnt (LOFT, function results). */
export function customerInfo(c: ConversationRow) {
  const ctx = readStoredContext(c.customer_context);
  const identity = c.customer_verified && c.customer_id ? 'verified' : ctx?.identity && ctx.identity !== 'unknown' ? ctx.identity : c.customer_id || c.customer_phone || c.customer_email ? 'claimed' : 'unknown';
  return {
    identity,
    verified: identity === 'verified',
    customer_id: (c.customer_verified ? c.customer_id : null) ?? ctx?.customer_id ?? c.customer_id,
    name: (c.customer_verified ? c.customer_name : null) ?? ctx?.name ?? c.customer_name,
    phone: (c.customer_verified ? c.customer_phone : null) ?? ctx?.phone ?? c.customer_phone,
    email: (c.customer_verified ? c.customer_email : null) ?? ctx?.email ?? c.customer_email,
    city: ctx?.city ?? null,
    state: ctx?.state ?? null,
    lifetime_orders: ctx?.lifetime_orders ?? null,
    lifetime_spend: ctx?.lifetime_spend ?? null,
    high_value: ctx?.high_value ?? false,
    loyalty_tier: ctx?.loyalty_tier ?? null,
    last_order: ctx?.last_order ?? null,
    open_orders: ctx?.open_orders ?? null,
    sources: ctx?.sources ?? [],
    stale: ctx?.stale ?? false,
    loft_checked_at: ctx?.loft_checked_at ?? null,
    user_identifier: c.user_identifier,
    platform_type: c.platform_type,
  };
}

function topicDetails(c: ConversationRow): TopicDetail[] {
  const stored = (c.customer_context as StoredContext | null)?.enrichment?.topics;
  if (Array.isArray(stored) && stored.length > 0) return stored;
  const ids = Array.isArray(c.topics) ? c.topics.filter(isTopicId) : [];
  return ids.map((topic) => ({ topic, label: TOPIC_LABELS[topic], count: 0, last_at: '', relevance: 0, cues: [] }));
}

function describe(name: string): string {
  return FUNCTION_DESCRIPTIONS[name] ?? `used ${name}`;
}

export async function buildSummary(ex: Executor, conversationId: string) {
  const c = await requireConversation(ex, conversationId);
  const fns = await functionsUsed(ex, conversationId);
  const enrichment = (c.customer_context as StoredContext | null)?.enrichment;
  const handoff = c.handoff as Record<string, unknown> | null;
  const steps = handoff && Array.isArray(handoff.steps_taken) ? (handoff.steps_taken as string[]) : [...fns].reverse().map((f) => f.name);
  const computed = computedPriorityOf(c);
  const trend = enrichment?.sentiment_trend ?? 'steady';
  const details = topicDetails(c);
  const totals = fns.reduce(
    (a, f) => ({ calls: a.calls + f.count, successes: a.successes + f.successes, failures: a.failures + f.failures }),
    { calls: 0, successes: 0, failures: 0 },
  );
  return {
    conversation_id: c.conversation_id,
    customer_info: customerInfo(c),
    functions_used: fns,
    functions_summary: { ...totals, distinct: fns.length, last_used_at: fns[0]?.last_used_at ?? null },
    /** topic ids, most relevant first (labels and cues in key_topic_details) */
    key_topics: details.map((d) => d.topic),
    key_topic_details: details.map((d) => ({ topic: d.topic, label: d.label, count: d.count, last_at: d.last_at || null, cues: d.cues })),
    sentiment: c.sentiment_label ? { score: Number(c.sentiment_score ?? 0), label: c.sentiment_label, trend } : { score: 0, label: 'neutral', trend },
    sentiment_trend: trend,
    priority_level: c.priority_level ?? 'normal',
    priority_reasons: Array.isArray(c.priority_reasons) ? c.priority_reasons : [],
    priority_manual: c.priority_manual,
    /** what enrichment computes; differs from priority_level only while an agent's manual priority holds */
    computed_priority: computed,
    handoff: handoff
      ? {
          ...handoff,
          active: c.handled_by === 'human',
          assistant_steps: steps,
          assistant_did: [...new Set(steps.map(describe))],
        }
      : null,
    summary: c.summary_text ?? null,
    summary_source: enrichment?.summary_source ?? null,
    inbox_status: c.inbox_status ?? 'new',
    handled_by: c.handled_by,
    message_count: c.message_count ?? 0,
    waiting_since: toIso(c.waiting_since),
    enriched_at: toIso(c.enriched_at),
  };
}
