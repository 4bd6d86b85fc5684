// Writes realistic, deterministic demo data: LOFT customers/orders/lines for the sandbox, inbox
// agents, and conversations with their messages (new-style and legacy-style rows), in batches
// through jsonb_to_recordset so one statement carries thousands of rows on either engine.
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { bulkLoadIndexes } from '../db/migrate.ts';
import { renderComponent } from '../components/index.ts';
import type { ToolName } from '../chat/tools/types.ts';
import type { MessageRow as StoredMessageRow } from '../conversations/conversation-store.ts';
import { createRandom, type Random } from '../shared/random.ts';
import { toDbTimestamp } from '../shared/time.ts';
import { makeCustomer, makeOrders, type DemoCustomer, type DemoOrder } from './people.ts';
import { legacyStyle, runScenario, type Scenario, type ScriptMessage } from './scripts.ts';

export interface SeedOptions {
  conversations: number;
  messages: number;
  seed: number;
  /** the moment the data is anchored to (default: now) */
  now?: Date;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedResult {
  conversations: number;
  messages: number;
  customers: number;
  orders: number;
  ms: number;
}

export const demoAgents = [
  { agent_id: '0b6f1c1e-6a55-4c1e-9d3e-1a2b3c4d5e01', name: 'Tasha Reed', email: 'tasha.reed@woodstock.example' },
  { agent_id: '0b6f1c1e-6a55-4c1e-9d3e-1a2b3c4d5e02', name: 'Marcus Bell', email: 'marcus.bell@woodstock.example' },
  { agent_id: '0b6f1c1e-6a55-4c1e-9d3e-1a2b3c4d5e03', name: 'Elena Ruiz', email: 'elena.ruiz@woodstock.example' },
  { agent_id: '0b6f1c1e-6a55-4c1e-9d3e-1a2b3c4d5e04', name: 'Sam Okafor', email: 'sam.okafor@woodstock.example' },
];

const platforms: [string, number][] = [
  ['webchat', 0.55], ['phone', 0.14], ['sms', 0.12], ['facebook', 0.07], ['facebook_messenger', 0.05], ['instagram', 0.07],
];
const tagPool = ['delivery', 'vip', 'mattress', 'financing', 'follow-up', 'damaged', 'return', 'spanish'];
// Most exchanges need no function; about one in four does (production's mix was lighter still).
const flowScenarios: Scenario[] = [
  'orders', 'details', 'delivery', 'products', 'directions', 'loyalty',
  'financing', 'thanks', 'care', 'warranty', 'assembly', 'followup', 'followup', 'thanks', 'care', 'assembly', 'financing', 'warranty',
];

function weightedPick<T>(rnd: Random, items: [T, number][]): T {
  let r = rnd.next();
  for (const [item, w] of items) {
    if ((r -= w) <= 0) return item;
  }
  return items[items.length - 1]![0];
}

/** Message counts per conversation: long-tailed like production, summing exactly to `total`. */
function distribute(rnd: Random, conversations: number, total: number): number[] {
  const weights = Array.from({ length: conversations }, () => {
    const u = Math.max(1e-9, rnd.next());
    const v = rnd.next();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.exp(normal * 0.9);
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.max(2, Math.floor((total * w) / sum)));
  let diff = total - counts.reduce((a, b) => a + b, 0);
  // Spread the rounding difference over the conversations, largest first.
  const order = counts.map((c, i) => [c, i] as const).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
  let k = 0;
  while (diff !== 0 && order.length > 0) {
    const i = order[k % order.length]!;
    if (diff > 0) { counts[i]!++; diff--; } else if (counts[i]! > 2) { counts[i]!--; diff++; }
    k++;
    if (k > order.length * 1000) break;
  }
  return counts;
}

/** A seeded message: the stored row without an idempotency key. */
type MessageRow = Omit<StoredMessageRow, 'idempotency_key'>;

export async function seedDemoData(database: Database, opts: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  // The same customer sees the same order list many times over; render each distinct result once.
  const rendered = new Map<string, unknown>();
  const renderCached = (tool: ToolName, data: unknown) => {
    const key = `${tool}:${JSON.stringify(data)}`;
    let c = rendered.get(key);
    if (!c) {
      c = renderComponent(tool, data as never);
      rendered.set(key, c);
    }
    return c;
  };
  const rnd = createRandom(opts.seed);
  const now = opts.now ?? new Date();
  const nowMs = now.getTime();
  const totalConversations = opts.conversations;
  const counts = distribute(rnd, totalConversations, opts.messages);

  // Customers: most conversations have their own customer; some customers talk on two channels.
  const customerCount = Math.max(1, Math.ceil(totalConversations * 0.85));
  const customers: DemoCustomer[] = [];
  const orders: DemoOrder[][] = [];
  for (let i = 0; i < customerCount; i++) {
    const c = makeCustomer(rnd, i);
    customers.push(c);
    orders.push(makeOrders(rnd, c, i, now));
  }

  await insertJson(database, 'inbox_agents', ['agent_id uuid', 'name varchar', 'email varchar'], demoAgents, 'ON CONFLICT (agent_id) DO NOTHING');
  for (let i = 0; i < customers.length; i += 2000) {
    await insertJson(database, 'loft_customers',
      ['customer_id varchar', 'first_name varchar', 'last_name varchar', 'email varchar', 'phone varchar', 'phone_display varchar', 'address1 varchar', 'city varchar', 'state varchar', 'zipcode varchar'],
      customers.slice(i, i + 2000), 'ON CONFLICT (customer_id) DO NOTHING');
  }
  const allOrders = orders.flat();
  for (let i = 0; i < allOrders.length; i += 2000) {
    await insertJson(database, 'loft_orders',
      ['order_id varchar', 'customer_id varchar', 'status varchar', 'order_date date', 'delivery_date date', 'order_total numeric'],
      allOrders.slice(i, i + 2000), 'ON CONFLICT (order_id) DO NOTHING');
  }
  const allLines = allOrders.flatMap((o) => o.lines);
  for (let i = 0; i < allLines.length; i += 4000) {
    await insertJson(database, 'loft_order_lines',
      ['order_id varchar', 'line_no int', 'product_id varchar', 'description varchar', 'qty_ordered int', 'item_price numeric'],
      allLines.slice(i, i + 4000), 'ON CONFLICT (order_id, line_no) DO NOTHING');
  }

  const [{ n: existing }] = await database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM chatbot_messages LIMIT 1) x`);
  if (existing === 0) await database.exec(bulkLoadIndexes.drop);

  const conversationRows: Record<string, unknown>[] = [];
  let messageBuffer: MessageRow[] = [];
  let written = 0;
  const flush = async () => {
    if (messageBuffer.length === 0) return;
    await insertJson(database, 'chatbot_messages', messageColumns, messageBuffer, 'ON CONFLICT (message_id) DO NOTHING');
    written += messageBuffer.length;
    messageBuffer = [];
    opts.onProgress?.(written, opts.messages);
  };

  for (let ci = 0; ci < totalConversations; ci++) {
    const customerIndex = ci < customerCount ? ci : rnd.int(0, customerCount - 1);
    const customer = customers[customerIndex]!;
    const custOrders = orders[customerIndex]!;
    const platform = ci >= customerCount ? 'phone' : weightedPick(rnd, platforms);
    const legacy = rnd.chance(0.18);
    const agent = rnd.pick(demoAgents);
    const spanish = customer.spanish;
    const conversationId = rnd.uuid();

    // Timeline: spread over the last 12 months; about one in six active in the last hours.
    const recent = rnd.chance(0.16);
    const lastAt = recent ? nowMs - rnd.int(2, 6 * 60) * 60_000 : nowMs - rnd.int(1, 360) * 86_400_000 - rnd.int(0, 86_399) * 1000;
    const spanMs = Math.min(lastAt - (nowMs - 365 * 86_400_000), rnd.int(1, 120) * 86_400_000);
    const startAt = lastAt - Math.max(spanMs, 60_000);

    // Build the message script: identify, then a flow of everyday scenarios, with the odd
    // escalation; legacy conversations keep the original's storage quirks.
    const n = counts[ci]!;
    const script: ScriptMessage[] = [];
    const ctx = { rnd, customer, orders: custOrders, spanish, agentName: agent.name };
    let escalated = false;
    const endsWithIssue = rnd.chance(0.22);
    script.push(...runScenario('identify', ctx));
    while (script.length < n) {
      const remaining = n - script.length;
      let s: Scenario;
      if (endsWithIssue && remaining <= 7 && !escalated) {
        s = rnd.pick(['damaged', 'person', 'refund'] as const);
        escalated = true;
      } else {
        s = rnd.pick(flowScenarios);
      }
      const part = runScenario(s, ctx);
      script.push(...(legacy ? legacyStyle(part) : part));
    }
    if (legacy && n > 40 && rnd.chance(0.3)) {
      // The original's looping bug: the same assistant message many times over.
      const loop = Math.min(Math.floor(n / 3), rnd.int(20, 200));
      const at = rnd.int(1, Math.max(1, n - loop - 1));
      script.splice(at, loop, ...Array.from({ length: loop }, () => ({ role: 'assistant' as const, sender: 'ai_assistant' as const, content: 'I apologize, I am having trouble processing your request. Please try again.' })));
    }
    if (legacy && rnd.chance(0.3)) script.splice(rnd.int(1, Math.max(1, script.length - 1)), 0, { role: 'user', sender: 'customer', content: '' });
    if (rnd.chance(0.03)) {
      script.splice(rnd.int(1, Math.max(1, script.length - 1)), 0, { role: 'user', sender: 'customer', content: longMessage(rnd, spanish) });
    }
    script.length = n;

    let lastCustomerAt: number | null = null;
    let lastAnsweredAt: number | null = null;
    let waitingSince: number | null = null;
    let customerMessages = 0;
    const step = (lastAt - startAt) / Math.max(1, n - 1);
    for (let mi = 0; mi < n; mi++) {
      const m = script[mi]!;
      const at = Math.round(startAt + step * mi + (mi === 0 ? 0 : rnd.next() * step * 0.5));
      const ts = Math.min(at, lastAt);
      if (m.role === 'user') {
        customerMessages++;
        lastCustomerAt = ts;
        waitingSince ??= ts;
      } else if (m.role === 'assistant' && !m.internal) {
        lastAnsweredAt = ts;
        waitingSince = null;
      }
      const isTool = m.role === 'tool';
      messageBuffer.push({
        message_id: rnd.uuid(),
        conversation_id: conversationId,
        // legacy rows are only 'user' | 'assistant'
        message_role: m.role,
        message_content: m.content,
        executed_function_name: m.fn?.name ?? null,
        function_input_parameters: m.fn?.input ?? null,
        function_output_result: m.fn?.output ?? null,
        function_execution_status: m.fn?.status ?? null,
        message_created_at: toDbTimestamp(new Date(ts + mi)), // +mi ms keeps order strict
        sender_type: legacy ? null : m.sender,
        sender_name: legacy ? null : m.senderName ?? (m.sender === 'ai_assistant' ? 'Woodstock Assistant' : m.sender === 'customer' ? `${customer.first_name} ${customer.last_name}` : null),
        is_internal_note: m.internal ?? false,
        components: isTool && m.fn && !legacy ? [renderCached(m.fn.name, (m.fn.output as { data: unknown }).data)] : null,
      });
    }
    void lastAnsweredAt;

    const lastMsg = script[n - 1]!;
    const humanEnd = escalated && (lastMsg.sender === 'business_rep' || lastMsg.role === 'user' || lastMsg.role === 'tool');
    const status = escalated && humanEnd
      ? rnd.pick(['pending_human', 'pending_human', 'open'])
      : weightedPick(rnd, [['new', 0.2], ['open', 0.35], ['resolved', 0.35], ['snoozed', 0.1]] as [string, number][]);
    const unread = lastCustomerAt !== null && rnd.chance(0.35);
    const lastReadAt = lastCustomerAt === null ? null : unread ? lastCustomerAt - rnd.int(60, 86_400) * 1000 : lastAt + 1000;
    const priority = escalated ? rnd.pick(['high', 'urgent', 'high']) : weightedPick(rnd, [['normal', 0.8], ['low', 0.15], ['high', 0.05]] as [string, number][]);
    const tags = tagPool.filter(() => rnd.chance(0.12));
    if (spanish && !tags.includes('spanish')) tags.push('spanish');
    const identifier = platform === 'facebook' || platform === 'facebook_messenger' || platform === 'instagram'
      ? `${platform === 'instagram' ? 'ig' : 'fb'}_${String(rnd.int(1e9, 9e9))}`
      : platform === 'webchat' && rnd.chance(0.4) ? customer.email : customer.phone;
    conversationRows.push({
      conversation_id: conversationId,
      user_identifier: identifier,
      platform_type: platform,
      conversation_started_at: toDbTimestamp(new Date(startAt)),
      last_message_at: toDbTimestamp(new Date(lastAt + n - 1)),
      is_active: status === 'resolved' ? rnd.chance(0.3) : true,
      inbox_status: status,
      assigned_agent_id: status === 'new' ? null : rnd.chance(0.55) ? agent.agent_id : null,
      priority_level: priority,
      priority_rank: rankOf(priority),
      tags,
      last_read_at: lastReadAt === null ? null : new Date(lastReadAt).toISOString(),
      snoozed_until: status === 'snoozed' ? new Date(nowMs + rnd.int(1, 72) * 3_600_000).toISOString() : null,
      handled_by: escalated && status !== 'resolved' ? 'human' : 'bot',
      session_id: null,
      customer_id: legacy ? null : customer.customer_id,
      customer_name: legacy ? null : `${customer.first_name} ${customer.last_name}`,
      customer_phone: legacy ? null : customer.phone,
      customer_email: legacy ? null : customer.email,
      customer_verified: !legacy && platform !== 'facebook' && platform !== 'instagram',
      message_count: n,
      customer_message_count: customerMessages,
      last_customer_message_at: lastCustomerAt === null ? null : toDbTimestamp(new Date(lastCustomerAt)),
      waiting_since: waitingSince === null ? null : toDbTimestamp(new Date(waitingSince)),
      handoff: escalated ? { kind: 'escalation', reason: 'Customer issue needs a person', summary: 'Escalated by the assistant', priority, requested_at: new Date(lastAt).toISOString(), steps_taken: ['getCustomerByPhone', 'getOrdersByCustomer', 'handleSupportEscalation'] } : null,
      updated_at: new Date(lastAt).toISOString(),
    });

    // Conversations go in before their messages (foreign key); flush both in step.
    if (conversationRows.length >= 200 || messageBuffer.length >= 4000 || ci === totalConversations - 1) {
      await insertJson(database, 'chatbot_conversations', conversationColumns, conversationRows.splice(0), 'ON CONFLICT (conversation_id) DO NOTHING');
      await flush();
    }
  }
  await flush();
  await database.exec(bulkLoadIndexes.create);
  return {
    conversations: totalConversations,
    messages: written,
    customers: customers.length,
    orders: allOrders.length,
    ms: Date.now() - started,
  };
}

export const rankOf = (p: string) => ({ urgent: 0, high: 1, normal: 2, low: 3 })[p] ?? 2;

function longMessage(rnd: Random, spanish: boolean): string {
  const en = 'I have been a loyal customer for years and I want to explain everything that happened with my last delivery, because the crew arrived late, the box was open, one of the legs was missing and the color does not match what I saw in the showroom. ';
  const es = 'He sido cliente por años y quiero explicar todo lo que pasó con mi última entrega, porque el equipo llegó tarde, la caja estaba abierta, faltaba una pata y el color no coincide con lo que vi en la tienda. ';
  const base = spanish ? es : en;
  return base.repeat(Math.ceil(rnd.int(5200, 6200) / base.length)).slice(0, rnd.int(5200, 6200));
}

const conversationColumns = [
  'conversation_id uuid', 'user_identifier varchar', 'platform_type varchar', 'conversation_started_at timestamp',
  'last_message_at timestamp', 'is_active boolean', 'inbox_status varchar', 'assigned_agent_id uuid', 'priority_level varchar',
  'priority_rank int', 'tags jsonb', 'last_read_at timestamptz', 'snoozed_until timestamptz', 'handled_by varchar', 'session_id varchar',
  'customer_id varchar', 'customer_name varchar', 'customer_phone varchar', 'customer_email varchar', 'customer_verified boolean',
  'message_count int', 'customer_message_count int', 'last_customer_message_at timestamp', 'waiting_since timestamp', 'handoff jsonb',
  'updated_at timestamptz',
];
const messageColumns = [
  'message_id uuid', 'conversation_id uuid', 'message_role varchar', 'message_content text', 'executed_function_name varchar',
  'function_input_parameters jsonb', 'function_output_result jsonb', 'function_execution_status varchar', 'message_created_at timestamp',
  'sender_type varchar', 'sender_name varchar', 'is_internal_note boolean', 'components jsonb',
];

/** INSERT INTO table (cols) SELECT cols FROM jsonb_to_recordset($1): one parameter per batch. */
async function insertJson(database: Database, table: string, columns: string[], rows: object[], suffix = ''): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map((c) => c.split(' ')[0]).join(', ');
  const defs = columns.join(', ');
  await database.query(
    sql.raw(`INSERT INTO ${table} (${names}) SELECT ${names} FROM jsonb_to_recordset(${quoteJson(rows)}::jsonb) AS t(${defs}) ${suffix}`),
  );
}

// Passing the batch as a literal avoids the two drivers' differing JSON parameter handling;
// dollar-quoting with a tag that cannot occur in the JSON keeps it safe.
function quoteJson(rows: object[]): string {
  const json = JSON.stringify(rows);
  let tag = 'j';
  while (json.includes(`$${tag}$`)) tag += 'j';
  return `$${tag}$${json}$${tag}$`;
}
