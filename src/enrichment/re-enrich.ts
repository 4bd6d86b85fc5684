// Re-enrichment of everything stored: adopted legacy data, the demo seed, or after the analyzers
// changed. Per conversation: one query reads all its messages, every customer message is analysed
// again in JS, changed analyses go back in one UPDATE … FROM jsonb_to_recordset, and the
// conversation's enrichment is written like a live one (one transaction, events only when
// something changed). The production size (221 conversations, 86,420 messages) takes seconds.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import { rows, type Database } from '../db/client.ts';
import { getConversation } from '../conversations/conversation-store.ts';
import { createLoftHttpClient, createSandboxLoftClient, registerLoftSandbox, type LoftClient } from '../loft/index.ts';
import { CONTEXT_FUNCTIONS, createCustomerContextCache, type ToolRow } from './customer-context.ts';
import {
  enrichFromInputs,
  MAX_READ_CHARS,
  SUMMARY_WINDOW,
  type CustomerMessageInput,
  type RawInputs,
  type RecentMessageInput,
  writeAnalyses,
} from './enricher.ts';

export interface EnrichAllOptions {
  /** called after each conversation */
  onProgress?: (done: number, total: number) => void;
  /** LOFT for the customer context; omitted or null: function results only (`--no-loft`) */
  loft?: LoftClient | null;
  /** emit conversation.enriched / conversation.updated events (default true) */
  events?: boolean;
  /** conversations in flight (default 1 on PGlite, 2 on PostgreSQL: reads overlap the JS work) */
  concurrency?: number;
  /** only these conversations (default: all) */
  conversationIds?: string[];
}

export interface EnrichAllResult {
  conversations: number;
  messages: number;
  /** customer messages analysed */
  analysed: number;
  /** conversations whose enrichment changed (and got events) */
  written: number;
  ms: number;
}

interface MessageRead {
  message_id: string;
  role: string;
  sender_type: string | null;
  internal: boolean;
  at: string;
  content: string;
  function_name: string | null;
  output: unknown;
  input: unknown;
  status: string | null;
}

const MARKER = '**Function Result (';
const ANALYSIS_BATCH = 5_000;
const contextSet = new Set<string>(CONTEXT_FUNCTIONS);
const contextFunctionList = sql.raw(CONTEXT_FUNCTIONS.map((f) => `'${f}'`).join(', '));

/** Splits one conversation's messages (oldest first) into what enrichment reads. */
export function inputsFromMessages(all: readonly MessageRead[]): RawInputs {
  const customer: CustomerMessageInput[] = [];
  const visible: MessageRead[] = [];
  const tools: ToolRow[] = [];
  for (const m of all) {
    if (m.internal) continue;
    visible.push(m);
    const isCustomer = m.sender_type === 'customer' || (m.sender_type === null && m.role === 'user');
    if (isCustomer) {
      // analysis undefined: recomputed, and the batched UPDATE skips rows whose analysis is equal
      customer.push({ message_id: m.message_id, at: m.at, content: m.content, empty: m.content.trim() === '', analysis: undefined });
    } else if (m.role !== 'user' && ((m.function_name && contextSet.has(m.function_name)) || (!m.function_name && m.content.includes(MARKER)))) {
      tools.push({ name: m.function_name, output: m.output, input: m.input, status: m.status, content: m.function_name ? null : m.content, at: m.at });
    }
  }
  const recent: RecentMessageInput[] = visible.slice(-SUMMARY_WINDOW).map((m) => ({
    message_id: m.message_id,
    role: m.role,
    sender_type: m.sender_type,
    content: m.content,
    function_name: m.function_name,
  }));
  return { customer, recent, tools: tools.reverse().slice(0, 30) };
}

/**
 * Recomputes the enrichment of every conversation (or `conversationIds`). Idempotent: a second run
 * writes nothing and emits no event unless the data or the analyzers changed.
 */
