// Keeps enrichment current while the app runs:
// - every committed message (customer, assistant, agent) and hand-off / triage change re-enriches
//   its conversation, debounced per conversation (a chat turn writes several rows in a burst);
// - a small in-process queue (concurrency 1 on PGlite, 2 on PostgreSQL) does the work, one run per
//   conversation at a time; a change arriving during a run queues exactly one more run;
// - a periodic sweep re-enriches conversations whose wait for a person just crossed a priority
//   threshold (1 h, 4 h, 24 h), and slowly catches up on conversations never enriched;
// - with an LLM configured, an LLM summary follows once the conversation has been quiet a moment.
// Several instances may run against one PostgreSQL: writes are idempotent (nothing changed →
// nothing written) and serialised per conversation by an advisory lock; a busy lock is retried.
import type { LanguageModel } from 'ai';
import { sql } from 'drizzle-orm';
import { chooseModel } from '../chat/providers.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { StoredEvent } from '../events/event-log.ts';
import type { EventFeed, Subscription } from '../events/feed.ts';
import type { LoftClient } from '../loft/index.ts';
import { createCustomerContextCache } from './customer-context.ts';
import { enrichConversation, storeLlmSummary, type EnrichResult } from './enricher.ts';
import { generateLlmSummary, loadTranscript } from './summary-llm.ts';

export interface EnrichmentLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

export interface StartEnrichmentOptions {
  database: Database;
  feed: EventFeed;
  /** LOFT for the customer context (null: function results only) */
  loft?: LoftClient | null;
  /** LLM_BASE_URL set → LLM summaries (unless summaryModel says otherwise) */
  config?: Pick<Config, 'LLM_BASE_URL' | 'LLM_API_KEY' | 'LLM_MODEL'>;
  logger?: EnrichmentLogger | false;
  /** the model for summaries; null disables them; default: the configured LLM, if any */
  summaryModel?: LanguageModel | null;
  debounceMs?: number;
  concurrency?: number;
  sweepIntervalMs?: number;
  /** quiet time before an LLM summary, and the least time between two of one conversation */
  llmQuietMs?: number;
  llmMinIntervalMs?: number;
}

export interface EnrichmentService {
  /** Enrich now (no debounce) and resolve when that run has finished. */
  enrichNow(conversationId: string): Promise<void>;
  /** Stop listening, cancel timers, wait for runs in flight. */
  stop(): Promise<void>;
  /** Runs the waiting-time sweep once (tests, operators); resolves with how many it queued. */
  sweep(): Promise<number>;
}

/** Changes of a conversation.updated event that can move topics, priority or context. */
const RELEVANT_CHANGES = new Set(['priority_level', 'priority_manual', 'handled_by', 'inbox_status', 'customer_id']);
const WAIT_THRESHOLDS_MIN = [60, 240, 24 * 60];

