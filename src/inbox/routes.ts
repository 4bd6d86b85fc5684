// The inbox REST API under /api (every route needs an API key), and the seed's compatibility
// path. Routes parse, authorise, call one function and shape the response.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../shared/problem-schema.ts';
import { authenticateApiKey, bearerToken, listAgents, type Principal } from '../auth/index.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { assertConversationExists, getMessage, listMessages, requireConversation, toApiMessage } from '../conversations/conversation-store.ts';
import { markRead, postAgentMessage, updateConversation } from '../conversations/triage.ts';
import { readEvents, retentionFloor } from '../events/event-log.ts';
import { AppError, unauthorized } from '../shared/errors.ts';
import { parseClientTime } from '../shared/time.ts';
import { listConversations, type SortKey } from './list-conversations.ts';
import { conversationExample, conversationSchema, messageExample, messageSchema, presentConversation, priorityValues, statusValues } from './presenters.ts';
import { buildSummary } from './summary.ts';
import { withContentHtml } from './message-html.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface InboxDeps {
  config: Config;
  database: Database;
}

const uuid = z.string().uuid({ message: 'must be a UUID' });
const idParams = z.object({ id: uuid.meta({ description: 'The conversation id (a UUID)', example: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b' }) });
/** A query value given once, repeated, or comma-separated; each item checked by `item`. */
function csv<T extends z.ZodTypeAny>(item: T) {
  return z.union([z.string(), z.array(z.string())]).transform((v, ctx) => {
    const parts = (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
    const out: z.output<T>[] = [];
    for (const p of parts) {
      const r = item.safeParse(p);
      if (!r.success) {
        ctx.addIssue({ code: 'custom', message: `"${p.slice(0, 40)}": ${r.error.issues[0]?.message ?? 'invalid'}` });
        return z.NEVER;
      }
      out.push(r.data);
    }
    return out;
  });
}
const boolQuery = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/**
 * An ISO 8601 time that really exists (see parseClientTime). A refinement, not a transform (a
 * transform would drop the documented examples): where the value reaches SQL it is passed
 * through parseClientTime, so the database never parses the client's own text.
 */
const isoDate = z.string().refine((s) => parseClientTime(s) !== null, 'must be an ISO 8601 date-time (a real calendar date, years 1–9999)');

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size, 1–200'),
  cursor: z.string().max(1000).optional().describe('Opaque: the previous page\'s `next_cursor`. Send the same filters and sort with it.'),
  offset: z.coerce.number().int().min(0).max(100_000).optional().meta({ description: 'Legacy offset paging (kept for older clients); not stable while conversations change. Not with `cursor`.', example: 0 }),
  platform: csv(z.string().min(1).max(50)).optional().meta({ description: 'Platform(s), e.g. `webchat`, `sms`; repeat or comma-separate for several', example: 'webchat' }),
  status: csv(z.enum(statusValues)).optional().meta({ description: 'Inbox status(es): `new`, `open`, `pending_human`, `snoozed`, `resolved`; repeat or comma-separate', example: 'pending_human,open' }),
  assigned_agent_id: z.union([z.literal('unassigned'), z.literal('me'), uuid]).optional().describe('An agent id, `unassigned`, or `me` (the calling key\'s agent)'),
  priority: csv(z.enum(priorityValues)).optional().meta({ description: 'Priority level(s): `urgent`, `high`, `normal`, `low`; repeat or comma-separate', example: 'urgent,high' }),
  tag: csv(z.string().min(1).max(50)).optional().meta({ description: 'Tag(s); a conversation must have every tag given. Repeatable.', example: 'delivery' }),
  unread: boolQuery.optional().describe('`true`: only conversations with customer messages since `last_read_at`; `false`: only read ones'),
  active_only: boolQuery.default(true).describe('Only active conversations (default `true`)'),
  handled_by: z.enum(['bot', 'human']).optional().describe('Who answers the customer: the assistant (`bot`) or an agent (`human`)'),
  updated_since: isoDate.optional().meta({ description: 'Only conversations changed at or after this ISO 8601 time', example: '2026-11-25T00:00:00Z' }),
  q: z.string().trim().min(1).max(200).optional().meta({ description: 'Full-text search over message text and customer name, phone, email and id', example: 'sofa' }),
  sort: z.enum(['last_message_at', 'priority', 'waiting_since', 'created_at']).default('last_message_at').describe('`last_message_at` (newest first, default), `priority` (urgent first), `waiting_since` (longest waiting first), `created_at` (newest first)'),
});

const countsSchema = z.object({
  total: z.number().int(),
  new: z.number().int(),
  open: z.number().int(),
  pending_human: z.number().int(),
  snoozed: z.number().int(),
  resolved: z.number().int(),
  unassigned: z.number().int(),
  unread: z.number().int(),
});
const listResponse = z
  .object({
    data: z.array(conversationSchema),
    next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
    meta: z.object({ counts: countsSchema.describe('Per status, plus unassigned and unread, for the same filters except `status`'), sort: z.string(), limit: z.number().int(), offset: z.number().int().nullable() }),
  })
  .meta({
    description: 'A page of conversations, the cursor of the next page, and counts',
    examples: [{
      data: [conversationExample],
      next_cursor: 'eyJrIjoiMjAyNi0xMS0yNVQxNjo0MDoxMi4wMDRaIiwiaWQiOiI2ZjFkMmMzYiJ9',
      meta: { counts: { total: 221, new: 40, open: 96, pending_human: 12, snoozed: 3, resolved: 70, unassigned: 150, unread: 58 }, sort: 'last_message_at', limit: 50, offset: null },
    }],
  });

const patchBody = z
  .object({
    inbox_status: z.enum(statusValues).optional(),
    snoozed_until: isoDate.nullable().optional(),
    assigned_agent_id: z.union([uuid, z.literal('me'), z.null()]).optional(),
    priority_level: z.enum(priorityValues).nullable().optional(),
    tags: z
      .union([
        z.array(z.string().trim().min(1).max(50)).max(50),
        z.object({ add: z.array(z.string().trim().min(1).max(50)).max(50).optional(), remove: z.array(z.string().trim().min(1).max(50)).max(50).optional() }).strict(),
      ])
      .optional(),
    handled_by: z.enum(['bot', 'human']).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'send at least one field to change')
  .meta({
    description: 'Fields to change. `tags`: an array replaces all tags; `{add, remove}` edits them (tags are trimmed and lower-cased). `priority_level: null` clears a manual priority. `assigned_agent_id: "me"` assigns to the calling key\'s agent. Resolving or `handled_by: "bot"` returns the conversation to the assistant.',
    examples: [
      { inbox_status: 'snoozed', snoozed_until: '2026-11-26T15:00:00Z', tags: { add: ['delivery'], remove: ['new'] } },
      { assigned_agent_id: 'me', inbox_status: 'open', priority_level: 'urgent' },
      { priority_level: null },
      { inbox_status: 'resolved' },
      { handled_by: 'human' },
    ],
  });

const replyBody = z
  .object({
    content: z.string().min(1, 'content must not be empty').max(10_000),
    sender_name: z.string().trim().min(1).max(255).optional(),
    is_internal_note: z.boolean().default(false),
  })
  .strict()
  .meta({
    description: '`is_internal_note: true` stores a note only agents see; otherwise the customer receives the reply live. `sender_name` defaults to the key\'s agent name (or the key\'s name).',
    examples: [
      { content: "Hi Ann, this is Tasha. I'm sorry about the damage; we'll send a replacement this week.", sender_name: 'Tasha Reed', is_internal_note: false },
      { content: 'VIP customer: offer free delivery on the replacement.', is_internal_note: true },
    ],
  });

const eventSchema = z.object({
  id: z.number().int().describe('The cursor: increases in commit order; the same id as the webhook-id header and the WebSocket frame'),
  type: z.string().describe('`message.created`, `conversation.created`, `conversation.updated`, `conversation.read`, `conversation.handoff_requested`, `conversation.enriched`'),
  occurred_at: z.string(),
  conversation_id: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
const eventsResponse = z
  .object({ data: z.array(eventSchema), next_after: z.number().int().describe('Pass as `after` next time'), reset: z.boolean().describe('true: `after` was older than the retained history; refetch state, then resume from `next_after`') })
  .meta({
    description: 'Events after the cursor, oldest first',
    examples: [{
      data: [
        {
          id: 1042,
          type: 'message.created',
          occurred_at: '2026-11-25T16:40:12.004Z',
          conversation_id: conversationExample.conversation_id,
          data: {
            conversation_id: conversationExample.conversation_id,
            source: 'woodstock_ai',
            message: { message_id: '0e7d5a1c-3b2f-4e6d-9a8b-7c6d5e4f3a2b', role: 'user', sender_type: 'customer', content: 'My sofa arrived damaged', function_name: null },
            timestamp: '2026-11-25T16:40:12.004Z',
          },
        },
        {
          id: 1043,
          type: 'conversation.updated',
          occurred_at: '2026-11-25T16:41:02.310Z',
          conversation_id: conversationExample.conversation_id,
          data: { changes: { inbox_status: { from: 'open', to: 'pending_human' }, handled_by: { from: 'bot', to: 'human' } } },
        },
      ],
      next_after: 1043,
      reset: false,
    }],
  });
const summaryResponse = z
  .looseObject({
    conversation_id: z.string(),
    customer_info: z.record(z.string(), z.unknown()).describe('`identity` (`verified`, `claimed` or `unknown`), `customer_id`, `name`, `phone`, `email`, `user_identifier`, `platform_type`, plus what enrichment learnt'),
    functions_used: z.array(z.looseObject({ name: z.string(), count: z.number().int(), successes: z.number().int(), failures: z.number().int(), last_used_at: z.string().nullable() })),
    key_topics: z.array(z.string()),
    sentiment: z.looseObject({ score: z.number(), label: z.string() }),
    priority_level: z.string(),
    priority_reasons: z.array(z.string()),
    priority_manual: z.boolean(),
    handoff: z.record(z.string(), z.unknown()).nullable().describe('The handoff request (reason, summary, priority, customer, `assistant_steps`) when the assistant asked for a human'),
    summary: z.string().nullable(),
    inbox_status: z.string(),
    handled_by: z.string(),
    message_count: z.number().int(),
    waiting_since: z.string().nullable(),
    enriched_at: z.string().nullable(),
  })
  .meta({
    description: 'The conversation summary (the fields below, and more detail from enrichment: unknown fields are to be ignored)',
    examples: [{
      conversation_id: conversationExample.conversation_id,
      customer_info: { identity: 'verified', customer_id: 'C100000', name: 'Ann Lee', phone: '+14045551000', email: 'ann.lee0@example.com', user_identifier: '+14045551000', platform_type: 'webchat' },
      functions_used: [{ name: 'getCustomerByPhone', count: 1, successes: 1, failures: 0, last_used_at: '2026-11-25T16:38:40.000Z' }],
      key_topics: ['damaged_defective', 'delivery_scheduling'],
      sentiment: { score: -0.62, label: 'negative', trend: 'worsening' },
      priority_level: 'high',
      priority_reasons: ['Damaged item reported'],
      priority_manual: false,
      handoff: { reason: 'Damaged item', summary: 'Sofa delivered with a torn cushion; customer wants a replacement.', assistant_steps: ['getCustomerByPhone', 'getOrdersByCustomer'] },
      summary: 'Customer reports a damaged sofa from order 0012345 and asks for a replacement.',
      inbox_status: 'pending_human',
      handled_by: 'human',
      message_count: 412,
      waiting_since: '2026-11-25T16:40:12.004Z',
      enriched_at: '2026-11-25T16:40:13.000Z',
    }],
  });
const messagesResponse = z
  .object({ data: z.array(messageSchema), has_more: z.boolean().describe('More messages lie beyond this page in the paging direction (before the first, or after the last with `after`)') })
  .meta({ description: 'Messages in chronological order', examples: [{ data: [messageExample], has_more: true }] });
const conversationsResponse = z
  .object({ data: z.array(conversationSchema) })
  .meta({ description: 'Conversations, most recent activity first', examples: [{ data: [conversationExample] }] });

const secured = { security: [{ apiKey: [] }] };
const errors = { 400: problemResponses[400], 401: problemResponses[401], 404: problemResponses[404], 503: problemResponses[503] };
const authErrors = { 401: problemResponses[401], 503: problemResponses[503] };

function actorOf(req: FastifyRequest) {
  const p = req.principal!;
  return { agent_id: p.agent_id, name: p.agent_name ?? p.name };
}

export async function registerInboxRoutes(appBase: FastifyInstance, deps: InboxDeps): Promise<void> {
  const { database, config } = deps;

  // Every route registered in this scope requires a valid key.
  await appBase.register(async (scope) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', async (req) => {
      const principal = await authenticateApiKey(database.db, bearerToken(req.headers), config.INBOX_API_KEY);
      if (!principal) throw unauthorized();
      req.principal = principal;
    });

    app.get('/api/me', {
      schema: { tags: ['Inbox'], operationId: 'getMe', summary: 'Who the API key belongs to', ...secured, response: {
        200: z.object({ name: z.string(), agent_id: z.string().nullable(), agent_name: z.string().nullable(), kind: z.string() })
          .meta({ description: 'The key\'s name, and the agent it belongs to (if any)', examples: [{ name: 'inbox-team', agent_id: null, agent_name: null, kind: 'key' }] }),
        ...authErrors,
      } },
    }, async (req) => {
      const p = req.principal!;
      return { name: p.name, agent_id: p.agent_id, agent_name: p.agent_name, kind: p.kind };
    });

    app.get('/api/agents', {
      schema: { tags: ['Inbox'], operationId: 'listAgents', summary: 'Agents conversations can be assigned to', ...secured, response: {
        200: z.object({ data: z.array(z.object({ agent_id: z.string(), name: z.string(), email: z.string().nullable() })) })
          .meta({ description: 'Agents', examples: [{ data: [{ agent_id: '3c9a8b7d-1e2f-4a5b-8c6d-7e8f9a0b1c2d', name: 'Tasha Reed', email: 'tasha.reed@woodstockoutlet.example' }] }] }),
        ...authErrors,
      } },
    }, async () => ({ data: await listAgents(database.db) }));

    app.get('/api/conversations', {
      schema: {
        tags: ['Inbox'],
        operationId: 'listConversations',
        summary: 'List conversations with filters, sorts, counts and pagination',
        description: 'Cursor pagination: pass `next_cursor` back as `cursor` with the same filters and sort. A walk sorted by last_message_at or created_at neither skips nor repeats a conversation while messages arrive. `offset` is kept for older clients. `meta.counts` applies every filter except `status`. `tag` is repeatable; a conversation must have every tag given. `q` searches message text (full-text, no stemming, English and Spanish alike: plain words match a conversation whose messages hold every word; a \"quoted phrase\", OR or -word must match within one message) and customer name, phone, email and id.',
        querystring: listQuerySchema,
        ...secured,
        response: { 200: listResponse, ...errors },
      },
    }, async (req) => {
      const q = req.query;
      if (q.cursor && q.offset !== undefined) throw new AppError('validation_failed', 'use either cursor or offset, not both', 400);
      let assigned = q.assigned_agent_id;
      if (assigned === 'me') {
        if (!req.principal!.agent_id) throw new AppError('no_agent', 'assigned_agent_id=me needs an API key that belongs to an agent', 400);
        assigned = req.principal!.agent_id;
      }
      const result = await listConversations(database.db, {
        filters: {
          platform: q.platform,
          status: q.status,
          assignedAgentId: assigned,
          priority: q.priority,
          tags: q.tag,
          unread: q.unread,
          activeOnly: q.active_only,
          updatedSince: q.updated_since === undefined ? undefined : parseClientTime(q.updated_since)!,
          q: q.q,
          handledBy: q.handled_by,
        },
        sort: q.sort as SortKey,
        limit: q.limit,
        cursor: q.cursor,
        offset: q.offset,
      });
      const c = result.counts;
      return {
        data: result.rows.map((r) => presentConversation(r)),
        next_cursor: result.nextCursor,
        meta: {
          counts: { total: c.total ?? 0, new: c.new ?? 0, open: c.open ?? 0, pending_human: c.pending_human ?? 0, snoozed: c.snoozed ?? 0, resolved: c.resolved ?? 0, unassigned: c.unassigned ?? 0, unread: c.unread ?? 0 },
          sort: q.sort,
          limit: q.limit,
          offset: q.offset ?? null,
        },
      };
    });

    app.get('/api/conversations/for-inbox', {
      schema: { tags: ['Inbox'], operationId: 'listConversationsForInbox', summary: "The seed's quick endpoint: the 50 most recent conversations, no filters", ...secured, response: { 200: conversationsResponse, ...authErrors } },
    }, async () => {
      const result = await listConversations(database.db, { filters: { activeOnly: false }, sort: 'last_message_at', limit: 50, offset: 0, withCounts: false });
      return { data: result.rows.map((r) => presentConversation(r)) };
    });

    app.get('/api/conversations/recent', {
      schema: {
        tags: ['Inbox'],
        operationId: 'listRecentConversations',
        summary: 'Conversations with activity in the last N hours (newest first, at most 1,000)',
        querystring: z.object({ hours: z.coerce.number().int().min(1).max(720).default(24).describe('The window in hours, 1–720') }),
        ...secured,
        response: {
          200: z.object({ data: z.array(conversationSchema), hours: z.number().int() })
            .meta({ description: 'Conversations with activity in the window, most recent first', examples: [{ data: [conversationExample], hours: 24 }] }),
          ...errors,
        },
      },
    }, async (req) => {
      const since = new Date(Date.now() - req.query.hours * 3_600_000).toISOString().replace('T', ' ').replace('Z', '');
      const result = await listConversations(database.db, { filters: { activeOnly: false, lastMessageSince: since }, sort: 'last_message_at', limit: 1000, offset: 0, withCounts: false });
      return { data: result.rows.map((r) => presentConversation(r)), hours: req.query.hours };
    });

    app.get('/api/conversations/:id', {
      schema: { tags: ['Inbox'], operationId: 'getConversation', summary: 'One conversation', params: idParams, ...secured, response: { 200: conversationSchema, ...errors } },
    }, async (req) => presentOne(database, req.params.id));

    app.patch('/api/conversations/:id', {
      schema: { tags: ['Inbox'], operationId: 'updateConversation', summary: 'Change status (snooze), assignee, priority, tags or who handles the conversation', params: idParams, body: patchBody, ...secured, response: { 200: conversationSchema, ...errors } },
    }, async (req) => {
      const body = { ...req.body };
      if (body.assigned_agent_id === 'me') {
        if (!req.principal!.agent_id) throw new AppError('no_agent', 'assigned_agent_id "me" needs an API key that belongs to an agent', 400);
        body.assigned_agent_id = req.principal!.agent_id;
      }
      await updateConversation(database, req.params.id, body as never, actorOf(req));
      return presentOne(database, req.params.id);
    });

    for (const [path, read] of [['mark-read', true], ['mark-unread', false]] as const) {
      app.post(`/api/conversations/:id/${path}`, {
        schema: { tags: ['Inbox'], operationId: read ? 'markConversationRead' : 'markConversationUnread', summary: read ? 'Mark the conversation read' : 'Mark the conversation unread (from its latest customer message)',
          description: read
            ? 'Sets `last_read_at` to now: `unread_count` becomes 0. No body. Emits `conversation.read`.'
            : 'Moves `last_read_at` to just before the latest customer message: `unread_count` becomes 1 (0 when the customer never wrote). No body. Emits `conversation.read` with `read: false`.',
          params: idParams, ...secured, response: { 200: conversationSchema, ...errors } },
      }, async (req) => {
        await markRead(database, req.params.id, read, actorOf(req));
        return presentOne(database, req.params.id);
      });
    }

    app.get('/api/conversations/:id/messages', {
      schema: {
        tags: ['Inbox'],
        operationId: 'listMessages',
        summary: 'Messages in chronological order; page with before / after a message id',
        description: '`content` is exactly as stored, byte for byte (legacy HTML and markers included). With neither `before` nor `after`: the latest `limit` messages.',
        params: idParams,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(100).describe('Page size, 1–500'),
          before: uuid.optional().meta({ description: 'A message id: the `limit` messages just before it (page backwards)', example: '9b2f0c1e-2d3c-4b5a-8e7f-6a5b4c3d2e1f' }),
          after: uuid.optional().meta({ description: 'A message id: the `limit` messages just after it (page forwards)', example: '9b2f0c1e-2d3c-4b5a-8e7f-6a5b4c3d2e1f' }),
        }),
        ...secured,
        response: { 200: messagesResponse, ...errors },
      },
    }, async (req) => {
      const { id } = req.params;
      const { limit, before, after } = req.query;
      if (before && after) throw new AppError('validation_failed', 'use before or after, not both', 400);
      await assertConversationExists(database.db, id);
      const anchorId = before ?? after;
      const anchor = anchorId ? await getMessage(database.db, id, anchorId) : undefined;
      if (anchorId && !anchor) throw new AppError('message_not_found', `Message ${anchorId} is not in this conversation`, 404);
      const page = await listMessages(database.db, id, { limit: limit + 1, before: before ? anchor : undefined, after: after ? anchor : undefined });
      const hasMore = page.length > limit;
      const data = hasMore ? (after ? page.slice(0, limit) : page.slice(page.length - limit)) : page;
      return { data: data.map((m) => withContentHtml(toApiMessage(m))), has_more: hasMore };
    });

    app.post('/api/conversations/:id/messages', {
      schema: {
        tags: ['Inbox'],
        operationId: 'postMessage',
        summary: "A human agent's reply (reaches the customer live) or internal note (never reaches the customer)",
        description: 'A reply sets handled_by=human: the assistant stays quiet until the conversation is resolved or handed back. Send `Idempotency-Key` to make retries safe: the same key returns the first message (200) and stores nothing new.',
        params: idParams,
        headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional().describe('Any unique string per intended message (e.g. a UUID). A retry with the same key returns the first message and stores nothing new.') }).passthrough(),
        body: replyBody,
        ...secured,
        response: {
          200: messageSchema.meta({ description: 'Already stored under this Idempotency-Key: the first message, nothing new stored', examples: [messageExample] }),
          201: messageSchema.meta({
            description: 'Stored and sent',
            examples: [{ ...messageExample, message_id: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d', role: 'assistant', sender_type: 'business_rep', sender_name: 'Tasha Reed', content: "Hi Ann, this is Tasha. I'm sorry about the damage; we'll send a replacement this week.", content_html: '<p>Hi Ann, this is Tasha. I&#39;m sorry about the damage; we&#39;ll send a replacement this week.</p>', function_name: null, function_input: null, function_output: null, function_status: null }],
          }),
          ...errors,
        },
      },
    }, async (req, reply) => {
      const key = req.headers['idempotency-key'];
      const { message, created } = await postAgentMessage(database, req.params.id, {
        content: req.body.content,
        sender_name: req.body.sender_name,
        is_internal_note: req.body.is_internal_note,
        idempotency_key: typeof key === 'string' ? key : null,
      }, actorOf(req));
      return reply.status(created ? 201 : 200).send(withContentHtml(toApiMessage(message)));
    });

    app.get('/api/conversations/:id/summary', {
      schema: {
        tags: ['Inbox'],
        operationId: 'getConversationSummary',
        summary: 'Customer info, functions used, key topics, sentiment, priority with reasons, and the handoff',
        params: idParams,
        ...secured,
        response: { 200: summaryResponse, ...errors },
      },
    }, async (req) => {
      // The schema keeps fields it does not name (enrichment adds detail); FunctionUse is an
      // interface without an index signature, hence the assertion (types only).
      return (await buildSummary(database.db, req.params.id)) as z.input<typeof summaryResponse>;
    });

    app.get('/api/events', {
      schema: {
        tags: ['Events'],
        operationId: 'listEvents',
        summary: 'The event log, oldest first, after a cursor',
        description: 'Pass the last `id` you processed as `after`. Ids increase in commit order: resuming after X returns every later event exactly once. `reset: true` means the cursor is older than the retained history: refetch, then resume from `next_after`.',
        querystring: z.object({
          after: z.coerce.number().int().min(0).default(0).meta({ description: 'The last event id you processed (0: from the oldest retained)', example: 1042 }),
          limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Page size, 1–1000'),
          conversation_id: uuid.optional().describe('Only this conversation\'s events'),
          type: csv(z.string().min(1).max(64)).optional().meta({ description: 'Only these event types; repeat or comma-separate', example: 'message.created,conversation.updated' }),
        }),
        ...secured,
        response: { 200: eventsResponse, ...errors },
      },
    }, async (req) => {
      const { after, limit, conversation_id: conversationId, type } = req.query;
      const floor = await retentionFloor(database.db);
      const reset = after > 0 && after < floor;
      const data = await readEvents(database.db, { after: reset ? floor : after, limit, conversationId, types: type });
      return { data, next_after: data.length ? data[data.length - 1]!.id : reset ? floor : after, reset };
    });
  });
}

/** One conversation in the list's shape (unread count and last message included). */
async function presentOne(database: Database, id: string) {
  const { rows: found } = await listConversations(database.db, { filters: { activeOnly: false, ids: [id] }, sort: 'last_message_at', limit: 1, offset: 0, withCounts: false });
  if (!found[0]) throw new AppError('conversation_not_found', `Conversation ${id} not found`, 404);
  return presentConversation(found[0]);
}
