// Conversation enrichment: per-message analysis (stored in chatbot_messages.analysis) rolled up
// into the conversation's topics, sentiment, priority with reasons, customer context and summary,
// written with a `conversation.enriched` event (and `conversation.updated` when the priority level
// changes). Pure analyzers live beside this file; this module reads, computes and writes.
//
// Order of work (never call LOFT or an LLM inside a transaction):
//   1. read the conversation and its recent messages (no lock);
//   2. analyse customer messages that have no current analysis; build the customer context
//      (LOFT, cached) and the extractive summary — all outside any transaction;
//   3. one short transaction: lock the conversation row, compute the priority from its CURRENT
//      hand-off / handler / waiting state and manual flag, compare with what is stored, and write
//      only when something an agent would see changed (no event spam).
//
// Manual priority: while `priority_manual` is set the level and rank are the agent's. The computed
// level and reasons are still stored in `customer_context.enrichment.computed_priority` and the
// reasons shown are "Set by an agent (computed: high)" followed by the computed reasons, so clearing
// the manual flag (PATCH priority_level: null) restores the computed level at once: the enricher
// reacts to that conversation.updated event, and `computedPriorityOf(row)` gives the stored value
// to any code that wants to restore it in the same transaction.
import { sql } from 'drizzle-orm';
import { rows, type Database, type Executor } from '../db/client.ts';
import {
  getConversation,
  priorityRank,
  withEvents,
  type ConversationRow,
} from '../conversations/conversation-store.ts';
import type { NewEvent, StoredEvent } from '../events/event-log.ts';
import type { LoftClient } from '../loft/index.ts';
import { toIso } from '../shared/time.ts';
import { analyzeMessage } from './analyze.ts';
import {
  buildCustomerContext,
  CONTEXT_FUNCTIONS,
  type CustomerContext,
  type CustomerContextCache,
  type ToolRow,
} from './customer-context.ts';
import { computePriority, PRIORITY_LEVELS, type PriorityLevel, type PriorityResult } from './priority.ts';
import { conversationSentiment, type ConversationSentiment, type SentimentResult } from './sentiment.ts';
import { extractiveSummary, type SummaryMessage } from './summary.ts';
import { isTopicId, rollupTopics, TOPIC_LABELS, type TopicId, type TopicMatch } from './topics.ts';

/** Bump when the analyzers change what they return: older analyses are recomputed. */
export const ANALYSIS_VERSION = 1;
/** Customer messages read for topics and sentiment. */
export const TOPIC_WINDOW = 40;
/** Latest customer messages whose topics drive the priority ... */
export const PRIORITY_WINDOW = 5;
/** ... when written within this many days of the latest customer message. */
export const PRIORITY_WINDOW_DAYS = 14;
/** Messages the extractive summary reads. */
export const SUMMARY_WINDOW = 80;
/** Topics stored on the conversation (ordered by relevance). */
export const MAX_TOPICS = 5;
/** Raw characters of a message read for analysis (the analyzers look at 4,000 clean ones). */
export const MAX_READ_CHARS = 8_000;
/** Transaction-level advisory lock namespace: one enrichment write per conversation at a time. */
export const ENRICH_LOCK = 72_410_010;

export interface StoredMessageAnalysis {
  topics: TopicMatch[];
  sentiment: SentimentResult;
  v: number;
}

export function toStoredAnalysis(text: string): StoredMessageAnalysis {
  const a = analyzeMessage(text);
  return { topics: a.topics, sentiment: a.sentiment, v: ANALYSIS_VERSION };
}

function isCurrentAnalysis(x: unknown): x is StoredMessageAnalysis {
  const a = x as StoredMessageAnalysis | null;
  return !!a && typeof a === 'object' && a.v === ANALYSIS_VERSION && Array.isArray(a.topics) && !!a.sentiment && typeof a.sentiment.score === 'number';
}

// ---------------------------------------------------------------------------------------------
// Inputs

export interface CustomerMessageInput {
  message_id: string;
  /** message_created_at as stored (UTC, no zone) */
  at: string;
  /** null when the stored analysis is current and the text was not read */
  content: string | null;
  /** the content is empty or blank (the original stored some) */
  empty: boolean;
  analysis: unknown;
}

