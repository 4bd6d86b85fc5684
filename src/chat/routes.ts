// The customer chat API: POST /v1/chat/completions (OpenAI Chat Completions, streaming and not,
// plus the original's fields), GET /v1/sessions/{id} and the live channel for agents' replies.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { VerifiedIdentity } from '../auth/index.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { problemResponse, problemResponses } from '../shared/problem-schema.ts';
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
import { normalizePhone, normalizeUserIdentifier } from '../shared/phone.ts';
import { runTurn, type TurnEvent } from './agent.ts';
import { historyWithheld, mayReadPersonalData, resolveCaller } from './privacy.ts';
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
    examples: [
      {
        model: 'woodstock-assistant',
        stream: false,
        session_id: '5d1c7f0e-7a1e-4c9b-9a77-0c1f1a2b3c4d',
        messages: [{ role: 'user', content: 'What are your hours at the Canton store?' }],
      },
      {
        model: 'woodstock-assistant',
        stream: true,
        user_identifier: '+14045551000',
        platform_type: 'sms',
        identity_token: '<HS256 JWT signed with IDENTITY_SECRET: {"sub":"C100000","exp":...}>',
        messages: [{ role: 'user', content: 'Where is my order?' }],
      },
    ],
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

const completionExample = {
  id: 'chatcmpl-3f0c9a7e2b1d4c5e8f6a7b8c9d0e1f2a',
  object: 'chat.completion',
  created: 1795625412,
  model: 'woodstock-assistant',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Our Canton showroom is open Monday to Saturday 10am–8pm and Sunday 12pm–6pm.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 11, completion_tokens: 19, total_tokens: 30 },
  conversation_id: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b',
  session_id: '5d1c7f0e-7a1e-4c9b-9a77-0c1f1a2b3c4d',
  handled_by: 'bot',
  components: [{ type: 'store_directions', data: { name: 'Canton' }, html: '<div class="store-directions">…</div>' }],
};
// Documentation only: the JSON answer and the text/event-stream answer (stream: true). The zod
// provider describes one media type; @fastify/swagger takes a response's `content` as given.
const { $schema: _completionDialect, ...completionJsonSchema } = z.toJSONSchema(completionResponse, { io: 'output' });
const completionResponseDoc = completionResponse.meta({
  description: 'The answer: JSON, or with `stream: true` a text/event-stream of chat.completion.chunk frames ending with `data: [DONE]`',
  content: {
    'application/json': { schema: completionJsonSchema, example: completionExample },
    'text/event-stream': {
      schema: { type: 'string' },
      example: 'data: {"id":"chatcmpl-3f0c…","object":"chat.completion.chunk","created":1795625412,"model":"woodstock-assistant","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\ndata: {"id":"chatcmpl-3f0c…","object":"chat.completion.chunk","created":1795625412,"model":"woodstock-assistant","choices":[{"index":0,"delta":{"content":"Our Canton showroom"},"finish_reason":null}]}\n\ndata: {"id":"chatcmpl-3f0c…","object":"chat.completion.chunk","created":1795625412,"model":"woodstock-assistant","choices":[{"index":0,"delta":{},"finish_reason":null}],"components":[{"type":"store_directions","data":{},"html":"…"}]}\n\ndata: {"id":"chatcmpl-3f0c…","object":"chat.completion.chunk","created":1795625412,"model":"woodstock-assistant","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"handled_by":"bot"}\n\ndata: [DONE]\n\n',
    },
  },
});
const sessionStreamDoc = z.string().meta({
  description: 'text/event-stream: `{"type":"message", message}` for each agent reply and `{"type":"handoff", status}` when a human takes over or hands back; each frame has an `id:` (the event id) for Last-Event-ID resume',
  content: {
    'text/event-stream': {
      schema: { type: 'string' },
      example: 'retry: 2000\n: connected\n\nid: 1043\ndata: {"type":"handoff","status":"pending_human"}\n\nid: 1051\ndata: {"type":"message","message":{"message_id":"5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d","role":"assistant","sender_type":"business_rep","sender_name":"Tasha Reed","content":"Hi Ann, this is Tasha.","components":null,"function_name":null,"created_at":"2026-11-25T16:45:00.000Z"}}\n\n',
    },
  },
});

const MAX_TURN_CHARS = 8_000;

// An identity token for one customer on a session whose conversation holds another's data.
const problem403Detail = 'This session belongs to another customer; start a new session (a new session_id) to chat as yourself';
const problem403 = problemResponse(
  { status: 403, title: 'Forbidden', code: 'identity_mismatch', detail: problem403Detail },
  'The identity token names someone other than the customer this session belongs to (problem+json, code `identity_mismatch`)',
);

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

/**
 * Every form an identifier may be stored under: ours (E.164 phone, lower-cased email), the raw
 * input, and the shapes adopted legacy rows hold phones in (404-555-0142, (404) 555-0142).
 */
function identifierForms(raw: string, normalized: string): string[] {
  const forms = new Set([normalized, raw]);
  const phone = normalizePhone(raw);
  if (phone) {
    const d = phone.slice(2);
    forms.add(`${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`);
    forms.add(`(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`);
    forms.add(d);
  }
  return [...forms];
}

