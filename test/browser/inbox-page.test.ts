// The agent inbox at /inbox against the REAL server (offline model, sandbox LOFT, embedded
// database seeded with demo data, plus a legacy conversation holding hostile stored HTML):
// sign in, counts, search, legacy content rendered inert, a reply that reaches the customer's
// page live and the customer's answer that comes back live, actions that the list and counts
// follow, a failed send retried with the same Idempotency-Key, handoff alerts, a dropped
// connection that resumes without losing an event, keyboard shortcuts, and the screenshots in
// docs/screenshots (taken here, so they stay true).
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.ts';
import { demoAgents, seedDemoData } from '../../src/demo/index.ts';
import { toDbTimestamp } from '../../src/shared/time.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { authHeaders, startTestApp, type TestApp } from '../helpers/app.ts';

const shots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const tasha = demoAgents[0]!;

let t: TestDatabase;
let app: TestApp;
let browser: Browser;
let inboxContext: BrowserContext;
let inbox: Page;
let agentKey: string;
const legacyId = randomUUID();
const pageErrors: string[] = [];
const cspViolations: string[] = [];

interface Counts { total: number; new: number; open: number; pending_human: number; snoozed: number; resolved: number; unassigned: number; unread: number }
interface Conv { conversation_id: string; inbox_status: string; assigned_agent_id: string | null; priority_level: string; priority_manual: boolean; tags: string[]; handled_by: string; snoozed_until: string | null; last_message: { preview: string } | null }

async function api<T = unknown>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${app.baseUrl}${path}`, { ...init, headers: { ...authHeaders(agentKey), 'content-type': 'application/json', ...(init.headers ?? {}) } });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}
const apiCounts = async (query = '') => (await api<{ meta: { counts: Counts } }>(`/api/conversations?limit=1${query}`)).meta.counts;
const conversation = (id: string) => api<Conv>(`/api/conversations/${id}`);

/** One customer turn through the public chat API (what the website does). */
async function chat(sessionId: string, content: string) {
  const res = await fetch(`${app.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'woodstock', session_id: sessionId, messages: [{ role: 'user', content }] }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { conversation_id: string; choices: { message: { content: string } }[] };
}

/** expect.poll with room for a busy machine (network, debounces, a shared CPU). */
const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number; message?: string } = {}) => expect.poll(fn, { timeout: 10_000, interval: 100, ...opts });

/** The number shown on a status tab / quick filter. */
const shownCount = (p: Page, name: string) => p.locator(`[data-count="${name}"]`).first().textContent().then((s) => Number((s ?? '').replace(/[^\d]/g, '')));
const row = (p: Page, id: string) => p.locator(`.conv[data-id="${id}"]`);

