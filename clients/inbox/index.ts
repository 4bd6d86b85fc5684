// The inbox team's typed client for the Woodstock Outlet assistant API.
//
//   const inbox = createInboxClient({ baseUrl: 'https://assistant.example.com', apiKey: process.env.WOODSTOCK_API_KEY! });
//   for await (const c of inbox.listAllConversations({ active_only: 'false' })) console.log(c.conversation_id, c.unread_count);
//   for await (const m of inbox.listAllMessages(id)) console.log(m.role, m.content);
//   await inbox.reply(id, 'Hi Ann, this is Tasha.', { idempotencyKey: crypto.randomUUID() });
//
// `inbox.api` is the raw openapi-fetch client: every route of the document, typed
// (`inbox.api.GET('/api/conversations/{id}', { params: { path: { id } } })`).
//
// schema.d.ts and openapi.json are generated (npm run generate:client); this file is not.
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.d.ts';

export type { paths };

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** A conversation as the inbox API returns it. */
export type Conversation = Json<paths['/api/conversations/{id}']['get']['responses'][200]>;
/** A stored message; `content` is exactly as stored (legacy HTML and markers included). */
export type Message = Json<paths['/api/conversations/{id}/messages']['get']['responses'][200]>['data'][number];
/** One page of GET /api/conversations. */
export type ConversationPage = Json<paths['/api/conversations']['get']['responses'][200]>;
/** The query of GET /api/conversations (filters and sort). */
export type ListConversationsQuery = NonNullable<paths['/api/conversations']['get']['parameters']['query']>;
/** The body of PATCH /api/conversations/{id}. */
export type ConversationChanges = NonNullable<paths['/api/conversations/{id}']['patch']['requestBody']>['content']['application/json'];
/** One event of GET /api/events (and of the WebSocket and webhooks). */
export type InboxEvent = Json<paths['/api/events']['get']['responses'][200]>['data'][number];
/** GET /api/conversations/{id}/summary */
export type ConversationSummary = Json<paths['/api/conversations/{id}/summary']['get']['responses'][200]>;

/** An RFC 9457 problem: every error the API returns. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** stable: `unauthorized`, `validation_failed`, `conversation_not_found`, ... */
  code: string;
  [key: string]: unknown;
}

/** Thrown by the helpers when the API answers with an error. */
export class InboxApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;
  constructor(status: number, problem: Problem) {
    super(`${status} ${problem.code}: ${problem.detail}`);
    this.name = 'InboxApiError';
    this.status = status;
    this.code = problem.code;
    this.problem = problem;
  }
}

export interface InboxClientOptions {
  /** where the assistant runs, e.g. `http://localhost:8000` (no trailing `/api`) */
  baseUrl: string;
  /** an API key (`npm run cli -- keys create --name inbox-team`) */
  apiKey: string;
  /** a custom fetch (tests, proxies, retries) */
  fetch?: (input: Request) => Promise<Response>;
}

export interface ReplyOptions {
  /** makes retries safe: the same key returns the first message and stores nothing new */
  idempotencyKey?: string;
  /** the name shown to the customer (default: the key's agent) */
  senderName?: string;
  /** an internal note: only agents see it, the customer never does */
  internalNote?: boolean;
}

function toProblem(status: number, error: unknown): Problem {
  if (error && typeof error === 'object' && typeof (error as Problem).code === 'string') return error as Problem;
  return { type: 'about:blank', title: 'Error', status, detail: typeof error === 'string' ? error : JSON.stringify(error), code: 'unexpected_response' };
}

function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) throw new InboxApiError(result.response.status, toProblem(result.response.status, result.error));
  return result.data;
}