export function startEnrichment(opts: StartEnrichmentOptions): EnrichmentService {
  const { database, feed } = opts;
  const log = opts.logger || undefined;
  const debounceMs = opts.debounceMs ?? 150;
  const concurrency = Math.max(1, opts.concurrency ?? (database.kind === 'pglite' ? 1 : 2));
  const cache = createCustomerContextCache();
  const summaryModel: LanguageModel | null =
    opts.summaryModel !== undefined ? opts.summaryModel : opts.config?.LLM_BASE_URL ? chooseModel(opts.config as Config).model : null;
  const llmQuietMs = opts.llmQuietMs ?? 2_000;
  const llmMinIntervalMs = opts.llmMinIntervalMs ?? 20_000;

  let stopped = false;
  const timers = new Map<string, NodeJS.Timeout>();
  const queue: string[] = [];
  const queued = new Set<string>();
  const running = new Set<string>();
  const again = new Set<string>();
  const waiters = new Map<string, (() => void)[]>();
  const failures = new Map<string, number>();
  const inflight = new Set<Promise<unknown>>();
  // Conversations picked by the sweep record enriched_at even when nothing changed, so a wait
  // threshold is acted on once, by whichever instance gets there first.
  const sweepMarks = new Set<string>();
  let active = 0;

  function schedule(id: string, delay = debounceMs): void {
    if (stopped) return;
    const t = timers.get(id);
    if (t) clearTimeout(t);
    const timer = setTimeout(() => {
      timers.delete(id);
      enqueue(id);
    }, delay);
    timer.unref();
    timers.set(id, timer);
  }

  function enqueue(id: string): void {
    if (stopped) return;
    if (running.has(id)) {
      again.add(id);
      return;
    }
    if (!queued.has(id)) {
      queued.add(id);
      queue.push(id);
    }
    pump();
  }

  function pump(): void {
    while (!stopped && active < concurrency && queue.length > 0) {
      const id = queue.shift()!;
      queued.delete(id);
      active++;
      running.add(id);
      const done = waiters.get(id) ?? [];
      waiters.delete(id);
      const p = run(id).finally(() => {
        active--;
        running.delete(id);
        inflight.delete(p);
        for (const w of done) w();
        if (again.delete(id)) enqueue(id);
        pump();
      });
      inflight.add(p);
    }
  }

  async function run(id: string): Promise<void> {
    let r: EnrichResult;
    try {
      r = await enrichConversation(database, id, { loft: opts.loft ?? null, cache, touch: sweepMarks.delete(id) });
    } catch (err) {
      const n = (failures.get(id) ?? 0) + 1;
      failures.set(id, n);
      log?.warn({ err: { message: (err as Error).message }, conversation_id: id, attempt: n }, 'enrichment failed');
      if (n < 5) schedule(id, 1_000 * 2 ** n);
      else failures.delete(id);
      return;
    }
    failures.delete(id);
    if (r.status === 'busy') {
      // Another instance is writing this conversation: look again once it is done.
      schedule(id, debounceMs + 100);
      return;
    }
    if (r.status === 'written') log?.debug?.({ conversation_id: id, priority_level: r.priorityLevel }, 'conversation enriched');
    if (summaryModel && r.summaryChanged && r.lastMessageId) scheduleLlm(id);
  }

  // ---- LLM summaries: their own one-at-a-time lane, never in the way of enrichment ----
  const llmTimers = new Map<string, NodeJS.Timeout>();
  const llmLast = new Map<string, number>();
  let llmChain: Promise<void> = Promise.resolve();
  const llmAbort = new AbortController();

  function scheduleLlm(id: string): void {
    if (stopped || !summaryModel) return;
    const prev = llmTimers.get(id);
    if (prev) clearTimeout(prev);
    const wait = Math.max(llmQuietMs, (llmLast.get(id) ?? 0) + llmMinIntervalMs - Date.now());
    const timer = setTimeout(() => {
      llmTimers.delete(id);
      const p = (llmChain = llmChain.then(() => summarise(id)).catch(() => {}));
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }, wait);
    timer.unref();
    llmTimers.set(id, timer);
  }

  async function summarise(id: string): Promise<void> {
    if (stopped || !summaryModel) return;
    llmLast.set(id, Date.now());
    const transcript = await loadTranscript(database.db, id);
    const upto = transcript[transcript.length - 1]?.message_id;
    if (!upto) return;
    const text = await generateLlmSummary(summaryModel, transcript, { signal: llmAbort.signal });
    if (!text || stopped) return;
    const stored = await storeLlmSummary(database, id, text, upto);
    log?.debug?.({ conversation_id: id, stored }, 'LLM summary');
  }

  // ---- the feed ----
  const onEvent = (e: StoredEvent) => {
    const id = e.conversation_id;
    if (!id) return;
    const data = e.data ?? {};
    switch (e.type) {
      case 'message.created': {
        const m = data.message as { is_internal_note?: boolean } | undefined;
        if (m?.is_internal_note) return;
        schedule(id);
        return;
      }
      case 'conversation.handoff_requested':
        schedule(id);
        return;
      case 'conversation.updated': {
        if (data.cause === 'enrichment') return;
        const changes = (data.changes ?? {}) as Record<string, unknown>;
        if (Object.keys(changes).some((k) => RELEVANT_CHANGES.has(k))) schedule(id);
        return;
      }
      default:
        return;
    }
  };
  const subscription: Subscription = feed.subscribe({
    after: null,
    filter: (e) => e.type === 'message.created' || e.type === 'conversation.updated' || e.type === 'conversation.handoff_requested',
    onEvent,
    onError: (err) => log?.warn({ err: { message: (err as Error)?.message } }, 'enrichment feed replay failed'),
  });

  // ---- the sweep ----
  async function sweep(): Promise<number> {
    if (stopped) return 0;
    const thresholds = sql.raw(`ARRAY[${WAIT_THRESHOLDS_MIN.join(',')}]`);
    const due = await database.query<{ id: string }>(sql`
      SELECT conversation_id::text AS id FROM chatbot_conversations c
      WHERE c.waiting_since IS NOT NULL AND c.is_active
        AND (c.handled_by = 'human' OR c.topics @> '["human_request"]'::jsonb)
        AND EXISTS (
          SELECT 1 FROM unnest(${thresholds}) AS m(minutes)
          WHERE c.waiting_since + make_interval(mins => m.minutes, secs => 1) <= (now() AT TIME ZONE 'UTC')
            AND c.waiting_since + make_interval(mins => m.minutes, secs => 1) > coalesce(c.enriched_at AT TIME ZONE 'UTC', '-infinity'::timestamp))
      LIMIT 500`);
    const never = await database.query<{ id: string }>(sql`
      SELECT conversation_id::text AS id FROM chatbot_conversations
      WHERE enriched_at IS NULL AND coalesce(message_count, 0) > 0
      ORDER BY last_message_at DESC LIMIT 20`);
    for (const { id } of due) {
      sweepMarks.add(id);
      enqueue(id);
    }
    for (const { id } of never) enqueue(id);
    return due.length + never.length;
  }
  const sweepTimer = setInterval(() => {
    sweep().catch((err) => log?.warn({ err: { message: (err as Error).message } }, 'enrichment sweep failed'));
  }, opts.sweepIntervalMs ?? 60_000);
  sweepTimer.unref();

  return {
    enrichNow(id) {
      if (stopped) return Promise.resolve();
      const t = timers.get(id);
      if (t) {
        clearTimeout(t);
        timers.delete(id);
      }
      return new Promise<void>((resolve) => {
        const list = waiters.get(id) ?? [];
        list.push(resolve);
        waiters.set(id, list);
        // A run in progress read the old state: the waiter resolves after the next one.
        enqueue(id);
      });
    },
    sweep,
    async stop() {
      if (stopped) return;
      stopped = true;
      subscription.close();
      clearInterval(sweepTimer);
      for (const t of timers.values()) clearTimeout(t);
      for (const t of llmTimers.values()) clearTimeout(t);
      llmAbort.abort();
      timers.clear();
      llmTimers.clear();
      queue.length = 0;
      queued.clear();
      await Promise.allSettled([...inflight]);
      // Anyone still waiting gets released (the work was cancelled by the stop).
      for (const list of waiters.values()) for (const w of list) w();
      waiters.clear();
    },
  };
}