export interface RecentMessageInput {
  message_id: string;
  role: string;
  sender_type: string | null;
  content: string;
  function_name: string | null;
}

export interface RawInputs {
  /** customer messages, oldest first */
  customer: CustomerMessageInput[];
  /** the latest non-internal messages, oldest first */
  recent: RecentMessageInput[];
  /** function results about the customer, newest first */
  tools: ToolRow[];
}

const isCustomerSql = sql.raw(`(sender_type = 'customer' OR (sender_type IS NULL AND message_role = 'user'))`);
const contextFunctionList = sql.raw(CONTEXT_FUNCTIONS.map((f) => `'${f}'`).join(', '));

/** The live read: windows only (a conversation may hold thousands of messages). */
export async function loadInputs(ex: Executor, conversationId: string): Promise<RawInputs> {
  const customer = await rows<CustomerMessageInput>(
    ex,
    sql`SELECT message_id::text AS message_id, message_created_at::text AS at, analysis, message_content ~ '^[[:space:]]*$' AS empty,
          CASE WHEN analysis IS NOT NULL AND analysis->>'v' = ${String(ANALYSIS_VERSION)} THEN NULL ELSE left(message_content, ${MAX_READ_CHARS}) END AS content
        FROM chatbot_messages
        WHERE conversation_id = ${conversationId} AND NOT is_internal_note AND ${isCustomerSql}
        ORDER BY message_created_at DESC, message_id DESC LIMIT ${TOPIC_WINDOW}`,
  );
  const recent = await rows<RecentMessageInput>(
    ex,
    sql`SELECT message_id::text AS message_id, message_role AS role, sender_type, left(message_content, ${MAX_READ_CHARS}) AS content,
          executed_function_name AS function_name
        FROM chatbot_messages
        WHERE conversation_id = ${conversationId} AND NOT is_internal_note
        ORDER BY message_created_at DESC, message_id DESC LIMIT ${SUMMARY_WINDOW}`,
  );
  const tools = await rows<ToolRow>(
    ex,
    sql`SELECT executed_function_name AS name, function_output_result AS output, function_input_parameters AS input,
          function_execution_status AS status, CASE WHEN executed_function_name IS NULL THEN message_content END AS content,
          message_created_at::text AS at
        FROM chatbot_messages
        WHERE conversation_id = ${conversationId} AND message_role <> 'user'
          AND (executed_function_name IN (${contextFunctionList})
               OR (executed_function_name IS NULL AND strpos(message_content, '**Function Result (') > 0))
        ORDER BY message_created_at DESC, message_id DESC LIMIT 30`,
  );
  return { customer: customer.reverse(), recent: recent.reverse(), tools };
}

// ---------------------------------------------------------------------------------------------
// Computation (pure)

export interface TopicDetail {
  topic: TopicId;
  label: string;
  /** customer messages (in the window) that carried it */
  count: number;
  last_at: string;
  relevance: number;
  /** phrases that matched, newest first (folded: lower case, no accents) */
  cues: string[];
}

export interface EnrichmentDetails {
  v: 1;
  computed_priority: PriorityResult;
  sentiment_trend: ConversationSentiment['trend'];
  topics: TopicDetail[];
  summary_source: 'extractive' | 'llm';
  /** the latest message the summary covers */
  summary_upto: string | null;
  /** customer messages the topics and sentiment were read from */
  customer_messages: number;
}

/** What customer_context holds: the customer's facts plus the enrichment details. */
export type StoredContext = CustomerContext & { enrichment?: EnrichmentDetails };

export interface ConversationFacts {
  topics: TopicId[];
  topicDetails: TopicDetail[];
  sentiment: ConversationSentiment;
  /** topics of the latest customer messages (PRIORITY_WINDOW) */
  priorityTopics: TopicId[];
  /** topics of the latest non-empty customer message */
  lastTopics: TopicId[];
  summary: string;
  lastMessageId: string | null;
  customerMessages: number;
  /** analyses computed now (absent or outdated before) */
  analyses: { message_id: string; analysis: StoredMessageAnalysis }[];
}

