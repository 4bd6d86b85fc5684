// Wire shapes of the inbox API: snake_case, ISO 8601 times with Z, content exactly as stored.
import { z } from 'zod';
import type { ConversationRow } from '../conversations/conversation-store.ts';
import { toIso } from '../shared/time.ts';
import type { ListedConversation } from './list-conversations.ts';

export const statusValues = ['new', 'open', 'pending_human', 'snoozed', 'resolved'] as const;
export const priorityValues = ['urgent', 'high', 'normal', 'low'] as const;

/** A short plain-text preview: tags and the legacy markers' JSON removed. */
export function preview(content: string | null, max = 140): string {
  if (!content) return '';
  const text = content
    .replace(/\*\*(Function Result \([^)]*\)|CAROUSEL_DATA):\*\*\s*[\s\S]*$/, '')
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/[*_`#>]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The documented example of a conversation (also used in list examples). */
export const conversationExample = {
  conversation_id: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b',
  user_identifier: '+14045551000',
  platform_type: 'webchat',
  conversation_started_at: '2026-10-02T14:03:07.123Z',
  last_message_at: '2026-11-25T16:40:12.004Z',
  is_active: true,
  inbox_status: 'pending_human',
  snoozed_until: null,
  assigned_agent_id: null,
  priority_level: 'high',
  priority_reasons: ['Damaged item reported'],
  priority_manual: false,
  tags: ['delivery'],
  last_read_at: null,
  unread_count: 3,
  message_count: 412,
  waiting_since: '2026-11-25T16:40:12.004Z',
  last_message: { message_id: '0e7d5a1c-3b2f-4e6d-9a8b-7c6d5e4f3a2b', role: 'user', sender_type: 'customer', preview: 'My sofa arrived damaged', created_at: '2026-11-25T16:40:12.004Z' },
  customer: { customer_id: 'C100000', name: 'Ann Lee', phone: '+14045551000', email: 'ann.lee0@example.com', verified: true },
  sentiment: { score: -0.62, label: 'negative' },
  topics: ['damaged_defective', 'delivery_scheduling'],
  handled_by: 'human',
  handoff: { reason: 'Damaged item', summary: '…' },
  updated_at: '2026-11-25T16:40:12.100Z',
};

export const conversationSchema = z
  .object({
    conversation_id: z.string().uuid(),
    user_identifier: z.string(),
    platform_type: z.string(),
    conversation_started_at: z.string(),
    last_message_at: z.string(),
    is_active: z.boolean(),
    inbox_status: z.enum(statusValues),
    snoozed_until: z.string().nullable(),
    assigned_agent_id: z.string().nullable(),
    priority_level: z.enum(priorityValues),
    priority_reasons: z.array(z.string()),
    priority_manual: z.boolean(),
    tags: z.array(z.string()),
    last_read_at: z.string().nullable(),
    unread_count: z.number().int(),
    message_count: z.number().int(),
    waiting_since: z.string().nullable(),
    last_message: z
      .object({ message_id: z.string(), role: z.string(), sender_type: z.string(), preview: z.string(), created_at: z.string() })
      .nullable(),
    customer: z
      .object({ customer_id: z.string().nullable(), name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(), verified: z.boolean() })
      .nullable(),
    sentiment: z.object({ score: z.number(), label: z.string() }).nullable(),
    topics: z.array(z.string()),
    handled_by: z.enum(['bot', 'human']),
    handoff: z.record(z.string(), z.unknown()).nullable(),
    updated_at: z.string(),
  })
  .meta({
    id: 'Conversation',
    description: 'A conversation as the inbox sees it',
    examples: [conversationExample],
  });
export type ApiConversation = z.infer<typeof conversationSchema>;

export function presentConversation(c: ConversationRow & Partial<ListedConversation>, unreadCount?: number): ApiConversation {
  const status = (statusValues as readonly string[]).includes(c.inbox_status ?? '') ? (c.inbox_status as ApiConversation['inbox_status']) : 'new';
  const priority = (priorityValues as readonly string[]).includes(c.priority_level ?? '') ? (c.priority_level as ApiConversation['priority_level']) : 'normal';
  const hasCustomer = c.customer_id || c.customer_name || c.customer_phone || c.customer_email;
  return {
    conversation_id: c.conversation_id,
    user_identifier: c.user_identifier,
    platform_type: c.platform_type,
    conversation_started_at: toIso(c.conversation_started_at)!,
    last_message_at: toIso(c.last_message_at)!,
    is_active: c.is_active,
    inbox_status: status,
    snoozed_until: toIso(c.snoozed_until),
    assigned_agent_id: c.assigned_agent_id,
    priority_level: priority,
    priority_reasons: Array.isArray(c.priority_reasons) ? c.priority_reasons : [],
    priority_manual: Boolean(c.priority_manual),
    tags: Array.isArray(c.tags) ? c.tags : [],
    last_read_at: toIso(c.last_read_at),
    unread_count: Number(unreadCount ?? c.unread_count ?? 0),
    message_count: Number(c.message_count ?? 0),
    waiting_since: toIso(c.waiting_since),
    last_message: c.last_message_id
      ? {
          message_id: c.last_message_id,
          role: c.last_message_role ?? 'assistant',
          sender_type: c.last_message_sender_type ?? (c.last_message_role === 'user' ? 'customer' : 'ai_assistant'),
          preview: preview(c.last_message_content ?? ''),
          created_at: toIso(c.last_message_created_at ?? null)!,
        }
      : null,
    // A linked customer first; else what enrichment found in the conversation (claimed, not verified).
    customer: hasCustomer
      ? { customer_id: c.customer_id, name: c.customer_name, phone: c.customer_phone, email: c.customer_email, verified: c.customer_verified }
      : c.ctx_customer_id || c.ctx_name || c.ctx_phone || c.ctx_email
        ? { customer_id: c.ctx_customer_id ?? null, name: c.ctx_name ?? null, phone: c.ctx_phone ?? null, email: c.ctx_email ?? null, verified: false }
        : null,
    sentiment: c.sentiment_label ? { score: Number(c.sentiment_score ?? 0), label: c.sentiment_label } : null,
    topics: Array.isArray(c.topics) ? c.topics : [],
    handled_by: c.handled_by === 'human' ? 'human' : 'bot',
    handoff: (c.handoff as Record<string, unknown> | null) ?? null,
    updated_at: toIso(c.updated_at)!,
  };
}

/** The documented example of a message: an assistant message in the legacy form (HTML plus the function-result marker). */
export const messageExample = {
  message_id: '9b2f0c1e-2d3c-4b5a-8e7f-6a5b4c3d2e1f',
  conversation_id: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b',
  role: 'assistant',
  sender_type: 'ai_assistant',
  sender_name: 'Woodstock Assistant',
  content: '<div class="customer-card"><h3>Ann Lee</h3><p>📞 +14045551000 · ✉️ ann.lee0@example.com</p><p>Canton, GA</p></div>\n\n**Function Result (getCustomerByPhone):** {"entry":[{"customerid":"C100000","firstname":"Ann","lastname":"Lee","email":"ann.lee0@example.com"}]}',
  content_html: '<div class="wo-legacy-html"><div class="customer-card"><h3>Ann Lee</h3><p>📞 +14045551000 · ✉️ ann.lee0@example.com</p><p>Canton, GA</p></div></div><details class="wo-fn-result"><summary><span class="wo-fn-result__label">Function result</span> <code class="wo-fn-result__name">getCustomerByPhone</code></summary><pre class="wo-fn-result__json">{\n  &quot;entry&quot;: [\n    {\n      &quot;customerid&quot;: &quot;C100000&quot;,\n      &quot;firstname&quot;: &quot;Ann&quot;,\n      &quot;lastname&quot;: &quot;Lee&quot;,\n      &quot;email&quot;: &quot;ann.lee0@example.com&quot;\n    }\n  ]\n}</pre></details>',
  components: null,
  function_name: 'getCustomerByPhone',
  function_input: { phone: '404-555-1000' },
  function_output: { entry: [{ customerid: 'C100000', firstname: 'Ann', lastname: 'Lee', email: 'ann.lee0@example.com' }] },
  function_status: 'success',
  is_internal_note: false,
  created_at: '2026-11-25T16:40:12.004Z',
};

export const messageSchema = z
  .object({
    message_id: z.string(),
    conversation_id: z.string(),
    role: z.string(),
    sender_type: z.string().nullable(),
    sender_name: z.string().nullable(),
    content: z.string(),
    content_html: z.string().describe('`content` rendered for display, safe to insert as HTML: legacy HTML sanitised, the `**Function Result (name):**` and `**CAROUSEL_DATA:**` markers as a collapsed block and product chips, light markdown for assistant and agent text, customer text escaped'),
    components: z.array(z.unknown()).nullable(),
    function_name: z.string().nullable(),
    function_input: z.unknown(),
    function_output: z.unknown(),
    function_status: z.string().nullable(),
    is_internal_note: z.boolean(),
    created_at: z.string(),
  })
  .meta({
    id: 'Message',
    description: 'A stored message; `content` exactly as stored',
    examples: [messageExample],
  });
