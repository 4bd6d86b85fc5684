// One chat turn: store the customer's message, then (unless a human handles the conversation)
// run the agent over the latest memory with the 14 tools, storing each tool result the moment it
// arrives (and streaming its component), then the assistant's text. Every store commits with its
// events; a failure to store reaches the client as an error, never as silence.
import { stepCountIs, streamText, type LanguageModel, type ModelMessage } from 'ai';
import type { Database } from '../db/client.ts';
import { insertMessage, withEvents, type ConversationRow, type MessageRow } from '../conversations/conversation-store.ts';
import { requestHandoff } from '../conversations/handoff.ts';
import { renderComponent } from '../components/index.ts';
import type { Catalog, LoftClient, Showroom } from '../loft/types.ts';
import type { FastifyBaseLogger } from 'fastify';
import { loadMemory } from './memory.ts';
import { llmTurns } from '../metrics.ts';
import { systemPrompt } from './system-prompt.ts';
import { createCustomerTools } from './tools/index.ts';
import type { Access, Component, ToolName, ToolResult } from './tools/types.ts';
import { toolNames } from './tools/types.ts';

export interface AgentDeps {
  database: Database;
  model: LanguageModel;
  loft: LoftClient;
  catalog: Catalog;
  showrooms: Showroom[];
  logger?: FastifyBaseLogger;
  maxSteps?: number;
  modelName?: string;
}

export type TurnEvent =
  | { type: 'stored_user_message'; message: MessageRow; conversation: ConversationRow }
  | { type: 'text'; text: string }
  | { type: 'component'; component: Component }
  | { type: 'done'; content: string; components: Component[]; handledBy: 'bot' | 'human'; assistantMessage: MessageRow | null };

export interface TurnInput {
  conversation: ConversationRow;
  text: string;
  access: Access;
  signal?: AbortSignal;
  /**
   * The caller may not see this conversation's earlier messages (they hold someone's personal
   * data; see privacy.ts): the model gets only this message, and the message is not attributed to
   * the conversation's verified customer.
   */
  historyHidden?: boolean;
}

const FALLBACK_EN = "I'm sorry — I'm having trouble answering right now. Your message is saved; please try again in a moment, or ask to talk to a person.";

export async function* runTurn(deps: AgentDeps, input: TurnInput): AsyncGenerator<TurnEvent> {
  const { database } = deps;
  const conversationId = input.conversation.conversation_id;
  const { result: stored } = await withEvents(database, async (tx) => {
    const r = await insertMessage(tx, {
      conversationId,
      role: 'user',
      senderType: 'customer',
      senderName: input.conversation.customer_verified && !input.historyHidden ? input.conversation.customer_name : null,
      content: input.text,
    });
    return { result: r, events: r.events };
  });
  yield { type: 'stored_user_message', message: stored.message, conversation: stored.conversation };

  // A human has the conversation: the message reaches the inbox, the assistant stays quiet.
  if (stored.conversation.handled_by === 'human') {
    yield { type: 'done', content: '', components: [], handledBy: 'human', assistantMessage: null };
    return;
  }

  const messages: ModelMessage[] = input.historyHidden
    ? [{ role: 'user', content: input.text }]
    : await loadMemory(database.db, conversationId);
  const tools = createCustomerTools({
    loft: deps.loft,
    catalog: deps.catalog,
    showrooms: deps.showrooms,
    access: input.access,
    conversationId,
    requestHandoff: (request) => requestHandoff(database, conversationId, request),
  });

  const components: Component[] = [];
  let text = '';
  let failed = false;
  const startedAt = performance.now();
  try {
    const result = streamText({
      model: deps.model,
      system: systemPrompt({ access: input.access, customerName: input.conversation.customer_name, platform: input.conversation.platform_type }),
      messages,
      tools,
      stopWhen: stepCountIs(deps.maxSteps ?? 5),
      abortSignal: input.signal,
      maxRetries: 1,
    });
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') {
        text += part.text;
        yield { type: 'text', text: part.text };
      } else if (part.type === 'tool-result' || part.type === 'tool-error') {
        const name = part.toolName as ToolName;
        const known = toolNames.includes(name);
        const output: ToolResult<unknown> = part.type === 'tool-result'
          ? (part.output as ToolResult<unknown>)
          : { ok: false, error: 'bad_response', message: 'The function failed unexpectedly' };
        const component = known && output?.ok ? renderComponent(name, output.data as never) : null;
        await withEvents(database, async (tx) => {
          const r = await insertMessage(tx, {
            conversationId,
            role: 'tool',
            senderType: 'ai_assistant',
            senderName: 'Woodstock Assistant',
            content: `${name} → ${output?.ok ? 'success' : `error: ${output?.ok === false ? output.error : 'unknown'}`}`,
            functionName: name,
            functionInput: part.input ?? {},
            functionOutput: output,
            functionStatus: output?.ok ? 'success' : 'error',
            components: component ? [component] : null,
          });
          return { result: r, events: r.events };
        });
        if (component) {
          components.push(component);
          yield { type: 'component', component };
        }
      } else if (part.type === 'error') {
        throw part.error;
      }
    }
  } catch (err) {
    if (input.signal?.aborted) throw err;
    failed = true;
    deps.logger?.error({ err: { message: (err as Error)?.message }, conversationId }, 'agent turn failed');
  }

  llmTurns.observe({ model: deps.modelName ?? 'unknown', outcome: failed ? 'error' : 'ok' }, (performance.now() - startedAt) / 1000);

  if (failed || text.trim() === '') {
    const fallback = failed ? FALLBACK_EN : components.length > 0 ? 'Here is what I found.' : FALLBACK_EN;
    const addition = text ? `\n\n${fallback}` : fallback;
    text += addition;
    yield { type: 'text', text: addition };
  }

  const { result: assistant } = await withEvents(database, async (tx) => {
    const r = await insertMessage(tx, {
      conversationId,
      role: 'assistant',
      senderType: 'ai_assistant',
      senderName: 'Woodstock Assistant',
      content: text,
      // components live on the tool rows that produced them, so history shows each once
    });
    return { result: r, events: r.events };
  });
  yield { type: 'done', content: text, components, handledBy: 'bot', assistantMessage: assistant.message };
}
