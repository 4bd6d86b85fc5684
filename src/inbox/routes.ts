// The inbox REST API under /api (every route needs an API key), and the seed's compatibility
// path. Routes parse, authorise, call one function and shape the response.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../shared/problem-schema.ts';
import { authenticateApiKey, bearerToken, listAgents, type Principal } from '../auth/index.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { getMessage, listMessages, requireConversation, toApiMessage } from '../conversations/conversation-store.ts';
import { markRead, postAgentMessage, updateConversation } from '../conversations/triage.ts';
import { readEvents, retentionFloor } from '../events/event-log.ts';
import { AppError, unauthorized } from '../shared/errors.ts';
import { listConversations, type SortKey } from './list-conversations.ts';
import { conversationSchema, messageSchema, presentConversation, priorityValues, statusValues } from './presenters.ts';
import { buildSummary } from './summary.ts';

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
const idParams = z.object({ id: uuid });
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
const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\d/.test(s), 'must be an ISO 8601 date-time');

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1000).optional(),
  offset: z.coerce.number().int().min(0).max(100_000).optional(),
  platform: csv(z.string().min(1).max(50)).optional(),
  status: csv(z.enum(statusValues)).optional(),
  assigned_agent_id: z.union([z.literal('unassigned'), z.literal('me'), uuid]).optional(),
  priority: csv(z.enum(priorityValues)).optional(),
  tag: csv(z.string().min(1).max(50)).optional(),
  unread: boolQuery.optional(),
  active_only: boolQuery.default(true),
  handled_by: z.enum(['bot', 'human']).optional(),
  updated_since: isoDate.optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(['last_message_at', 'priority', 'waiting_since', 'created_at']).default('last_message_at'),
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
const listResponse = z.object({
  data: z.array(conversationSchema),
  next_cursor: z.string().nullable(),
  meta: z.object({ counts: countsSchema, sort: z.string(), limit: z.number().int(), offset: z.number().int().nullable() }),
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
    example: { inbox_status: 'snoozed', snoozed_until: '2026-11-26T15:00:00Z', tags: { add: ['delivery'], remove: ['new'] } },
  });

const replyBody = z
  .object({
    content: z.string().min(1, 'content must not be empty').max(10_000),
    sender_name: z.string().trim().min(1).max(255).optional(),
    is_internal_note: z.boolean().default(false),
  })
  .strict()
  .meta({ example: { content: "Hi Ann, this is Tasha. I'm sorry about the damage; we'll send a replacement this week.", is_internal_note: false } });

const eventSchema = z.object({ id: z.number().int(), type: z.string(), occurred_at: z.string(), conversation_id: z.string().nullable(), data: z.record(z.string(), z.unknown()) });