/** A stored UTC timestamp ("2025-03-01 10:00:00.123", no zone) as a Date; fast path for the usual shape. */
function dateOf(stored: string): Date {
  if (stored.length >= 19 && stored.charCodeAt(10) === 32 && !/[+-]\d\d$/.test(stored)) {
    const ms = Date.parse(`${stored.slice(0, 10)}T${stored.slice(11)}Z`);
    if (Number.isFinite(ms)) return new Date(ms);
  }
  return new Date(toIso(stored) ?? 0);
}

/** Analyses (new where needed), topics, sentiment and the extractive summary of one conversation. */
export function computeFacts(raw: RawInputs, opts: { reanalyze?: boolean } = {}): ConversationFacts {
  const analyses: ConversationFacts['analyses'] = [];
  const msgs: { message_id: string; at: Date; a: StoredMessageAnalysis; empty: boolean }[] = [];
  for (const m of raw.customer) {
    let a: StoredMessageAnalysis;
    if (!opts.reanalyze && isCurrentAnalysis(m.analysis)) a = m.analysis;
    else {
      a = toStoredAnalysis(m.content ?? '');
      // (A bulk run passes analysis undefined: its UPDATE skips rows whose analysis is equal.)
      if (m.analysis === undefined || !isCurrentAnalysis(m.analysis) || !sameJson(m.analysis, a)) analyses.push({ message_id: m.message_id, analysis: a });
    }
    msgs.push({ message_id: m.message_id, at: dateOf(m.at), a, empty: m.empty });
  }
  // Empty messages (the original stored some) carry nothing: they would only dilute sentiment.
  const window = msgs.filter((m) => !m.empty).slice(-TOPIC_WINDOW);
  const rollup = rollupTopics(window.map((m) => ({ topics: m.a.topics, at: m.at })));
  const details: TopicDetail[] = rollup.slice(0, MAX_TOPICS).map((r) => {
    const cues: string[] = [];
    for (let i = window.length - 1; i >= 0 && cues.length < 5; i--) {
      const t = window[i]!.a.topics.find((x) => x.topic === r.topic);
      for (const c of t?.cues ?? []) if (cues.length < 5 && !cues.includes(c)) cues.push(c);
    }
    return { topic: r.topic, label: TOPIC_LABELS[r.topic], count: r.count, last_at: r.last_at.toISOString(), relevance: r.relevance, cues };
  });
  const sentiment = conversationSentiment(window.map((m) => ({ score: m.a.sentiment.score, at: m.at })));

  const latest = window[window.length - 1];
  const cutoff = latest ? latest.at.getTime() - PRIORITY_WINDOW_DAYS * 86_400_000 : 0;
  const recentIssues = window.slice(-PRIORITY_WINDOW).filter((m) => m.at.getTime() >= cutoff);
  const priorityTopics = rollupTopics(recentIssues.map((m) => ({ topics: m.a.topics, at: m.at }))).map((r) => r.topic);
  const lastTopics = (latest?.a.topics ?? []).map((t) => t.topic).filter(isTopicId);

  const summaryMessages: SummaryMessage[] = raw.recent.map((m) => ({
    role: m.role === 'user' ? 'user' : m.role === 'tool' ? 'tool' : 'assistant',
    content: m.content ?? '',
    function_name: m.function_name,
  }));
  return {
    topics: details.map((d) => d.topic),
    topicDetails: details,
    sentiment,
    priorityTopics,
    lastTopics,
    summary: extractiveSummary(summaryMessages),
    lastMessageId: raw.recent[raw.recent.length - 1]?.message_id ?? null,
    customerMessages: window.length,
    analyses,
  };
}

/** The wait in a reason, rounded down to the threshold it crossed, so the text only changes when the priority can. */
function stableWaitReason(reason: string, minutes: number | null): string {
  if (!/^Waiting .+ for a reply$/.test(reason) || minutes === null) return reason;
  const over = minutes > 24 * 60 ? '24 h' : minutes > 240 ? '4 h' : '1 h';
  return `Waiting over ${over} for a reply`;
}