async function insertLegacyConversation() {
  const now = Date.now();
  const at = (secondsAgo: number) => toDbTimestamp(new Date(now - secondsAgo * 1000));
  // Only the original's columns, as production rows have them.
  await t.database.query(sql`
    INSERT INTO chatbot_conversations (conversation_id, user_identifier, platform_type, conversation_started_at, last_message_at, is_active)
    VALUES (${legacyId}, 'fb_7700123456', 'facebook_messenger', ${at(3600)}::timestamp, ${at(5)}::timestamp, true)`);
  const messages: [string, string, number, string | null][] = [
    ['user', 'Do you still have the Chesterfield sofa in green?', 600, null],
    ['assistant', '<div class="customer-card"><h3>Dolores Chesterfield</h3><p>📞 404-555-0199 · ✉️ dolores@example.com</p><img src=x onerror=window.__xss=1><script>window.__xss=2</script><p>Marietta, GA</p><a href="javascript:window.__xss=3">click</a></div>\n\n**Function Result (getCustomerByPhone):** {"entry":[{"customerid":"C100999","firstname":"<img src=x onerror=window.__xss=4>","lastname":"Chesterfield"}]}', 500, 'getCustomerByPhone'],
    ['assistant', 'Here are some options for you!\n\n**CAROUSEL_DATA:** {"products":[{"sku":"SOF-1001","name":"Chesterfield Sofa","price":1499.99,"image":"/assets/products/sofas.svg"},{"sku":"SOF-1002","name":"<b onmouseover=window.__xss=5>Harbor</b> Sofa","price":999,"image":"javascript:window.__xss=6"}]}', 400, null],
    ['assistant', '**Function Result (getOrdersByCustomer):** {"ok":true,"data":{"orders":[', 300, 'getOrdersByCustomer'],
    ['assistant', '<p style="color:red;background:url(javascript:window.__xss=8)">Styled <iframe src="javascript:window.__xss=9"></iframe><svg onload=window.__xss=10></svg>text</p>', 200, null],
    ['user', '<img src=x onerror=window.__xss=7> is this safe? ¡Gracias! 🛋️', 5, null],
  ];
  for (const [role, content, ago, fn] of messages) {
    await t.database.query(sql`
      INSERT INTO chatbot_messages (conversation_id, message_role, message_content, executed_function_name, message_created_at)
      VALUES (${legacyId}, ${role}, ${content}, ${fn}, ${at(ago)}::timestamp)`);
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.database, { conversations: 40, messages: 3000, seed: 5 });
  await insertLegacyConversation();
  agentKey = (await createApiKey(t.database.db, { name: 'tasha-laptop', agentId: tasha.agent_id })).key;
  app = await startTestApp({ database: t.database });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  inboxContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  inbox = await inboxContext.newPage();
  inbox.on('pageerror', (e) => pageErrors.push(e.message));
  inbox.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|run|load|apply)/i.test(m.text())) cspViolations.push(m.text());
  });
  mkdirSync(shots, { recursive: true });
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && inbox) await inbox.screenshot({ path: `${tmpdir()}/inbox-fail-${ctx.task.name.slice(0, 20).replace(/\W+/g, '-')}.png` }).catch(() => {});
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await t?.drop();
});