const secured = { security: [{ apiKey: [] }] };
const errors = { 400: problemSchema, 401: problemSchema, 404: problemSchema, 503: problemSchema };

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
      schema: { tags: ['Inbox'], summary: 'Who the API key belongs to', ...secured, response: { 200: z.object({ name: z.string(), agent_id: z.string().nullable(), agent_name: z.string().nullable(), kind: z.string() }), 401: problemSchema } },
    }, async (req) => {
      const p = req.principal!;
      return { name: p.name, agent_id: p.agent_id, agent_name: p.agent_name, kind: p.kind };
    });

    app.get('/api/agents', {
      schema: { tags: ['Inbox'], summary: 'Agents conversations can be assigned to', ...secured, response: { 200: z.object({ data: z.array(z.object({ agent_id: z.string(), name: z.string(), email: z.string().nullable() })) }), 401: problemSchema } },
    }, async () => ({ data: await listAgents(database.db) }));

    app.get('/api/conversations', {
      schema: {
        tags: ['Inbox'],
        summary: 'List conversations with filters, sorts, counts and pagination',
        description: 'Cursor pagination: pass `next_cursor` back as `cursor` with the same filters and sort. A walk sorted by last_message_at or created_at neither skips nor repeats a conversation while messages arrive. `offset` is kept for older clients. `meta.counts` applies every filter except `status`. `tag` is repeatable; a conversation must have every tag given. `q` searches message text (full-text, no stemming, English and Spanish alike) and customer name, phone, email and id.',
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
          updatedSince: q.updated_since,
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
      schema: { tags: ['Inbox'], summary: "The seed's quick endpoint: the 50 most recent conversations, no filters", ...secured, response: { 200: z.object({ data: z.array(conversationSchema) }), 401: problemSchema } },
    }, async () => {
      const result = await listConversations(database.db, { filters: { activeOnly: false }, sort: 'last_message_at', limit: 50, offset: 0, withCounts: false });
      return { data: result.rows.map((r) => presentConversation(r)) };
    });

    app.get('/api/conversations/recent', {
      schema: {
        tags: ['Inbox'],
        summary: 'Conversations with activity in the last N hours (newest first, at most 1,000)',
        querystring: z.object({ hours: z.coerce.number().int().min(1).max(720).default(24) }),
        ...secured,
        response: { 200: z.object({ data: z.array(conversationSchema), hours: z.number().int() }), ...errors },
      },
    }, async (req) => {
      const since = new Date(Date.now() - req.query.hours * 3_600_000).toISOString().replace('T', ' ').replace('Z', '');
      const result = await listConversations(database.db, { filters: { activeOnly: false, lastMessageSince: since }, sort: 'last_message_at', limit: 1000, offset: 0, withCounts: false });
      return { data: result.rows.map((r) => presentConversation(r)), hours: req.query.hours };
    });

    app.get('/api/conversations/:id', {
      schema: { tags: ['Inbox'], summary: 'One conversation', params: idParams, ...secured, response: { 200: conversationSchema, ...errors } },
    }, async (req) => presentOne(database, req.params.id));

    app.patch('/api/conversations/:id', {
      schema: { tags: ['Inbox'], summary: 'Change status (snooze), assignee, priority, tags or who handles the conversation', params: idParams, body: patchBody, ...secured, response: { 200: conversationSchema, ...errors } },
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
        schema: { tags: ['Inbox'], summary: read ? 'Mark the conversation read' : 'Mark the conversation unread (from its latest customer message)', params: idParams, ...secured, response: { 200: conversationSchema, ...errors } },
      }, async (req) => {
        await markRead(database, req.params.id, read, actorOf(req));
        return presentOne(database, req.params.id);
      });
    }

    app.get('/api/conversations/:id/messages', {
      schema: {
        tags: ['Inbox'],
        summary: 'Messages in chronological order; page with before / after a message id',
        description: '`content` is exactly as stored, byte for byte (legacy HTML and markers included). With neither `before` nor `after`: the latest `limit` messages.',
        params: idParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), before: uuid.optional(), after: uuid.optional() }),
        ...secured,
        response: { 200: z.object({ data: z.array(messageSchema), has_more: z.boolean() }), ...errors },
      },
    }, async (req) => {
      const { id } = req.params;
      const { limit, before, after } = req.query;
      if (before && after) throw new AppError('validation_failed', 'use before or after, not both', 400);
      await requireConversation(database.db, id);
      const anchorId = before ?? after;
      const anchor = anchorId ? await getMessage(database.db, id, anchorId) : undefined;
      if (anchorId && !anchor) throw new AppError('message_not_found', `Message ${anchorId} is not in this conversation`, 404);
      const page = await listMessages(database.db, id, { limit: limit + 1, before: before ? anchor : undefined, after: after ? anchor : undefined });
      const hasMore = page.length > limit;
      const data = hasMore ? (after ? page.slice(0, limit) : page.slice(page.length - limit)) : page;
      return { data: data.map(toApiMessage), has_more: hasMore };
    });

    app.post('/api/conversations/:id/messages', {
      schema: {
        tags: ['Inbox'],
        summary: "A human agent's reply (reaches the customer live) or internal note (never reaches the customer)",
        description: 'A reply sets handled_by=human: the assistant stays quiet until the conversation is resolved or handed back. Send `Idempotency-Key` to make retries safe: the same key returns the first message (200) and stores nothing new.',
        params: idParams,
        headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional() }).passthrough(),
        body: replyBody,
        ...secured,
        response: { 200: messageSchema, 201: messageSchema, ...errors },
      },
    }, async (req, reply) => {
      const key = req.headers['idempotency-key'];
      const { message, created } = await postAgentMessage(database, req.params.id, {
        content: req.body.content,
        sender_name: req.body.sender_name,
        is_internal_note: req.body.is_internal_note,
        idempotency_key: typeof key === 'string' ? key : null,
      }, actorOf(req));
      return reply.status(created ? 201 : 200).send(toApiMessage(message));
    });

    app.get('/api/conversations/:id/summary', {
      schema: {
        tags: ['Inbox'],
        summary: 'Customer info, functions used, key topics, sentiment, priority with reasons, and the handoff',
        params: idParams,
        ...secured,
        response: { 200: z.record(z.string(), z.unknown()), ...errors },
      },
    }, async (req) => buildSummary(database.db, req.params.id));

    app.get('/api/events', {
      schema: {
        tags: ['Events'],
        summary: 'The event log, oldest first, after a cursor',
        description: 'Pass the last `id` you processed as `after`. Ids increase in commit order: resuming after X returns every later event exactly once. `reset: true` means the cursor is older than the retained history: refetch, then resume from `next_after`.',
        querystring: z.object({
          after: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          conversation_id: uuid.optional(),
          type: csv(z.string().min(1).max(64)).optional(),
        }),
        ...secured,
        response: { 200: z.object({ data: z.array(eventSchema), next_after: z.number().int(), reset: z.boolean() }), ...errors },
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