export async function enrichAll(database: Database, opts: EnrichAllOptions = {}): Promise<EnrichAllResult> {
  const started = Date.now();
  const ids = opts.conversationIds
    ?? (await rows<{ id: string }>(database.db, sql`SELECT conversation_id::text AS id FROM chatbot_conversations ORDER BY last_message_at DESC`)).map((r) => r.id);
  const total = ids.length;
  const cache = createCustomerContextCache();
  const concurrency = Math.max(1, opts.concurrency ?? (database.kind === 'pglite' ? 1 : 2));
  let next = 0;
  let done = 0;
  let messages = 0;
  let analysed = 0;
  let written = 0;
  // Analyses of all conversations go back in large batches: one UPDATE … FROM per 5,000 rows
  // costs about half as much as one per conversation.
  // The embedded database runs inside this process's one thread: a long statement blocks every
  // request (the first start's /ready waited 5 s behind the background pass). Smaller batches
  // there, and a turn for the event loop after each conversation.
  const batchSize = database.kind === 'pglite' ? 1_000 : ANALYSIS_BATCH;
  let pending: { message_id: string; analysis: unknown }[] = [];
  let flushing: Promise<void> = Promise.resolve();
  const flush = (all: boolean) => {
    while (pending.length >= batchSize || (all && pending.length > 0)) {
      const batch = pending.slice(0, batchSize);
      pending = pending.slice(batchSize);
      flushing = flushing.then(() => writeAnalyses(database.db, batch as never));
    }
    return flushing;
  };
  const sink = (items: { message_id: string; analysis: unknown }[]) => {
    for (const i of items) pending.push(i);
  };

  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const conv = await getConversation(database.db, id);
      if (conv) {
        // Text is read only where it is used: customer messages (analysed), the latest messages
        // (summary) and legacy rows holding a function result in their text (customer context).
        const all = await rows<MessageRead>(
          database.db,
          sql`SELECT message_id::text AS message_id, message_role AS role, sender_type, is_internal_note AS internal,
                message_created_at::text AS at, executed_function_name AS function_name, function_execution_status AS status,
                CASE WHEN executed_function_name IS NULL AND message_role <> 'user' AND strpos(message_content, ${MARKER}) > 0
                       THEN message_content
                     WHEN (sender_type = 'customer' OR (sender_type IS NULL AND message_role = 'user'))
                       OR row_number() OVER (ORDER BY message_created_at DESC, message_id DESC) <= ${SUMMARY_WINDOW + 40}
                       THEN left(message_content, ${MAX_READ_CHARS})
                     ELSE '' END AS content,
                CASE WHEN executed_function_name IN (${contextFunctionList}) THEN function_output_result END AS output,
                CASE WHEN executed_function_name IN (${contextFunctionList}) THEN function_input_parameters END AS input
              FROM chatbot_messages WHERE conversation_id = ${id}
              ORDER BY message_created_at, message_id`,
        );
        messages += all.length;
        const raw = inputsFromMessages(all);
        analysed += raw.customer.length;
        const enrichOpts = { reanalyze: true, loft: opts.loft ?? null, cache, events: opts.events, analysisSink: sink };
        let r = await enrichFromInputs(database, conv, raw, enrichOpts);
        // A live enricher (another instance) holds this conversation right now: wait for it.
        for (let attempt = 0; r.status === 'busy' && attempt < 20; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          r = await enrichFromInputs(database, conv, raw, enrichOpts);
        }
        if (r.status === 'written') written++;
        if (pending.length >= batchSize) await flush(false);
      }
      done++;
      await new Promise((resolve) => setImmediate(resolve));
      opts.onProgress?.(done, total);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, ids.length)) }, worker));
  await flush(true);
  return { conversations: total, messages, analysed, written, ms: Date.now() - started };
}

/**
 * A LOFT client outside the app (CLI, benchmarks): the retailer's LOFT when LOFT_BASE_URL is set,
 * else the built-in sandbox served by a bare Fastify instance over the same database.
 */
export async function openLoftClient(
  config: Pick<Config, 'LOFT_BASE_URL' | 'LOFT_TIMEOUT_MS'>,
  database: Database,
): Promise<{ loft: LoftClient; close(): Promise<void> }> {
  if (config.LOFT_BASE_URL) {
    return { loft: createLoftHttpClient({ baseUrl: config.LOFT_BASE_URL, timeoutMs: config.LOFT_TIMEOUT_MS }), close: async () => {} };
  }
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const accessToken = randomBytes(24).toString('base64url');
  await registerLoftSandbox(app, { database, accessToken });
  await app.ready();
  return { loft: createSandboxLoftClient(app, { accessToken }), close: () => app.close() };
}
