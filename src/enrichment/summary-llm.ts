// An LLM-written conversation summary, when an OpenAI-compatible endpoint is configured
// (LLM_BASE_URL). Runs in the enrichment scheduler's own queue, after the conversation has been
// quiet for a moment, outside any transaction, so it never delays a chat reply; any failure keeps
// the extractive summary that enrichment already stored.
import { generateText, type LanguageModel } from 'ai';
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../db/client.ts';
import { cleanText } from './text.ts';
import { FUNCTION_DESCRIPTIONS } from './summary.ts';

export const LLM_SUMMARY_MAX_CHARS = 600;
const TRANSCRIPT_MESSAGES = 40;
const PER_MESSAGE_CHARS = 500;

const SYSTEM = [
  'You summarise a customer-support conversation of Woodstock Outlet (a furniture retailer in Georgia) for the human agent who picks it up.',
  'Write 2 or 3 plain sentences, at most 400 characters: what the customer wants or reports, what the assistant or agents already did, and what is pending now.',
  'Be factual: no greetings, no advice, no markdown, no invented order numbers or dates. Write in English even when the customer writes Spanish.',
].join(' ');

export interface TranscriptMessage {
  message_id: string;
  role: string;
  sender_type: string | null;
  content: string;
  function_name: string | null;
}

/** The latest messages as the model reads them (HTML and legacy markers removed). */
export async function loadTranscript(ex: Executor, conversationId: string): Promise<TranscriptMessage[]> {
  const r = await rows<TranscriptMessage>(
    ex,
    sql`SELECT message_id::text AS message_id, message_role AS role, sender_type, left(message_content, 4000) AS content,
          executed_function_name AS function_name
        FROM chatbot_messages WHERE conversation_id = ${conversationId} AND NOT is_internal_note
        ORDER BY message_created_at DESC, message_id DESC LIMIT ${TRANSCRIPT_MESSAGES}`,
  );
  return r.reverse();
}

export function formatTranscript(messages: readonly TranscriptMessage[]): string {
  const lines: string[] = [];
  for (const m of messages) {
    if (m.function_name) {
      lines.push(`[assistant ${FUNCTION_DESCRIPTIONS[m.function_name] ?? `used ${m.function_name}`}]`);
      continue;
    }
    const who = m.role === 'user' ? 'Customer' : m.sender_type === 'business_rep' ? 'Agent' : 'Assistant';
    const text = cleanText(m.content);
    if (!text) continue;
    lines.push(`${who}: ${text.length > PER_MESSAGE_CHARS ? `${text.slice(0, PER_MESSAGE_CHARS)}…` : text}`);
  }
  return lines.join('\n');
}

/** A short paragraph from the model, or null (no usable answer, timeout, endpoint down). */
export async function generateLlmSummary(
  model: LanguageModel,
  messages: readonly TranscriptMessage[],
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<string | null> {
  const transcript = formatTranscript(messages);
  if (!transcript) return null;
  try {
    const { text } = await generateText({
      model,
      system: SYSTEM,
      prompt: `Conversation (oldest first):\n${transcript}\n\nSummary:`,
      maxOutputTokens: 220,
      temperature: 0.2,
      maxRetries: 1,
      abortSignal: opts.signal
        ? AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs ?? 20_000)])
        : AbortSignal.timeout(opts.timeoutMs ?? 20_000),
    });
    const clean = text.replace(/\s+/g, ' ').trim();
    if (clean.length < 10) return null;
    return clean.length > LLM_SUMMARY_MAX_CHARS ? `${clean.slice(0, LLM_SUMMARY_MAX_CHARS - 1).replace(/\s+\S*$/, '')}…` : clean;
  } catch {
    return null;
  }
}