export interface PriorityState {
  handoff: unknown;
  handled_by: string;
  waiting_since: string | null;
}

/** The computed priority of a conversation from its facts and current triage state. */
export function priorityFor(facts: Pick<ConversationFacts, 'priorityTopics' | 'lastTopics' | 'sentiment'>, state: PriorityState, context: CustomerContext | null, now = Date.now()): PriorityResult {
  const handoff = state.handoff && typeof state.handoff === 'object' ? (state.handoff as Record<string, unknown>) : null;
  const handoffRequested = handoff !== null && state.handled_by === 'human';
  const hp = handoffRequested && typeof handoff.priority === 'string' && (PRIORITY_LEVELS as readonly string[]).includes(handoff.priority) ? (handoff.priority as PriorityLevel) : undefined;
  const since = state.waiting_since ? Date.parse(toIso(state.waiting_since) ?? '') : NaN;
  const waiting = Number.isFinite(since) ? Math.max(0, (now - since) / 60_000) : null;
  const r = computePriority({
    topics: facts.priorityTopics,
    lastCustomerMessageTopics: facts.lastTopics,
    sentiment: facts.sentiment,
    handoffRequested,
    handoffPriority: hp,
    waitingSinceMinutes: waiting,
    inHumanHands: state.handled_by === 'human',
    lifetimeSpend: context?.lifetime_spend ?? undefined,
    isHighValue: context?.high_value === true,
  });
  return { level: r.level, reasons: r.reasons.map((x) => stableWaitReason(x, waiting)) };
}

/** The computed priority stored by the last enrichment (what clearing a manual priority restores). */
export function computedPriorityOf(row: Pick<ConversationRow, 'customer_context'>): PriorityResult | null {
  const e = (row.customer_context as StoredContext | null)?.enrichment;
  const p = e?.computed_priority;
  return p && (PRIORITY_LEVELS as readonly string[]).includes(p.level) && Array.isArray(p.reasons) ? p : null;
}

export const manualReason = (computed: PriorityLevel) => `Set by an agent (computed: ${computed})`;

// ---------------------------------------------------------------------------------------------
// Writing

export interface EnrichOptions {
  /** LOFT client for the customer context; omitted = function results and stored context only */
  loft?: LoftClient | null;
  cache?: CustomerContextCache;
  /** emit events (default true) */
  events?: boolean;
  /** when nothing changed, still record enriched_at (the waiting sweep uses it as its mark) */
  touch?: boolean;
  /** takes the new message analyses instead of writing them in the transaction (bulk runs batch them) */
  analysisSink?: (items: { message_id: string; analysis: StoredMessageAnalysis }[]) => void;
  now?: () => number;
}

export type EnrichStatus = 'written' | 'unchanged' | 'busy' | 'missing';