export async function registerChatRoutes(appBase: FastifyInstance, deps: ChatDeps): Promise<void> {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { database, config } = deps;

  // Who is asking: an anonymous visitor, a verified customer or staff (privacy.ts).
  const resolveAccess = (req: FastifyRequest, identityToken: string | undefined) => resolveCaller(deps, req.headers, identityToken);

  async function resolveConversation(body: z.infer<typeof chatRequest>, identity?: VerifiedIdentity): Promise<{ conversation: ConversationRow; sessionId: string | null }> {
    const platform = body.platform_type;
    const identifier = body.user_identifier ? normalizeUserIdentifier(body.user_identifier) : undefined;
    let sessionId = body.session_id ?? null;
    let conversation: ConversationRow | undefined;
    if (sessionId) {
      conversation = await findConversationBySession(database.db, sessionId);
    } else if (identifier) {
      // The original's keying: one active conversation per (user_identifier, platform).
      const candidates = identifierForms(body.user_identifier!.trim(), identifier);
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
      operationId: 'createChatCompletion',
      summary: 'Chat with the assistant (OpenAI Chat Completions compatible)',
      // Public; an API key (staff) is optional.
      security: [{}, { apiKey: [] }],
      description: 'The latest user message in `messages` is the new turn; history comes from the database. With `stream: true` the answer is text/event-stream of chat.completion.chunk frames; a chunk may carry `components` (rendered function results) as soon as the function finishes. Send `Authorization: Bearer <api key>` for staff access, or `identity_token` for a verified customer. Without `session_id`, `user_identifier` continues that channel\'s conversation (the original keying, for channel integrations): it needs an API key or that customer\'s own identity token.',
      body: chatRequest,
      response: { 200: completionResponseDoc, 400: problemResponses[400], 401: problemResponses[401], 403: problem403, 413: problemResponses[413], 429: problemResponses[429], 503: problemResponses[503] },
    },
  }, async (req, reply) => {
    const body = req.body;
    const text = latestUserText(body.messages);
    if (text.trim().length === 0) throw new AppError('validation_failed', 'The user message is empty', 400);
    if (text.length > MAX_TURN_CHARS) throw new AppError('message_too_long', `A message may have at most ${MAX_TURN_CHARS} characters`, 400);
    const { access, identity } = await resolveAccess(req, body.identity_token);
    // Without a session, `user_identifier` picks an existing channel conversation (the original's
    // keying: an SMS gateway or Messenger bridge speaking for that number). Anyone could otherwise
    // write into a customer's conversation by knowing their phone: it takes a staff/integration
    // API key, or the customer's own identity token. The web chat uses its session id.
    const ownIdentifier = (v: string | undefined) => !!v && normalizeUserIdentifier(v) === normalizeUserIdentifier(body.user_identifier!);
    if (!body.session_id && body.user_identifier && !access.staff && !(ownIdentifier(access.verified?.phone) || ownIdentifier(access.verified?.email))) {
      throw new AppError('unauthorized', 'A turn keyed by user_identifier (no session_id) needs an API key (channel integrations) or the customer\'s identity_token; the web chat sends its session_id', 401);
    }
    let { conversation, sessionId } = await resolveConversation(body, identity);
    // A conversation holding someone's personal data (a verified customer's, or what staff looked
    // up in it) is continued by anyone else without its history: the model gets only the new
    // message, so earlier answers cannot be repeated to them. Another customer's identity token
    // is refused outright: linking the conversation to them would show them the first owner's
    // data, and show the first owner theirs.
    const withheld = await historyWithheld(database.db, access, conversation);
    if (withheld && identity) throw new AppError('identity_mismatch', problem403Detail, 403);
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
      { database, model: deps.model, modelName: deps.modelName, loft: deps.loft, catalog: deps.catalog, showrooms: deps.showrooms, logger: req.log },
      { conversation, text, access, signal: undefined, historyHidden: withheld },
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
      operationId: 'getSession',
      summary: 'A session or user identifier: its conversation and latest messages (creates nothing)',
      description: 'Public. A conversation holding personal data (a verified customer\'s, or customer records staff looked up in it) is shown in full only with `Authorization: Bearer <identity token>` of that customer or a staff API key; to anyone else its messages come back with their content withheld (`personal_data_withheld: true`). An invalid credential is a 401.',
      security: [{}, { apiKey: [] }],
      params: z.object({ id: z.string().min(1).max(255).describe('A session id or a user identifier (phone, email)') }),
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50).describe('How many of the latest messages, 1–200') }),
      response: {
        200: z.object({
          user_identifier: z.string(),
          conversation_id: z.string(),
          session_id: z.string().nullable(),
          handled_by: z.string(),
          message_count: z.number().int(),
          messages: z.array(z.record(z.string(), z.unknown())),
          customer_context: z.unknown(),
          personal_data_withheld: z.boolean(),
        }).meta({
          description: 'The conversation and its latest messages, newest last (no internal notes)',
          examples: [{
            user_identifier: '+14045551000',
            conversation_id: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b',
            session_id: '5d1c7f0e-7a1e-4c9b-9a77-0c1f1a2b3c4d',
            handled_by: 'bot',
            message_count: 2,
            messages: [
              { message_id: '0e7d5a1c-3b2f-4e6d-9a8b-7c6d5e4f3a2b', role: 'user', sender_type: 'customer', sender_name: null, content: 'What are your hours at the Canton store?', components: null, function_name: null, created_at: '2026-11-25T16:40:12.004Z' },
              { message_id: '9b2f0c1e-2d3c-4b5a-8e7f-6a5b4c3d2e1f', role: 'assistant', sender_type: 'ai_assistant', sender_name: 'Woodstock Assistant', content: 'Our Canton showroom is open Monday to Saturday 10am–8pm and Sunday 12pm–6pm.', components: [], function_name: null, created_at: '2026-11-25T16:40:12.900Z' },
            ],
            customer_context: null,
            personal_data_withheld: false,
          }],
        }),
        400: problemResponses[400],
        401: problemResponses[401],
        404: problemResponses[404],
        503: problemResponses[503],
      },
    },
  }, async (req) => {
    const id = req.params.id;
    // Who is asking (nobody, a verified customer, staff): checked before the lookup, so a bad
    // credential is a 401 whether or not the id exists.
    const { access } = await resolveAccess(req, undefined);
    let conversation = await findConversationBySession(database.db, id);
    if (!conversation) {
      const [found] = await findConversationsByIdentifier(database.db, identifierForms(id, normalizeUserIdentifier(id)));
      conversation = found;
    }
    if (!conversation) throw new AppError('session_not_found', `No conversation for ${id}`, 404);
    const messages = await listMessages(database.db, conversation.conversation_id, { limit: req.query.limit, includeInternal: false });
    // A phone number or email is no proof of being that person, and a session id may be left in
    // a shared browser: personal history is for its verified owner and staff only.
    const withheld = await historyWithheld(database.db, access, conversation);
    return {
      // withheld: the id as asked for (a verified conversation's identifier is the owner's phone)
      user_identifier: withheld ? id : conversation.user_identifier,
      conversation_id: conversation.conversation_id,
      session_id: conversation.session_id,
      handled_by: conversation.handled_by,
      message_count: conversation.message_count ?? 0,
      messages: messages.map((m) => (withheld ? withheldMessage(toApiMessage(m)) : publicMessage(toApiMessage(m)))),
      // Only a verified link is shown, and only to its owner (or staff).
      customer_context: conversation.customer_verified && conversation.customer_id && mayReadPersonalData(access, conversation)
        ? { customer_id: conversation.customer_id, name: conversation.customer_name }
        : null,
      personal_data_withheld: withheld,
    };
  });

  // The customer's live channel: agents' replies and handoff changes, riding the event log.
  app.get('/v1/sessions/:id/stream', {
    schema: {
      tags: ['Customer chat'],
      operationId: 'streamSession',
      summary: "Server-sent events: human agents' replies and handoff status for a session, live",
      security: [{}, { apiKey: [] }],
      description: 'Resume with the `Last-Event-ID` header (or `?after=<event id>`): what was missed is replayed first. Heartbeat comments every 15 s. For a conversation holding personal data, pass that customer\'s `identity_token` in the query (EventSource cannot send headers) or a staff API key as `Authorization: Bearer`; without it the stream carries handoff changes only, no messages and no replay.',
      params: z.object({ id: z.string().min(1).max(255).describe('The session id') }),
      querystring: z.object({
        after: z.coerce.number().int().min(0).optional().describe('Replay events after this event id'),
        identity_token: z.string().max(4096).optional().describe("The host site's identity token for this customer (see docs/identity.md)"),
      }),
      response: { 200: sessionStreamDoc, 400: problemResponses[400], 401: problemResponses[401], 404: problemResponses[404], 503: problemResponses[503] },
    },
  }, async (req, reply) => {
    const { access } = await resolveAccess(req, req.query.identity_token);
    const conversation = await findConversationBySession(database.db, req.params.id);
    if (!conversation) throw new AppError('session_not_found', `No conversation for session ${req.params.id}`, 404);
    // Someone else's personal conversation (a session id found in a shared browser): agents'
    // replies there may name the customer and their orders, so neither replay nor live messages.
    const withheld = await historyWithheld(database.db, access, conversation);
    const lastEventId = Number(req.headers['last-event-id']);
    const asked = Number.isFinite(lastEventId) && lastEventId > 0 ? lastEventId : req.query.after ?? null;
    const after = withheld ? null : asked;
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
        if (frame && !(withheld && frame.type === 'message')) res.write(`id: ${e.id}\ndata: ${JSON.stringify(frame)}\n\n`);
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

/** A message of a conversation whose personal data the caller may not see: that it exists, no more. */
function withheldMessage(m: ReturnType<typeof toApiMessage>) {
  return {
    message_id: m.message_id,
    role: m.role,
    sender_type: m.sender_type,
    sender_name: null,
    content: '',
    components: null,
    function_name: null,
    created_at: m.created_at,
  };
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
