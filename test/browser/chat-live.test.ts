// The customer chat page against the REAL server (offline model, sandbox LOFT, embedded database):
// a verified customer asks for their orders and sees the text stream in and the order list render;
// an agent's reply posted through the inbox API appears on the open page without a reload.
import { sql } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentityToken } from '../../src/auth/index.ts';
import { seedDemoData } from '../../src/demo/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { authHeaders, startTestApp, TEST_IDENTITY_SECRET, type TestApp } from '../helpers/app.ts';

let t: TestDatabase;
let app: TestApp;
let browser: Browser;
let page: Page;
let customer: { customer_id: string; phone_display: string; first_name: string };

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.database, { conversations: 8, messages: 400, seed: 11 });
  [customer] = await t.database.query<typeof customer>(sql`
    SELECT c.customer_id, c.phone_display, c.first_name FROM loft_customers c
    WHERE (SELECT count(*) FROM loft_orders o WHERE o.customer_id = c.customer_id) >= 2 ORDER BY c.customer_id LIMIT 1`) as [typeof customer];
  app = await startTestApp({ database: t.database });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await t?.drop();
});

describe('chat page on the real server', () => {
  it('a verified customer sees the reply stream in and their orders render as a list', async () => {
    const token = await signIdentityToken({ phone: customer.phone_display }, TEST_IDENTITY_SECRET);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.baseUrl}/?identity_token=${token}`);
    await page.getByRole('log', { name: 'Conversation' }).waitFor();

    // Watch the assistant's text grow while it streams.
    await page.evaluate(() => {
      const w = window as unknown as { __partials: string[] };
      w.__partials = [];
      new MutationObserver(() => {
        const bubbles = document.querySelectorAll('.msg--assistant:not(#welcome) .bubble');
        const last = bubbles[bubbles.length - 1];
        if (last?.textContent) w.__partials.push(last.textContent);
      }).observe(document.getElementById('chat-log')!, { subtree: true, childList: true, characterData: true });
    });
    const box = page.getByRole('textbox', { name: 'Type your message' });
    await box.fill('show me my orders');
    await page.keyboard.press('Enter');

    const orderList = page.locator('[data-component="order_list"]');
    await orderList.waitFor({ timeout: 10_000 });
    const orders = await t.database.query<{ order_id: string }>(sql`SELECT order_id FROM loft_orders WHERE customer_id = ${customer.customer_id}`);
    for (const o of orders) await expect(orderList.getByText(o.order_id).first().isVisible()).resolves.toBe(true);
    await page.waitForFunction(() => !document.querySelector('.typing'), undefined, { timeout: 10_000 }).catch(() => {});
    const partials = await page.evaluate(() => [...new Set((window as unknown as { __partials: string[] }).__partials)]);
    expect(partials.length).toBeGreaterThan(1);
    expect(errors).toEqual([]);
  });

  it("an agent's reply reaches the open page within a second, without reload", async () => {
    const sessionId = await page.evaluate(() => localStorage.getItem('woodstock-session'));
    const session = await (await fetch(`${app.baseUrl}/v1/sessions/${sessionId}`)).json();
    // give the page's live channel a moment to connect after the first turn
    await page.waitForTimeout(300);
    const before = await page.evaluate(() => performance.now());
    const res = await fetch(`${app.baseUrl}/api/conversations/${session.conversation_id}/messages`, {
      method: 'POST',
      headers: { ...authHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({ content: `Hi ${customer.first_name}, this is Tasha from Woodstock. Your delivery is confirmed for Friday.`, sender_name: 'Tasha Reed' }),
    });
    expect(res.status).toBe(201);
    await page.getByText('Your delivery is confirmed for Friday.').waitFor({ timeout: 1_000 });
    const after = await page.evaluate(() => performance.now());
    expect(after - before).toBeLessThan(1_000);
    await expect(page.getByText('Tasha Reed').first().isVisible()).resolves.toBe(true);
    // internal notes never reach the customer
    await fetch(`${app.baseUrl}/api/conversations/${session.conversation_id}/messages`, {
      method: 'POST',
      headers: { ...authHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'internal: VIP, waive the delivery fee', is_internal_note: true }),
    });
    await page.waitForTimeout(500);
    await expect(page.getByText('waive the delivery fee').count()).resolves.toBe(0);
  });
});