export interface EnrichResult {
  status: EnrichStatus;
  events: StoredEvent[];
  /** the summary changed (an LLM summary may be worth generating) */
  summaryChanged: boolean;
  lastMessageId: string | null;
  priorityLevel?: PriorityLevel;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** JSON with sorted keys: jsonb gives keys back in its own order. */
export function stableJson(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Deep equality of JSON values, key order ignored (jsonb returns keys in its own order). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  if (ka.length !== Object.keys(b as object).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b as object, k) || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** customer_context without what changes on every LOFT refresh (not worth an event by itself). */
function comparableContext(x: unknown): string {
  if (!x || typeof x !== 'object') return stableJson(x ?? null);
  const { loft_checked_at: _a, ...rest } = x as Record<string, unknown>;
  return stableJson(rest);
}

/** Writes message analyses in one statement (jsonb_to_recordset carries the whole batch). */
export async function writeAnalyses(ex: Executor, items: readonly { message_id: string; analysis: StoredMessageAnalysis }[]): Promise<void> {
  if (items.length === 0) return;
  const payload = JSON.stringify(items.map((i) => ({ id: i.message_id, a: i.analysis })));
  await ex.execute(sql`UPDATE chatbot_messages AS m SET analysis = t.a
    FROM jsonb_to_recordset(${payload}::jsonb) AS t(id uuid, a jsonb)
    WHERE m.message_id = t.id AND m.analysis IS DISTINCT FROM t.a`);
}

interface WriteInput {
  conversationId: string;
  facts: ConversationFacts;
  context: CustomerContext;
  opts: EnrichOptions;
}

/**
 * The transaction part: lock, compute the priority from the row as it is now, compare, write.
 * Returns 'busy' when another enricher (another instance) holds this conversation right now.
 */
async function writeEnrichment(database: Database, input: WriteInput): Promise<EnrichResult> {
  const { conversationId: id, facts, context, opts } = input;
  const now = opts.now?.() ?? Date.now();
  let status: EnrichStatus = 'unchanged';
  let summaryChanged = false;
  let level: PriorityLevel | undefined;
  const { events } = await withEvents(database, async (tx) => {
    const [lock] = await rows<{ ok: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(${ENRICH_LOCK}, hashtext(${id})) AS ok`);
    if (!lock?.ok) {
      status = 'busy';
      return { result: null, events: [] };
    }
    const row = await getConversation(tx, id, { forUpdate: true });
    if (!row) {
      status = 'missing';
      return { result: null, events: [] };
    }
    if (opts.analysisSink) opts.analysisSink(facts.analyses);
    else await writeAnalyses(tx, facts.analyses);

    const computed = priorityFor(facts, row, context, now);
    const currentLevel = ((PRIORITY_LEVELS as readonly string[]).includes(row.priority_level ?? '') ? row.priority_level : 'normal') as PriorityLevel;
    const manual = row.priority_manual;
    level = manual ? currentLevel : computed.level;
    const reasons = manual ? [manualReason(computed.level), ...computed.reasons] : computed.reasons;

    // An LLM summary of the latest message stays until a newer message arrives.
    const prev = (row.customer_context as StoredContext | null)?.enrichment;
    const keepLlm = prev?.summary_source === 'llm' && prev.summary_upto === facts.lastMessageId && !!row.summary_text;
    const summary = keepLlm ? row.summary_text! : facts.summary;
    const enrichment: EnrichmentDetails = {
      v: 1,
      computed_priority: computed,
      sentiment_trend: facts.sentiment.trend,
      topics: facts.topicDetails,
      summary_source: keepLlm ? 'llm' : 'extractive',
      summary_upto: facts.lastMessageId,
      customer_messages: facts.customerMessages,
    };
    const stored: StoredContext = { ...context, enrichment };
    const score = round3(facts.sentiment.score);

    summaryChanged = summary !== (row.summary_text ?? '');
    const changed =
      level !== currentLevel ||
      stableJson(reasons) !== stableJson(row.priority_reasons ?? []) ||
      row.sentiment_label !== facts.sentiment.label ||
      row.sentiment_score === null || Math.abs(Number(row.sentiment_score) - score) > 0.0005 ||
      stableJson(facts.topics) !== stableJson(row.topics ?? []) ||
      summaryChanged ||
      comparableContext(stored) !== comparableContext(row.customer_context);
    if (!changed) {
      if (opts.touch) await tx.execute(sql`UPDATE chatbot_conversations SET enriched_at = now() WHERE conversation_id = ${id}`);
      return { result: null, events: [] };
    }
    status = 'written';
    await tx.execute(sql`UPDATE chatbot_conversations SET
        priority_level = ${level}, priority_rank = ${priorityRank[level]}, priority_reasons = ${JSON.stringify(reasons)}::jsonb,
        sentiment_score = ${score}, sentiment_label = ${facts.sentiment.label}, topics = ${JSON.stringify(facts.topics)}::jsonb,
        summary_text = ${summary}, customer_context = ${JSON.stringify(stored)}::jsonb, enriched_at = now(), updated_at = now()
      WHERE conversation_id = ${id}`);
    if (opts.events === false) return { result: null, events: [] };
    const out: NewEvent[] = [
      {
        type: 'conversation.enriched',
        conversationId: id,
        data: {
          conversation_id: id,
          topics: facts.topics,
          sentiment: { score, label: facts.sentiment.label, trend: facts.sentiment.trend },
          priority_level: level,
          priority_reasons: reasons,
          priority_manual: manual,
          computed_priority_level: computed.level,
          summary,
          customer: {
            identity: context.identity,
            customer_id: context.customer_id,
            name: context.name,
            lifetime_spend: context.lifetime_spend,
            high_value: context.high_value,
          },
        },
      },
    ];
    if (level !== currentLevel) {
      out.push({
        type: 'conversation.updated',
        conversationId: id,
        data: { conversation_id: id, changes: { priority_level: { from: currentLevel, to: level } }, cause: 'enrichment', priority_reasons: reasons },
      });
    }
    return { result: null, events: out };
  });
  return { status, events, summaryChanged, lastMessageId: facts.lastMessageId, priorityLevel: level };
}

/**
 * Enriches one conversation now: reads its recent messages (analysing those without a current
 * analysis), builds the customer context (LOFT outside any transaction), and writes topics,
 * sentiment, priority with reasons, context and summary with their events, only when something
 * changed. Safe to run concurrently from several processes (an advisory lock per conversation;
 * the loser gets 'busy' and should retry shortly).
 */
export async function enrichConversation(database: Database, conversationId: string, opts: EnrichOptions = {}): Promise<EnrichResult> {
  const conv = await getConversation(database.db, conversationId);
  if (!conv) return { status: 'missing', events: [], summaryChanged: false, lastMessageId: null };
  const raw = await loadInputs(database.db, conversationId);
  return enrichFromInputs(database, conv, raw, opts);
}

/** Steps 2 and 3 for inputs already read (enrichAll reads them in bulk). */
export async function enrichFromInputs(
  database: Database,
  conv: ConversationRow,
  raw: RawInputs,
  opts: EnrichOptions & { reanalyze?: boolean } = {},
): Promise<EnrichResult> {
  const facts = computeFacts(raw, { reanalyze: opts.reanalyze });
  const context = await buildCustomerContext({
    conversation: conv,
    toolRows: raw.tools,
    previous: conv.customer_context,
    loft: opts.loft ?? null,
    cache: opts.cache,
  });
  return writeEnrichment(database, { conversationId: conv.conversation_id, facts, context, opts });
}

/**
 * Stores an LLM-written summary if the conversation has not moved on since `uptoMessageId`
 * (otherwise a newer enrichment already wrote a fresher extractive one). Emits conversation.enriched.
 */
export async function storeLlmSummary(database: Database, conversationId: string, text: string, uptoMessageId: string): Promise<boolean> {
  const { result } = await withEvents(database, async (tx) => {
    const row = await getConversation(tx, conversationId, { forUpdate: true });
    if (!row) return { result: false, events: [] };
    const [latest] = await rows<{ id: string }>(
      tx,
      sql`SELECT message_id::text AS id FROM chatbot_messages WHERE conversation_id = ${conversationId} AND NOT is_internal_note
          ORDER BY message_created_at DESC, message_id DESC LIMIT 1`,
    );
    const ctx = (row.customer_context ?? {}) as StoredContext;
    if (latest?.id !== uptoMessageId || !ctx.enrichment || row.summary_text === text) return { result: false, events: [] };
    const stored: StoredContext = { ...ctx, enrichment: { ...ctx.enrichment, summary_source: 'llm', summary_upto: uptoMessageId } };
    await tx.execute(sql`UPDATE chatbot_conversations SET summary_text = ${text}, customer_context = ${JSON.stringify(stored)}::jsonb,
        enriched_at = now(), updated_at = now() WHERE conversation_id = ${conversationId}`);
    return {
      result: true,
      events: [{
        type: 'conversation.enriched' as const,
        conversationId,
        data: {
          conversation_id: conversationId,
          topics: row.topics ?? [],
          sentiment: { score: Number(row.sentiment_score ?? 0), label: row.sentiment_label ?? 'neutral', trend: ctx.enrichment.sentiment_trend },
          priority_level: row.priority_level ?? 'normal',
          priority_reasons: row.priority_reasons ?? [],
          priority_manual: row.priority_manual,
          computed_priority_level: ctx.enrichment.computed_priority?.level ?? null,
          summary: text,
          summary_source: 'llm',
        },
      }],
    };
  });
  return result;
}
