// Conversation memory for the agent: the LATEST messages (the original loaded the oldest 50),
// within a character budget, tool calls and results included, so "the second order" resolves
// against the order list the customer just saw. Internal notes never reach the model.
import type { ModelMessage } from 'ai';
import type { Executor } from '../db/client.ts';
import { listMessages, senderTypeOf, type MessageRow } from '../conversations/conversation-store.ts';

export const MEMORY_MESSAGES = 40;
export const MEMORY_CHARS = 24_000;
const MAX_TEXT = 2_000;
const MAX_TOOL_JSON = 8_000;

export async function loadMemory(ex: Executor, conversationId: string): Promise<ModelMessage[]> {
  const recent = await listMessages(ex, conversationId, { limit: MEMORY_MESSAGES, includeInternal: false });
  // Walk back from the newest message until the budget is spent.
  let budget = MEMORY_CHARS;
  const kept: MessageRow[] = [];
  for (let i = recent.length - 1; i >= 0; i--) {
    const m = recent[i]!;
    const size = Math.min(m.message_content.length, MAX_TEXT) + (m.function_output_result ? Math.min(JSON.stringify(m.function_output_result).length, MAX_TOOL_JSON) : 0);
    if (size > budget && kept.length > 0) break;
    budget -= size;
    kept.push(m);
  }
  kept.reverse();
  const out: ModelMessage[] = [];
  for (const m of kept) out.push(...toModelMessages(m));
  // A history must not start with an orphan assistant turn for some providers; leading
  // assistant text is harmless, so nothing else to trim.
  return out;
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

export function toModelMessages(m: MessageRow): ModelMessage[] {
  const sender = senderTypeOf(m);
  if (m.message_role === 'tool' && m.executed_function_name) {
    const callId = `call_${m.message_id.replace(/-/g, '').slice(0, 24)}`;
    let output = m.function_output_result ?? null;
    if (output !== null && JSON.stringify(output).length > MAX_TOOL_JSON) {
      output = { ok: (output as { ok?: boolean }).ok ?? true, note: 'result too large to repeat; call the function again if needed' };
    }
    return [
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: callId, toolName: m.executed_function_name, input: m.function_input_parameters ?? {} }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: callId, toolName: m.executed_function_name, output: { type: 'json', value: output as never } }] },
    ];
  }
  if (sender === 'customer') return [{ role: 'user', content: clip(m.message_content) || '(empty message)' }];
  if (sender === 'business_rep') {
    return [{ role: 'assistant', content: `(Reply from ${m.sender_name ?? 'a support agent'} of the Woodstock team) ${clip(m.message_content)}` }];
  }
  if (!m.message_content) return [];
  return [{ role: 'assistant', content: clip(m.message_content) }];
}
