// The customer chat API: POST /v1/chat/completions (OpenAI Chat Completions, streaming and not,
// plus the original's fields), GET /v1/sessions/{id} and the live channel for agents' replies.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticateApiKey, bearerToken, verifyIdentityToken, type VerifiedIdentity } from '../auth/index.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { problemSchema } from '../shared/problem-schema.ts';
import {
  createConversation,
  findActiveConversation,
  findConversationBySession,
  findConversationsByIdentifier,
  listMessages,
  toApiMessage,
  withEvents,
  type ConversationRow,
} from '../conversations/conversation-store.ts';
import { setConversationCustomer } from '../conversations/customer-link.ts';
import type { EventFeed } from '../events/feed.ts';
import { customerFrame } from '../events/realtime.ts';
import type { Catalog, LoftClient, Showroom } from '../loft/types.ts';
import { AppError } from '../shared/errors.ts';
import { normalizeUserIdentifier } from '../shared/phone.ts';
import { runTurn, type TurnEvent } from './agent.ts';
import type { Access, Component } from './tools/types.ts';
import type { LanguageModel } from 'ai';

export interface ChatDeps {
  config: Config;
  database: Database;
  model: LanguageModel;
  modelName: string;
  loft: LoftClient;
  catalog: Catalog;
  showrooms: Showroom[];
  feed: EventFeed;
}

const platformEnum = z.enum(['webchat', 'phone', 'sms', 'facebook', 'facebook_messenger', 'instagram', 'whatsapp', 'email']);
const contentPart = z.object({ type: z.string(), text: z.string().optional() }).passthrough();
const chatMessage = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
    content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
    name: z.string().optional(),
  })
  .passthrough();

const chatRequest = z
  .object({
    model: z.string().max(200).optional(),
    messages: z.array(chatMessage).min(1).max(500),
    stream: z.boolean().optional().default(false),
    user: z.string().max(255).optional(),
    session_id: z.string().trim().min(8).max(255).regex(/^[\w.:-]+$/, 'letters, digits, _ . : - only').optional(),
    user_identifier: z.string().trim().min(1).max(255).optional(),
    platform_type: platformEnum.optional().default('webchat'),
    identity_token: z.string().max(4096).optional(),
  })
  .passthrough()
  .meta({
    example: {
      model: 'woodstock-assistant',
      stream: false,
      session_id: '5d1c7f0e-7a1e-4c9b-9a77-0c1f1a2b3c4d',
      messages: [{ role: 'user', content: 'What are your hours at the Canton store?' }],
    },
  });

const componentSchema = z.object({ type: z.string(), data: z.unknown(), html: z.string() });
const completionResponse = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({ role: z.literal('assistant'), content: z.string() }),
        finish_reason: z.string(),
      }),
    ),
    usage: z.object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int(), total_tokens: z.number().int() }),
    conversation_id: z.string(),
    session_id: z.string().nullable(),
    handled_by: z.enum(['bot', 'human']),
    components: z.array(componentSchema),
  })
  .passthrough();

const MAX_TURN_CHARS = 8_000;

function latestUserText(messages: z.infer<typeof chatMessage>[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) return m.content.map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('\n');
    return '';
  }
  throw new AppError('validation_failed', 'messages must contain a user message (the new turn)', 400);
}

const estimateTokens = (s: string) => Math.ceil(s.length / 4);

