// The built-in offline model (used when LLM_BASE_URL is unset): a deterministic LanguageModelV3
// that plans real tool calls from the user's message (English and Spanish) and writes the answer
// from the tools' typed results. No network, no randomness in what it decides; a step takes well
// under a millisecond.
//
// Conventions the agent follows (see also src/chat/offline-model/context.ts):
// - A verified identity goes in the system prompt as `customer_id=<id>` (for example the line
//   `Verified customer: customer_id=C100234`). It is used when the conversation has no customer
//   record in its tool results yet.
// - Earlier turns' tool calls and results are passed as assistant `tool-call` parts and `tool`
//   messages (what `response.messages` of the AI SDK gives); results are `ToolResult` values
//   (`{ok:true,data}` / `{ok:false,error,message}`). Stored legacy assistant text with the
//   original's markers (`**Function Result (name):** {json}`, `**CAROUSEL_DATA:** {...}`) is read
//   too.
import { randomUUID } from 'node:crypto';
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3GenerateResult,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import { planTurn, type Plan, type PlannedCall } from './offline-model/plan.ts';

export { planTurn };
export type { Plan, PlannedCall };

export const OFFLINE_MODEL_ID = 'woodstock-offline';
export const OFFLINE_PROVIDER = 'woodstock';

export interface OfflineModelOptions {
  /**
   * Pause between streamed text chunks, in ms (default 0: the whole answer is produced at once,
   * still as several `text-delta` parts). A small value (20–40) makes the demo look like typing.
   */
  chunkDelayMs?: number;
  /** Words per `text-delta` chunk (default 3). */
  wordsPerChunk?: number;
}

/** The tool names offered in this call (function tools only), after `toolChoice`. */
export function offeredToolNames(options: Pick<LanguageModelV3CallOptions, 'tools' | 'toolChoice'>): string[] {
  const names = (options.tools ?? []).filter((t) => t.type === 'function').map((t) => t.name);
  const choice = options.toolChoice;
  if (choice?.type === 'none') return [];
  if (choice?.type === 'tool') return names.filter((n) => n === choice.toolName);
  return names;
}

/** Split text into chunks of a few words; concatenated they give the text back exactly. */
export function chunkText(text: string, wordsPerChunk = 3): string[] {
  const lead = /^\s*/.exec(text)![0];
  const words = text.slice(lead.length).match(/\S+\s*/g) ?? [];
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerChunk) chunks.push(words.slice(i, i + wordsPerChunk).join(''));
  if (chunks.length === 0) return lead ? [lead] : [];
  chunks[0] = lead + chunks[0];
  return chunks;
}

function promptChars(prompt: LanguageModelV3Prompt): number {
  let n = 0;
  for (const m of prompt) {
    if (typeof m.content === 'string') {
      n += m.content.length;
      continue;
    }
    for (const part of m.content) {
      if (part.type === 'text' || part.type === 'reasoning') n += part.text.length;
      else if (part.type === 'tool-call') n += JSON.stringify(part.input ?? null).length + part.toolName.length;
      else if (part.type === 'tool-result') n += JSON.stringify(part.output ?? null).length;
    }
  }
  return n;
}

const tokens = (chars: number) => Math.max(1, Math.ceil(chars / 4));

function usageOf(inputChars: number, outputChars: number): LanguageModelV3Usage {
  const input = tokens(inputChars);
  const output = tokens(outputChars);
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: output, text: output, reasoning: 0 },
  };
}

function abortError(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const err = new Error('The operation was aborted.');
  err.name = 'AbortError';
  return err;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface Step {
  plan: Plan;
  content: LanguageModelV3Content[];
  finishReason: LanguageModelV3FinishReason;
  usage: LanguageModelV3Usage;
  responseId: string;
  timestamp: Date;
}

function runStep(options: LanguageModelV3CallOptions): Step {
  const plan = planTurn(options.prompt, offeredToolNames(options));
  const content: LanguageModelV3Content[] =
    'toolCalls' in plan
      ? plan.toolCalls.map((c) => ({
          type: 'tool-call' as const,
          toolCallId: `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
          toolName: c.toolName,
          input: JSON.stringify(c.input),
        }))
      : [{ type: 'text' as const, text: plan.text }];
  const outputChars = 'toolCalls' in plan ? plan.toolCalls.reduce((n, c) => n + c.toolName.length + JSON.stringify(c.input).length, 0) : plan.text.length;
  return {
    plan,
    content,
    finishReason: 'toolCalls' in plan ? { unified: 'tool-calls', raw: 'tool_calls' } : { unified: 'stop', raw: 'stop' },
    usage: usageOf(promptChars(options.prompt), outputChars),
    responseId: `woodstock-${randomUUID()}`,
    timestamp: new Date(),
  };
}

/** The offline model: `specificationVersion: 'v3'`, provider `woodstock`, modelId `woodstock-offline`. */
export function createOfflineModel(settings: OfflineModelOptions = {}): LanguageModelV3 {
  const chunkDelayMs = Math.max(0, settings.chunkDelayMs ?? 0);
  const wordsPerChunk = Math.max(1, Math.floor(settings.wordsPerChunk ?? 3));

  return {
    specificationVersion: 'v3',
    provider: OFFLINE_PROVIDER,
    modelId: OFFLINE_MODEL_ID,
    supportedUrls: {},

    async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
      if (options.abortSignal?.aborted) throw abortError(options.abortSignal);
      const step = runStep(options);
      return {
        content: step.content,
        finishReason: step.finishReason,
        usage: step.usage,
        warnings: [],
        request: { body: { model: OFFLINE_MODEL_ID } },
        response: { id: step.responseId, timestamp: step.timestamp, modelId: OFFLINE_MODEL_ID },
      };
    },

    async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
      const signal = options.abortSignal;
      if (signal?.aborted) throw abortError(signal);
      const step = runStep(options);

      const parts: LanguageModelV3StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        { type: 'response-metadata', id: step.responseId, timestamp: step.timestamp, modelId: OFFLINE_MODEL_ID },
      ];
      for (const c of step.content) {
        if (c.type === 'tool-call') parts.push(c);
        else if (c.type === 'text') {
          const id = 'txt-0';
          parts.push({ type: 'text-start', id });
          for (const delta of chunkText(c.text, wordsPerChunk)) parts.push({ type: 'text-delta', id, delta });
          parts.push({ type: 'text-end', id });
        }
      }
      parts.push({ type: 'finish', finishReason: step.finishReason, usage: step.usage });

      let next = 0;
      const stream = new ReadableStream<LanguageModelV3StreamPart>({
        async pull(controller) {
          try {
            if (signal?.aborted) throw abortError(signal);
            const part = parts[next++]!;
            if (chunkDelayMs > 0 && part.type === 'text-delta' && next > 1 && parts[next - 2]?.type === 'text-delta') {
              await sleep(chunkDelayMs, signal);
            }
            controller.enqueue(part);
            if (next >= parts.length) controller.close();
          } catch (error) {
            controller.error(error);
          }
        },
      });
      return { stream, request: { body: { model: OFFLINE_MODEL_ID, stream: true } }, response: { headers: {} } };
    },
  };
}