describe('the inbox page on the real server', () => {
  it('signs in, shows the conversations with counts, searches, and renders legacy HTML inert', async () => {
    await inbox.goto(`${app.baseUrl}/inbox`);
    await inbox.getByLabel('API key').fill(agentKey);
    await inbox.getByRole('button', { name: 'Sign in' }).click();
    await inbox.locator('.conv').first().waitFor();
    await expect(inbox.locator('#whoami-name').textContent()).resolves.toBe('Tasha Reed');
    expect(await inbox.evaluate(() => sessionStorage.getItem('woodstock-inbox-key'))).toBeTruthy();

    // The list shows what the API lists, and the counts are the API's.
    const listed = await api<{ data: { conversation_id: string }[] }>('/api/conversations?limit=50');
    await poll(() => inbox.locator('.conv').count()).toBe(listed.data.length);
    const counts = await apiCounts();
    const mine = (await apiCounts('&assigned_agent_id=me')).total;
    for (const name of ['total', 'new', 'open', 'pending_human', 'snoozed', 'resolved', 'unassigned', 'unread'] as const) {
      await poll(() => shownCount(inbox, name), { message: name }).toBe(counts[name]);
    }
    await poll(() => shownCount(inbox, 'mine')).toBe(mine);
    // Handoffs stand out in the list.
    const pending = await api<{ data: { conversation_id: string }[] }>('/api/conversations?status=pending_human&limit=1');
    if (pending.data[0]) await expect(row(inbox, pending.data[0].conversation_id).getAttribute('class')).resolves.toContain('is-handoff');

    // Search (full text over messages): the legacy conversation and nothing else.
    await inbox.keyboard.press('/');
    await poll(() => inbox.evaluate(() => document.activeElement?.id)).toBe('search-input');
    await inbox.keyboard.type('Chesterfield');
    await poll(() => inbox.locator('.conv').count()).toBe(1);
    await row(inbox, legacyId).locator('button').click();

    // Legacy content, exactly as stored, rendered safely.
    const log = inbox.locator('#thread-log');
    await log.getByText('Dolores Chesterfield').waitFor();
    await log.getByText('Marietta, GA').waitFor();
    await expect(log.locator('.wo-fn-result summary').first().textContent()).resolves.toContain('getCustomerByPhone');
    await expect(log.locator('.wo-product-chip').count()).resolves.toBe(2);
    await expect(log.getByText('<b onmouseover=window.__xss=5>Harbor</b> Sofa').count()).resolves.toBe(1);
    await expect(log.getByText('Unreadable result').count()).resolves.toBe(1);
    await log.getByText('<img src=x onerror=window.__xss=7> is this safe? ¡Gracias! 🛋️').waitFor();
    await expect(log.locator('script, iframe, object, embed, [onerror], [onload], [onmouseover], [onclick], [style]').count()).resolves.toBe(0);
    await expect(log.locator('a[href^="javascript"], img[src^="javascript"], img[src^="data:"]').count()).resolves.toBe(0);
    // Click everything a customer might have booby-trapped.
    await log.getByText('click', { exact: true }).click();
    await log.locator('.wo-fn-result summary').first().click();
    await log.locator('.wo-product-chip').nth(1).hover();
    await inbox.waitForTimeout(300);
    expect(await inbox.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(cspViolations.filter((v) => /script|inline/i.test(v))).toEqual([]);
    // The stored content is still byte for byte what the API returns.
    const stored = await api<{ data: { content: string; content_html: string }[] }>(`/api/conversations/${legacyId}/messages`);
    expect(stored.data[1]!.content).toContain('<script>window.__xss=2</script>');
    expect(stored.data[1]!.content_html).not.toContain('<script');
    await log.locator('.m--assistant').first().evaluate((n) => n.scrollIntoView({ block: 'start' }));
    await inbox.mouse.move(0, 0);
    await inbox.screenshot({ path: `${shots}inbox-legacy.png` });

    // Clearing the search brings the whole list back.
    await inbox.locator('#search-input').fill('');
    await poll(() => inbox.locator('.conv').count()).toBe(listed.data.length);
    expect(pageErrors).toEqual([]);
  });

  let sessionId: string;
  let conversationId: string;
  let customer: Page;

  it("a reply from the inbox shows live on the customer's page, and the customer's answer shows live in the inbox", async () => {
    sessionId = `inbox-e2e-${randomUUID().slice(0, 8)}`;
    const first = await chat(sessionId, 'Hi, I have a question about my delivery window');
    conversationId = first.conversation_id;

    // The new conversation arrives in the open inbox by itself, at the top.
    await row(inbox, conversationId).waitFor({ timeout: 5000 });
    await poll(() => inbox.locator('.conv').first().getAttribute('data-id')).toBe(conversationId);

    const customerContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await customerContext.addInitScript((id) => localStorage.setItem('woodstock-session', id), sessionId);
    customer = await customerContext.newPage();
    await customer.goto(`${app.baseUrl}/`);
    await customer.getByText('I have a question about my delivery window').waitFor();

    await row(inbox, conversationId).locator('button').click();
    await inbox.locator('#thread-log').getByText('I have a question about my delivery window').waitFor();
    const box = inbox.getByRole('textbox', { name: 'Reply to the customer' });
    await box.fill('Hi! This is Tasha at Woodstock. Your delivery is booked for Friday, 8–10 AM.');
    await box.press('Enter');
    // Shown at once as sending, then confirmed.
    await inbox.locator('#thread-log .m--agent').getByText('Your delivery is booked for Friday').waitFor();
    await poll(() => inbox.locator('#thread-log .is-pending').count()).toBe(0);
    await expect(box.inputValue()).resolves.toBe('');

    // The customer's page shows it without a reload…
    await customer.getByText('Your delivery is booked for Friday, 8–10 AM.').waitFor({ timeout: 5000 });
    await expect(customer.getByText('Tasha Reed').first().isVisible()).resolves.toBe(true);
    await customer.screenshot({ path: `${shots}inbox-customer-page.png` });

    // …and the customer's answer appears in the inbox without a reload.
    const input = customer.getByRole('textbox', { name: 'Type your message' });
    await input.fill('Perfect, morning works. Can they call 30 minutes before?');
    await input.press('Enter');
    await inbox.locator('#thread-log .m--customer').getByText('Can they call 30 minutes before?').waitFor({ timeout: 5000 });
    await poll(() => inbox.locator('.conv').first().getAttribute('data-id')).toBe(conversationId);
    await poll(async () => (await row(inbox, conversationId).textContent()) ?? '').toContain('Can they call 30 minutes before?');
    // The reply took the conversation over and assigned it to the replying agent.
    const after = await conversation(conversationId);
    expect(after.handled_by).toBe('human');
    expect(after.assigned_agent_id).toBe(tasha.agent_id);
    await expect(inbox.locator('#thread-handled').textContent()).resolves.toContain('Agent is handling');
    await customerContext.close();
  });

  it('assign, status, snooze, priority and tags: the list and the counts follow', async () => {
    // Start from a conversation nobody has.
    await api(`/api/conversations/${conversationId}`, { method: 'PATCH', body: JSON.stringify({ assigned_agent_id: null, inbox_status: 'open' }) });
    await poll(() => inbox.locator('#assign-label').textContent()).toBe('Unassigned');
    await poll(async () => shownCount(inbox, 'unassigned')).toBe((await apiCounts()).unassigned);
    const mineBefore = (await apiCounts('&assigned_agent_id=me')).total;

    // Assign to me from the menu.
    await inbox.locator('#assign-button').click();
    await inbox.getByRole('menuitemradio', { name: 'Assign to me' }).click();
    await poll(() => inbox.locator('#assign-label').textContent()).toBe('You');
    await poll(async () => (await conversation(conversationId)).assigned_agent_id).toBe(tasha.agent_id);
    await poll(() => shownCount(inbox, 'mine')).toBe(mineBefore + 1);
    await poll(async () => shownCount(inbox, 'unassigned')).toBe((await apiCounts()).unassigned);
    await expect(row(inbox, conversationId).locator('.conv-assignee .avatar').textContent()).resolves.toBe('TR');

    // Assign to another agent.
    await inbox.locator('#assign-button').click();
    await inbox.getByRole('menuitemradio', { name: 'Marcus Bell' }).click();
    await poll(() => inbox.locator('#assign-label').textContent()).toBe('Marcus');
    await poll(() => shownCount(inbox, 'mine')).toBe(mineBefore);

    // Status: needs a person → the Handoff count and the row follow.
    const before = await apiCounts();
    await inbox.locator('#status-button').click();
    await inbox.getByRole('menuitemradio', { name: 'Needs a person' }).click();
    await poll(() => shownCount(inbox, 'pending_human')).toBe(before.pending_human + 1);
    await poll(() => shownCount(inbox, 'open')).toBe(before.open - 1);
    await poll(() => row(inbox, conversationId).getAttribute('class')).toContain('is-handoff');
    await expect(inbox.locator('#thread-banner').isVisible()).resolves.toBe(true);

    // Priority: urgent, then back to automatic.
    await inbox.locator('#priority-button').click();
    await inbox.getByRole('menuitemradio', { name: 'Urgent' }).click();
    await poll(() => inbox.locator('#priority-label').textContent()).toBe('Urgent');
    await poll(() => row(inbox, conversationId).locator('.chip--priority-urgent').count()).toBe(1);
    expect((await conversation(conversationId)).priority_manual).toBe(true);
    await inbox.locator('#priority-button').click();
    await inbox.getByRole('menuitem', { name: /Clear manual priority/ }).click();
    await poll(async () => (await conversation(conversationId)).priority_manual).toBe(false);

    // Filter the list by the Handoff tab: it's there; the counts stay the API's.
    await inbox.getByRole('tab', { name: /Handoff/ }).click();
    await poll(async () => [...new Set(await inbox.locator('.conv').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.status)))]).toEqual(['pending_human']);
    await poll(() => row(inbox, conversationId).count()).toBe(1);
    await poll(() => inbox.locator('.conv').count()).toBe(before.pending_human + 1);

    // Snooze until a chosen time.
    await inbox.locator('#status-button').click();
    await inbox.getByRole('menuitemradio', { name: /Snooze/ }).click();
    await inbox.getByRole('button', { name: 'Tomorrow 9 AM' }).click();
    await inbox.getByRole('button', { name: 'Snooze', exact: true }).click();
    await poll(async () => (await conversation(conversationId)).inbox_status).toBe('snoozed');
    const snoozed = await conversation(conversationId);
    const until = new Date(snoozed.snoozed_until!);
    expect(until.getTime()).toBeGreaterThan(Date.now());
    expect(until.getHours()).toBe(9);
    await poll(() => inbox.locator('#thread-banner').textContent()).toContain('Snoozed until');
    await poll(() => shownCount(inbox, 'pending_human')).toBe(before.pending_human);
    await poll(async () => shownCount(inbox, 'snoozed')).toBe((await apiCounts()).snoozed);

    // Tags: add two, remove one.
    const tagBox = inbox.getByLabel('Add a tag');
    await tagBox.fill('Delivery-Window');
    await tagBox.press('Enter');
    await inbox.locator('.tag-list').getByText('delivery-window').waitFor();
    await inbox.getByLabel('Add a tag').fill('vip');
    await inbox.getByLabel('Add a tag').press('Enter');
    await inbox.locator('.tag-list').getByText('vip').waitFor();
    await inbox.getByRole('button', { name: 'Remove tag delivery-window' }).click();
    await poll(async () => (await conversation(conversationId)).tags).toEqual(['vip']);

    // Back to everything.
    await inbox.getByRole('tab', { name: /^All/ }).click();
    await poll(() => row(inbox, conversationId).count()).toBe(1);

    // Read state: mark unread, then read again; the badge and the Unread count follow.
    const unreadBefore = (await apiCounts()).unread;
    await inbox.getByRole('button', { name: 'Mark unread' }).click();
    await poll(async () => (await conversation(conversationId) as unknown as { unread_count: number }).unread_count).toBe(1);
    await poll(() => row(inbox, conversationId).locator('.unread-badge').textContent()).toBe('1');
    await poll(() => shownCount(inbox, 'unread')).toBe(unreadBefore + 1);
    await inbox.getByRole('button', { name: 'Mark read' }).click();
    await poll(() => row(inbox, conversationId).locator('.unread-badge').count()).toBe(0);
    await poll(() => shownCount(inbox, 'unread')).toBe(unreadBefore);

    // Hand back to the assistant, and take over again.
    await inbox.getByRole('button', { name: 'Hand back' }).click();
    await poll(async () => (await conversation(conversationId)).handled_by).toBe('bot');
    await poll(() => inbox.locator('#thread-handled').textContent()).toContain('Assistant is answering');
    await inbox.getByRole('button', { name: 'Take over' }).click();
    await poll(async () => (await conversation(conversationId)).handled_by).toBe('human');
    expect(pageErrors).toEqual([]);
  });

  it('a failed send is shown with Retry, keeps the text, and the retry reuses its Idempotency-Key', async () => {
    const keys: string[] = [];
    await inbox.route('**/api/conversations/*/messages', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (keys.length === 1) return route.abort('connectionreset');
      return route.fallback();
    });
    const text = 'Internal: customer prefers a call after 5 PM (note from the test).';
    await inbox.locator('#thread-log').click({ position: { x: 5, y: 5 } });
    await inbox.keyboard.press('n');
    await poll(() => inbox.evaluate(() => document.activeElement?.id)).toBe('composer-input');
    await inbox.keyboard.type(text);
    await inbox.keyboard.press('Enter');
    const failed = inbox.locator('#thread-log .m.is-failed');
    await failed.waitFor();
    await expect(failed.textContent()).resolves.toContain(text);
    await expect(failed.textContent()).resolves.toContain('Not sent');
    await expect(failed.getAttribute('class')).resolves.toContain('m--note');
    await failed.getByRole('button', { name: 'Retry' }).click();
    await poll(() => inbox.locator('#thread-log .is-pending').count()).toBe(0);
    await inbox.locator('#thread-log .m--note').getByText(text).waitFor();
    await inbox.unroute('**/api/conversations/*/messages');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    const [{ n }] = await t.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM chatbot_messages WHERE message_content = ${text} AND is_internal_note`);
    expect(n).toBe(1);
    await expect(inbox.locator('#thread-log .m--note').last().textContent()).resolves.toContain('Internal note');
  });

  it('a handoff request stands out, and a dropped connection resumes from the last event without losing one', async () => {
    // A bot conversation that asks for a person.
    const session = `inbox-handoff-${randomUUID().slice(0, 8)}`;
    const { conversation_id: handoffId } = await chat(session, 'Hello, is the Canton showroom open Sunday?');
    await row(inbox, handoffId).waitFor({ timeout: 5000 });
    await chat(session, 'I want to talk to a person please');
    const toastEl = inbox.locator('.toast--handoff');
    await toastEl.waitFor({ timeout: 5000 });
    await expect(toastEl.textContent()).resolves.toContain('needs a person');
    await poll(() => row(inbox, handoffId).getAttribute('class')).toContain('is-handoff');
    await toastEl.getByRole('button', { name: 'Open' }).click();
    await poll(() => inbox.locator('#thread-title').textContent()).not.toBe('');
    await poll(() => inbox.locator('.ctx-handoff').count()).toBe(1);
    await inbox.locator('.ctx-functions').getByText('connectToSupport').waitFor();

    // Drop the socket for a while; meanwhile the customer writes three times.
    const firstSeen = await inbox.evaluate(() => (window as unknown as { __inbox: { live: { received: number[] } } }).__inbox.live.received[0]!);
    await inbox.evaluate(() => (window as unknown as { __inbox: { live: { drop(ms: number): void } } }).__inbox.live.drop(2500));
    await poll(() => inbox.locator('#live-status').getAttribute('data-state')).not.toBe('live');
    for (const text of ['Are you still there?', 'My order number is SO-2026-100370', 'Please call me at 5 PM']) {
      await fetch(`${app.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'woodstock', session_id: session, messages: [{ role: 'user', content: text }] }),
      });
    }
    await poll(() => inbox.locator('#live-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
    // The open conversation shows all three, in order, once each.
    const log = inbox.locator('#thread-log');
    await log.getByText('Please call me at 5 PM').waitFor({ timeout: 5000 });
    const texts = await log.locator('.m--customer .m-content').allTextContents();
    const tail = texts.slice(-3);
    expect(tail).toEqual(['Are you still there?', 'My order number is SO-2026-100370', 'Please call me at 5 PM']);
    // Every event since the page started, exactly once, in order: compared with the event log.
    const received = await inbox.evaluate(() => [...(window as unknown as { __inbox: { live: { received: number[] } } }).__inbox.live.received]);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(new Set(received).size).toBe(received.length);
    const lastReceived = received[received.length - 1]!;
    const logged: number[] = [];
    for (let after = firstSeen - 1; ;) {
      const page = await api<{ data: { id: number }[]; next_after: number }>(`/api/events?after=${after}&limit=1000`);
      logged.push(...page.data.map((e) => e.id));
      if (page.data.length < 1000 || page.next_after >= lastReceived) break;
      after = page.next_after;
    }
    expect(received.filter((id) => id >= firstSeen)).toEqual(logged.filter((id) => id <= lastReceived));

    // A cursor older than the retained history ({"type":"reset"}): resubscribe from now and refetch the list.
    let listRequests = 0;
    const count = (req: { url(): string }) => {
      if (/\/api\/conversations\?/.test(req.url())) listRequests++;
    };
    inbox.on('request', count);
    await inbox.evaluate(() => (window as unknown as { __inbox: { live: { receive(f: unknown): void } } }).__inbox.live.receive({ type: 'reset', oldest_id: 1 }));
    await poll(() => listRequests).toBeGreaterThan(0);
    await poll(() => inbox.locator('#live-status').getAttribute('data-state')).toBe('live');
    inbox.off('request', count);
    const { id: afterReset } = await api<{ message_id: string } & { id?: string }>(`/api/conversations/${handoffId}/messages`, {
      method: 'POST',
      body: JSON.stringify({ content: 'Note after the reset: still live.', is_internal_note: true }),
    }).then(() => ({ id: 'ok' }));
    expect(afterReset).toBe('ok');
    await log.getByText('Note after the reset: still live.').waitFor({ timeout: 5000 });
    expect(pageErrors).toEqual([]);
  });

  it('keyboard: j/k move through the list, ? shows the help, a assigns to me, e resolves, / searches', async () => {
    await inbox.locator('#thread-title').click();
    const first = await inbox.locator('.conv').nth(0).getAttribute('data-id');
    const second = await inbox.locator('.conv').nth(1).getAttribute('data-id');
    await row(inbox, first!).locator('button').click();
    await poll(() => inbox.evaluate(() => location.hash)).toBe(`#/c/${first}`);
    await inbox.keyboard.press('j');
    await poll(() => inbox.evaluate(() => location.hash)).toBe(`#/c/${second}`);
    await poll(() => row(inbox, second!).getAttribute('class')).toContain('is-current');
    await inbox.keyboard.press('k');
    await poll(() => inbox.evaluate(() => location.hash)).toBe(`#/c/${first}`);

    await inbox.keyboard.press('?');
    await expect(inbox.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).resolves.toBe(true);
    await inbox.keyboard.press('Escape');
    await poll(() => inbox.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(false);

    await inbox.keyboard.press('a');
    await poll(async () => (await conversation(first!)).assigned_agent_id).toBe(tasha.agent_id);
    const wasResolved = (await conversation(first!)).inbox_status === 'resolved';
    await inbox.keyboard.press('e');
    await poll(async () => (await conversation(first!)).inbox_status).toBe(wasResolved ? 'open' : 'resolved');
    await inbox.keyboard.press('r');
    await poll(() => inbox.evaluate(() => document.activeElement?.id)).toBe('composer-input');
    await inbox.keyboard.press('Escape');
    await inbox.keyboard.press('/');
    await poll(() => inbox.evaluate(() => document.activeElement?.id)).toBe('search-input');
    await inbox.keyboard.press('Escape');
  });

  it('older messages load on scroll up, keeping the reader where they were', async () => {
    const [{ id: longId }] = await t.database.query<{ id: string }>(sql`
      SELECT conversation_id::text AS id FROM chatbot_conversations WHERE is_active ORDER BY message_count DESC NULLS LAST LIMIT 1`);
    await inbox.evaluate((id) => (window as unknown as { __inbox: { thread: { open(id: string): void } } }).__inbox.thread.open(id), longId!);
    await poll(() => inbox.locator('#thread-log .m').count()).toBeGreaterThan(30);
    await inbox.waitForTimeout(300);
    const before = await inbox.locator('#thread-log .m').count();
    const anchorId = await inbox.locator('#thread-log .m').first().getAttribute('data-id');
    await inbox.locator('#thread-log').evaluate((log) => log.scrollTo({ top: 0 }));
    await poll(() => inbox.locator('#thread-log .m').count()).toBeGreaterThan(before);
    // The message that was first is still on screen (the view didn't jump to the new top).
    const anchor = inbox.locator(`#thread-log .m[data-id="${anchorId}"]`);
    await poll(async () => {
      const box = await anchor.boundingBox();
      return box !== null && box.y > 150 && box.y < 800;
    }).toBe(true);
  });

  it('screenshots of the inbox (1280×800 and wide), taken from the real page', async () => {
    // A conversation the assistant handed over (the first in the list), with a colleague's internal note.
    await inbox.getByRole('tab', { name: /^All/ }).click();
    await inbox.locator('.conv').first().waitFor();
    const handedOver = new Set((await t.database.query<{ id: string }>(sql`
      SELECT conversation_id::text AS id FROM chatbot_conversations WHERE inbox_status = 'pending_human' AND customer_verified AND is_active`)).map((r) => r.id));
    const listed = await inbox.locator('.conv').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.id!));
    const id = listed.find((c) => handedOver.has(c));
    expect(id).toBeTruthy();
    await api(`/api/conversations/${id}/messages`, {
      method: 'POST',
      headers: { 'idempotency-key': `screenshot-note-${id}` },
      body: JSON.stringify({ content: 'Called the Canton showroom: a replacement cushion is in stock. **Offer Friday delivery** before closing this.', sender_name: 'Marcus Bell', is_internal_note: true }),
    });
    await api(`/api/conversations/${id}`, { method: 'PATCH', body: JSON.stringify({ tags: { add: ['damaged', 'vip'] } }) });
    await inbox.evaluate(() => document.querySelectorAll('.toast').forEach((n) => n.remove()));
    await inbox.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await row(inbox, id!).locator('button').click({ timeout: 3000 }).catch(async () => {
      await inbox.evaluate((cid) => (window as unknown as { __inbox: { thread: { open(id: string): void } } }).__inbox.thread.open(cid), id!);
    });
    await inbox.locator('#thread-log').getByText('replacement cushion').waitFor();
    await inbox.locator('.ctx-handoff').waitFor();
    await row(inbox, id!).evaluate((n) => n.scrollIntoView({ block: 'center' }));
    await inbox.mouse.move(0, 0);
    await inbox.waitForTimeout(400);
    await inbox.screenshot({ path: `${shots}inbox-page.png` });
    await inbox.setViewportSize({ width: 1600, height: 900 });
    await inbox.waitForTimeout(300);
    await inbox.screenshot({ path: `${shots}inbox-page-wide.png` });
    await inbox.setViewportSize({ width: 1280, height: 800 });
    expect(pageErrors).toEqual([]);
  });
});