export async function registerChatRoutes(appBase: FastifyInstance, deps: ChatDeps): Promise<void> {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { database, config } = deps;

  async function resolveAccess(req: FastifyRequest, identityToken: string | undefined): Promise<{ access: Access; identity?: VerifiedIdentity; staffName?: string }> {
    let token = bearerToken(req.headers);
    // A JWT in the Authorization header is a customer's identity token (clients such as the
    // openai SDK can only send a bearer token); anything else must be a staff API key.
    if (token && !identityToken && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) {
      identityToken = token;
      token = undefined;
    }
    if (token) {
      const principal = await authenticateApiKey(database.db, token, config.INBOX_API_KEY);
      // A wrong key must not silently downgrade a staff tool to a customer view.
      if (!principal) throw new AppError('unauthorized', 'The API key is not valid', 401);
      return { access: { staff: true }, staffName: principal.agent_name ?? principal.name };
    }
    if (identityToken) {
      const identity = await verifyIdentityToken(identityToken, config.IDENTITY_SECRET);
      // A token naming a phone or email is resolved to the LOFT customer it belongs to.
      if (!identity.customer_id) {
        const found = identity.phone
          ? await deps.loft.getCustomerByPhone(identity.phone)
          : identity.email ? await deps.loft.getCustomerByEmail(identity.email) : undefined;
        if (found?.ok) {
          identity.customer_id = found.value.customer_id;
          identity.name ??= found.value.name;
          identity.email ??= found.value.email;
          identity.phone ??= found.value.phone;
        }
      }
      return { access: { staff: false, verified: { customer_id: identity.customer_id, phone: identity.phone, email: identity.email } }, identity };
    }
    return { access: { staff: false } };
  }

  async function resolveConversation(body: z.infer<typeof chatRequest>, identity?: VerifiedIdentity): Promise<{ conversation: ConversationRow; sessionId: string | null }> {
    const platform = body.platform_type;
    const identifier = body.user_identifier ? normalizeUserIdentifier(body.user_identifier) : undefined;
    let sessionId = body.session_id ?? null;
    let conversation: ConversationRow | undefined;
    if (sessionId) {
      conversation = await findConversationBySession(database.db, sessionId);
    } else if (identifier) {
      // The original's keying: one active conversation per (user_identifier, platform).
      const candidates = [...new Set([identifier, body.user_identifier!.trim()])];
      conversation = await findActiveConversation(database.db, candidates, platform);
    } else {
      // Neither: a new session. Never derive an id from the message text.
      sessionId = randomUUID();
    }
    if (!conversation) {
      const userIdentifier = identifier ?? (identity?.phone ?? identity?.email ?? `session:${sessionId}`);
      try {
        const { result } = await withEvents(database, async (tx) => {
          const r = await createConversation(tx, { userIdentifier, platformType: platform, sessionId });
          return { result: r.conversation, events: r.events };
        });
        conversation = result;
      } catch (err) {
        // Two first messages of one session raced: the other created it.
        if (sessionId && /duplicate key|unique/i.test((err as Error).message)) {
          conversation = await findConversationBySession(database.db, sessionId);
        }
        if (!conversation) throw err;
      }
    }
    return { conversation, sessionId: sessionId ?? conversation.session_id };
  }

  app.post('/v1/chat/completions', {
    config: { rateLimit: { max: config.RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' } },
    schema: {
      tags: ['Customer chat'],
      summary: 'Chat with the assistant (OpenAI Chat Completions compatible)',
      description: 'The latest user message in `messages` is the new turn; history comes from the database. With `stream: true` the answer is text/event-stream of chat.completion.chunk frames; a chunk may carry `components` (rendered function results) as soon as the function finishes. Send `Authorization: Bearer <api key>` for staff access, or `identity_token` for a verified customer.',
      body: chatRequest,
      response: { 200: completionResponse, 400: problemSchema, 401: problemSchema, 413: problemSchema, 429: problemSchema, 503: problemSchema },
    },
  }, async (req, reply) => {
    const body = req.body;
    const text = latestUserText(body.messages);
    if (text.trim().length === 0) throw new AppError('validation_failed', 'The user message is empty', 400);
    if (text.length > MAX_TURN_CHARS) throw new AppError('message_too_long', `A message may have at most ${MAX_TURN_CHARS} characters`, 400);
    const { access, identity } = await resolveAccess(req, body.identity_token);
    let { conversation, sessionId } = await resolveConversation(body, identity);
    if (identity && access.verified?.customer_id && (!conversation.customer_verified || conversation.customer_id !== access.verified.customer_id)) {
      conversation = await setConversationCustomer(database, conversation.conversation_id, {
        customer_id: access.verified.customer_id,
        name: identity.name ?? null,
        phone: identity.phone ?? null,
        email: identity.email ?? null,
        verified: true,
      });
    }

    const id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
    const created = Math.floor(Date.now() / 1000);
    const model = body.model ?? deps.modelName;
    // No abort on client disconnect: the turn finishes and is stored, so the reply is in the
    // history when the customer comes back.
    const turn = runTurn(
      { database, model: deps.model, loft: deps.loft, catalog: deps.catalog, showrooms: deps.showrooms, logger: req.log },
      { conversation, text, access, signal: undefined },
    );

    if (!body.stream) {
      let content = '';
      let components: Component[] = [];
      let handledBy: 'bot' | 'human' = 'bot';
      for await (const ev of turn) {
        if (ev.type === 'done') {
          content = ev.content;
          components = ev.components;
          handledBy = ev.handledBy;
        }
      }
      return {
        id,
        object: 'chat.completion' as const,
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant' as const, content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: estimateTokens(text), completion_tokens: estimateTokens(content), total_tokens: estimateTokens(text) + estimateTokens(content) },
        conversation_id: conversation.conversation_id,
        session_id: sessionId,
        handled_by: handledBy,
        components,
      };
    }

    // Streaming: the customer's message is stored before the first byte goes out; if storing
    // fails the client gets a problem+json error instead of a stream.
    const first = await turn.next();
    if (first.done || first.value.type !== 'stored_user_message') throw new Error('turn did not start');
    await streamTurn(reply, turn, { id, created, model, conversationId: conversation.conversation_id, sessionId });
    return reply;
  });

  app.get('/v1/sessions/:id', {
    schema: {
      tags: ['Customer chat'],
      summary: 'A session or user identifier: its conversation and latest messages (creates nothing)',
      params: z.object({ id: z.string().min(1).max(255) }),
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
      response: {
        200: z.object({
          user_identifier: z.string(),
          conversation_id: z.string(),
          session_id: z.string().nullable(),
          handled_by: z.string(),
          message_count: z.number().int(),
          messages: z.array(z.record(z.string(), z.unknown())),
          customer_context: z.unknown(),
        }),
        404: problemSchema,
      },
    },
  }, async (req) => {
    const id = req.params.id;
    let conversation = await findConversationBySession(database.db, id);
    if (!conversation) {
      const normalized = normalizeUserIdentifier(id);
      const [found] = await findConversationsByIdentifier(database.db, [...new Set([normalized, id])]);
      conversation = found;
    }
    if (!conversation) throw new AppError('session_not_found', `No conversation for ${id}`, 404);
    const messages = await listMessages(database.db, conversation.conversation_id, { limit: req.query.limit, includeInternal: false });
    return {
      user_identifier: conversation.user_identifier,
      conversation_id: conversation.conversation_id,
      session_id: conversation.session_id,
      handled_by: conversation.handled_by,
      message_count: conversation.message_count ?? 0,
      messages: messages.map((m) => publicMessage(toApiMessage(m))),
      // Only a verified link is shown: the session holder is that customer.
      customer_context: conversation.customer_verified && conversation.customer_id
        ? { customer_id: conversation.customer_id, name: conversation.customer_name }
        : null,
    };
  });

  // The customer's live channel: agents' replies and handoff changes, riding the event log.
  app.get('/v1/sessions/:id/stream', {
    schema: {
      tags: ['Customer chat'],
      summary: "Server-sent events: human agents' replies and handoff status for a session, live",
      params: z.object({ id: z.string().min(1).max(255) }),
      querystring: z.object({ after: z.coerce.number().int().min(0).optional() }),
      response: { 404: problemSchema },
    },
  }, async (req, reply) => {
    const conversation = await findConversationBySession(database.db, req.params.id);
    if (!conversation) throw new AppError('session_not_found', `No conversation for session ${req.params.id}`, 404);
    const lastEventId = Number(req.headers['last-event-id']);
    const after = Number.isFinite(lastEventId) && lastEventId > 0 ? lastEventId : req.query.after ?? null;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 2000\n: connected\n\n`);
    const sub = deps.feed.subscribe({
      after,
      filter: (e) => e.conversation_id === conversation.conversation_id,
      onEvent: (e) => {
        const frame = customerFrame(e);
        if (frame) res.write(`id: ${e.id}\ndata: ${JSON.stringify(frame)}\n\n`);
      },
      onError: () => res.end(),
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
    heartbeat.unref();
    req.raw.on('close', () => {
      clearInterval(heartbeat);
      sub.close();
    });
  });
}

/** What the customer's page may see of a message (no internal function plumbing beyond components). */
function publicMessage(m: ReturnType<typeof toApiMessage>) {
  return {
    message_id: m.message_id,
    role: m.role,
    sender_type: m.sender_type,
    sender_name: m.sender_name,
    content: m.role === 'tool' ? '' : m.content,
    components: m.components,
    function_name: m.function_name,
    created_at: m.created_at,
  };
}

async function streamTurn(
  reply: FastifyReply,
  turn: AsyncGenerator<TurnEvent>,
  meta: { id: string; created: number; model: string; conversationId: string; sessionId: string | null },
): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': String(reply.request.id),
  });
  const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({
      id: meta.id,
      object: 'chat.completion.chunk',
      created: meta.created,
      model: meta.model,
      conversation_id: meta.conversationId,
      session_id: meta.sessionId,
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...extra,
    })}\n\n`;
  res.write(chunk({ role: 'assistant', content: '' }, null));
  try {
    for await (const ev of turn) {
      if (ev.type === 'text') res.write(chunk({ content: ev.text }, null));
      else if (ev.type === 'component') res.write(chunk({}, null, { components: [ev.component] }));
      else if (ev.type === 'done') res.write(chunk({}, 'stop', { handled_by: ev.handledBy }));
    }
    res.write('data: [DONE]\n\n');
  } catch (err) {
    reply.request.log.error({ err }, 'chat stream failed');
    // The stream already started: report in-band, the way OpenAI-compatible servers do.
    res.write(`data: ${JSON.stringify({ error: { message: 'The reply could not be completed or saved; please try again.', type: 'server_error', code: 'turn_failed' } })}\n\n`);
  }
  res.end();
}