export function createInboxClient(options: InboxClientOptions) {
  const api: Client<paths> = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { Authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  /**
   * A human agent's reply (the customer receives it live; the assistant stays quiet until the
   * conversation is resolved or handed back) or, with `internalNote`, a note only agents see.
   * `created` is false when the Idempotency-Key had already been used: nothing new was stored.
   */
  async function reply(conversationId: string, content: string, opts: ReplyOptions = {}): Promise<{ message: Message; created: boolean }> {
    const result = await api.POST('/api/conversations/{id}/messages', {
      params: { path: { id: conversationId }, header: opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {} },
      body: { content, sender_name: opts.senderName, is_internal_note: opts.internalNote ?? false },
    });
    return { message: unwrap(result), created: result.response.status === 201 };
  }

  return {
    /** The raw typed client (openapi-fetch): `{ data, error, response }`, never throws on HTTP errors. */
    api,

    /** One page of conversations (GET /api/conversations). */
    async listConversations(query: ListConversationsQuery = {}): Promise<ConversationPage> {
      return unwrap(await api.GET('/api/conversations', { params: { query } }));
    },

    /**
     * Every conversation matching the filters, walking `next_cursor` (pages of `limit`, default 200).
     * Sorted by `last_message_at` (default) or `created_at`, the walk neither skips nor repeats a
     * conversation while messages arrive. `active_only` defaults to true on the server: pass
     * `active_only: 'false'` for all of them.
     */
    async *listAllConversations(query: Omit<ListConversationsQuery, 'cursor' | 'offset'> = {}): AsyncGenerator<Conversation, void, undefined> {
      let cursor: string | undefined;
      do {
        const page: ConversationPage = unwrap(await api.GET('/api/conversations', { params: { query: { limit: 200, ...query, cursor } } }));
        yield* page.data;
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
    },

    async getConversation(conversationId: string): Promise<Conversation> {
      return unwrap(await api.GET('/api/conversations/{id}', { params: { path: { id: conversationId } } }));
    },

    /** PATCH: status / snooze, assignee, priority (null clears a manual one), tags ({add, remove}), handled_by. */
    async updateConversation(conversationId: string, changes: ConversationChanges): Promise<Conversation> {
      return unwrap(await api.PATCH('/api/conversations/{id}', { params: { path: { id: conversationId } }, body: changes }));
    },

    async markRead(conversationId: string): Promise<Conversation> {
      return unwrap(await api.POST('/api/conversations/{id}/mark-read', { params: { path: { id: conversationId } } }));
    },

    async markUnread(conversationId: string): Promise<Conversation> {
      return unwrap(await api.POST('/api/conversations/{id}/mark-unread', { params: { path: { id: conversationId } } }));
    },

    /**
     * Every message of a conversation, oldest first. Pages backwards from the latest with `before`
     * (pages of `pageSize`, at most 500), so the whole conversation is held in memory before the
     * first message is yielded; for very long conversations page with `api.GET` yourself.
     */
    async *listAllMessages(conversationId: string, opts: { pageSize?: number } = {}): AsyncGenerator<Message, void, undefined> {
      const pages: Message[][] = [];
      let before: string | undefined;
      for (;;) {
        const page = unwrap(await api.GET('/api/conversations/{id}/messages', {
          params: { path: { id: conversationId }, query: { limit: opts.pageSize ?? 500, before } },
        }));
        pages.unshift(page.data);
        if (!page.has_more || page.data.length === 0) break;
        before = page.data[0]!.message_id;
      }
      for (const page of pages) yield* page;
    },

    reply,

    /** An internal note: never reaches the customer. */
    async note(conversationId: string, content: string, opts: Omit<ReplyOptions, 'internalNote'> = {}): Promise<{ message: Message; created: boolean }> {
      return reply(conversationId, content, { ...opts, internalNote: true });
    },

    async summary(conversationId: string): Promise<ConversationSummary> {
      return unwrap(await api.GET('/api/conversations/{id}/summary', { params: { path: { id: conversationId } } }));
    },

    /**
     * Events after a cursor, oldest first, following `next_after` until caught up. Store the last
     * `id` you processed and pass it as `after` next time. A `reset` (cursor older than the
     * retained history) throws: refetch your state, then resume from the event log's start.
     */
    async *listEventsSince(after = 0, query: { conversation_id?: string; type?: string | string[]; limit?: number } = {}): AsyncGenerator<InboxEvent, void, undefined> {
      let cursor = after;
      for (;;) {
        const page = unwrap(await api.GET('/api/events', { params: { query: { limit: 1000, ...query, after: cursor } } }));
        if (page.reset) throw new InboxApiError(410, { type: 'about:blank', title: 'Gone', status: 410, code: 'cursor_expired', detail: `cursor ${after} is older than the retained history; refetch, then resume from ${page.next_after}`, next_after: page.next_after });
        yield* page.data;
        if (page.data.length === 0) return;
        cursor = page.next_after;
      }
    },
  };
}

export type InboxClient = ReturnType<typeof createInboxClient>;
