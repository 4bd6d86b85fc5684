// The customer chat page in a real Chromium against a fake server (fake-chat-server.ts): what a
// customer would notice, in the order they'd notice it. One session runs through the file.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderListComponent, startFakeChatServer, type FakeChatServer, type ReplyStep } from './fake-chat-server.ts';

const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const XSS = '<img src=x onerror=window.__xss=1>';

let server: FakeChatServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let sessionId: string;
const pageErrors: string[] = [];
const foreignRequests: string[] = [];
const cspViolations: string[] = [];

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function newContext(viewport = { width: 390, height: 844 }) {
  const ctx = await browser.newContext({ viewport });
  // Anything the page's Content-Security-Policy blocks (inline script or style, foreign origins).
  await ctx.exposeFunction('__reportCsp', (what: string) => cspViolations.push(what));
  await ctx.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCsp(s: string): void }).__reportCsp(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  // The page may talk to our own server only: no CDN, font or analytics request.
  ctx.on('request', (req) => {
    if (!req.url().startsWith(server.url) && !/^(data|blob):/.test(req.url())) foreignRequests.push(req.url());
  });
  return ctx;
}

async function openPage(ctx: BrowserContext, query = '') {
  const p = await ctx.newPage();
  p.on('pageerror', (err) => pageErrors.push(err.message));
  await p.goto(`${server.url}/${query}`);
  await p.getByRole('log', { name: 'Conversation' }).waitFor();
  return p;
}

async function typeAndSend(p: Page, text: string) {
  const box = p.getByRole('textbox', { name: 'Type your message' });
  await box.click();
  await p.keyboard.type(text);
  await p.keyboard.press('Enter');
}

const assistantTexts = (p: Page) => p.locator('.msg--assistant:not(#welcome) .bubble');

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  server = await startFakeChatServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context = await newContext();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('customer chat page', () => {
  it('greets a first-time visitor with quick replies and gives them a session id', async () => {
    page = await openPage(context);
    await expect(page.getByText('Welcome to Woodstock Outlet').isVisible()).resolves.toBe(true);
    for (const chip of ['Track my order', 'Find a sofa', 'Store hours & directions', 'Talk to a person']) {
      await expect(page.getByRole('button', { name: chip }).isVisible()).resolves.toBe(true);
    }
    sessionId = await page.evaluate(() => localStorage.getItem('woodstock-session') ?? '');
    expect(sessionId).toMatch(UUID);
    // The session is new: the page asked for its history (404) and nothing else was sent.
    expect(server.paths).toContain(`/v1/sessions/${sessionId}`);
    expect(server.chatRequests).toHaveLength(0);
  });

  it('sends on Enter, streams the reply as it arrives, and shows the component before the end', async () => {
    const gate = deferred();
    const steps: ReplyStep[] = [
      { text: 'Thanks! Let me ' },
      { text: 'look up your ' },
      { text: 'orders.' },
      { component: orderListComponent },
      { hold: gate.promise }, // the stream stays open until the test has looked
      { text: '\n\nYour **Sierra sectional** (order SO-48213) is *scheduled* for delivery on Nov 29.' },
      { text: '\n- Delivery window: 8 AM – 12 PM\n- We call 30 minutes ahead' },
      { text: '\n\nDelivery details: https://www.woodstockoutlet.com/delivery' },
    ];
    server.setNextReply(steps);

    // Record every state of the reply's text and whether the typing indicator showed.
    await page.evaluate(() => {
      const w = window as unknown as { __states: string[]; __sawTyping: boolean };
      w.__states = [];
      w.__sawTyping = false;
      new MutationObserver(() => {
        if (document.querySelector('.typing')) w.__sawTyping = true;
        const live = document.querySelector('.msg--assistant.is-live');
        const text = live ? Array.from(live.querySelectorAll('.bubble'), (b) => b.textContent).join('|') : '';
        if (text && w.__states[w.__states.length - 1] !== text) w.__states.push(text);
      }).observe(document.getElementById('chat-log')!, { subtree: true, childList: true, characterData: true });
    });

    await typeAndSend(page, 'Where is my order?');

    const userBubble = page.locator('.msg--user .bubble');
    await userBubble.first().waitFor();
    expect(await userBubble.allTextContents()).toEqual(['Where is my order?']);
    expect(await page.getByRole('textbox', { name: 'Type your message' }).inputValue()).toBe('');

    // The component is on screen while the stream is still open (send stays disabled).
    const component = page.locator('.wo-component[data-type="order_list"]');
    await component.waitFor();
    expect(await component.textContent()).toContain('#SO-48213');
    expect(await page.getByRole('button', { name: 'Send message' }).isDisabled()).toBe(true);
    expect(await page.locator('.msg--assistant.is-live').count()).toBe(1);
    expect(await assistantTexts(page).allTextContents()).toEqual(['Thanks! Let me look up your orders.']);

    gate.resolve();
    await page.getByRole('link', { name: 'https://www.woodstockoutlet.com/delivery' }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Send message' }).isEnabled()).toBe(true);

    const { states, sawTyping } = await page.evaluate(() => {
      const w = window as unknown as { __states: string[]; __sawTyping: boolean };
      return { states: w.__states, sawTyping: w.__sawTyping };
    });
    expect(sawTyping).toBe(true);
    const partial = states.filter((s) => !s.includes('Delivery details'));
    expect(new Set(partial).size).toBeGreaterThanOrEqual(2); // the text grew in steps, not at once
    expect(partial.some((s) => s.startsWith('Thanks! Let me') && !s.includes('orders'))).toBe(true);

    // The safe markdown subset became real formatting.
    const reply = page.locator('.msg--assistant.msg:not(#welcome)').last();
    expect(await reply.locator('.bubble strong').allTextContents()).toEqual(['Sierra sectional']);
    expect(await reply.locator('.bubble em').allTextContents()).toEqual(['scheduled']);
    expect(await reply.locator('.bubble li').allTextContents()).toEqual(['Delivery window: 8 AM – 12 PM', 'We call 30 minutes ahead']);
    const link = reply.getByRole('link', { name: 'https://www.woodstockoutlet.com/delivery' });
    expect(await link.getAttribute('href')).toBe('https://www.woodstockoutlet.com/delivery');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');

    // The request is the contract's.
    expect(server.chatRequests).toHaveLength(1);
    expect(server.chatRequests[0]).toEqual({
      model: 'woodstock-assistant',
      stream: true,
      session_id: sessionId,
      platform_type: 'webchat',
      messages: [{ role: 'user', content: 'Where is my order?' }],
    });
  });

  it('Shift+Enter starts a new line instead of sending', async () => {
    const box = page.getByRole('textbox', { name: 'Type your message' });
    await box.click();
    await page.keyboard.type('line one');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('line two');
    expect(await box.inputValue()).toBe('line one\nline two');
    expect(server.chatRequests).toHaveLength(1);
    await box.fill('');
  });

  it("shows a human agent's reply pushed over the live stream, without a reload, once", async () => {
    await expect.poll(() => server.liveClients(sessionId), { timeout: 10_000 }).toBeGreaterThan(0);

    server.pushHandoff(sessionId, 'pending_human');
    await page.getByText("You're connected with our support team").waitFor();
    expect(await page.locator('#chat-status').textContent()).toContain('Our team is here');

    const message = server.addAgentMessage(sessionId, {
      name: 'Dana Whitfield',
      content: "Hi, I'm Dana at our Canton showroom. I can move your delivery to the morning of Nov 29 if that suits you better.",
    });
    const agent = page.locator('.msg--agent');
    await agent.first().waitFor();
    expect(await agent.locator('.msg-sender-name').textContent()).toBe('Dana Whitfield');
    expect(await agent.textContent()).toContain('Woodstock team');
    expect(await agent.locator('.bubble').textContent()).toContain("I'm Dana at our Canton showroom");

    // The same message delivered twice (stream replay) is still shown once.
    server.pushMessage(sessionId, message);
    server.pushHandoff(sessionId, 'pending_human');
    await page.waitForTimeout(300);
    expect(await agent.count()).toBe(1);
    expect(await page.getByText("You're connected with our support team").count()).toBe(1);
  });

  it('after the live stream drops and reconnects, fetches what was missed meanwhile', async () => {
    const historyCalls = () => server.paths.filter((p) => p === `/v1/sessions/${sessionId}`).length;
    const before = historyCalls();
    // Stored while no stream is listening: only a history refetch can bring it.
    server.addAgentMessage(sessionId, {
      name: 'Dana Whitfield',
      content: 'Done! Your delivery is now booked for 8–10 AM. Anything else I can help with?',
      push: false,
    });
    server.dropLiveStreams();

    await page.getByText('Your delivery is now booked for 8–10 AM').waitFor({ timeout: 10_000 });
    expect(historyCalls()).toBeGreaterThan(before);
    // Nothing already on screen was drawn twice by the refetch.
    expect(await page.locator('.msg--user').count()).toBe(1);
    expect(await page.locator('.wo-component').count()).toBe(1);
    expect(await assistantTexts(page).count()).toBe(2);
    expect(await page.locator('.msg--agent').count()).toBe(2);

    await page.screenshot({ path: path.join(SCREENSHOTS, 'chat-page.png') });
  });

  it('reloads the conversation from history after a page reload (same session)', async () => {
    await page.reload();
    await page.locator('.msg--agent').nth(1).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('woodstock-session'))).toBe(sessionId);
    expect(await page.locator('.msg--user .bubble').allTextContents()).toEqual(['Where is my order?']);
    expect(await page.locator('.wo-component[data-type="order_list"]').count()).toBe(1);
    // From history the reply is one stored message: the order card, then its full text.
    expect(await assistantTexts(page).allTextContents()).toEqual([
      expect.stringMatching(/^Thanks! Let me look up your orders\.Your Sierra sectional.*Delivery details/s),
    ]);
    expect(await page.locator('.msg--agent .msg-sender-name').allTextContents()).toEqual(['Dana Whitfield', 'Dana Whitfield']);

    // The same conversation on a desktop screen.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(100);
    await page.locator('#chat-log').evaluate((log) => log.scrollTo({ top: log.scrollHeight, behavior: 'instant' }));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'chat-page-desktop.png') });
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it("shows HTML in the model's text as text, and never runs it (also in components)", async () => {
    server.setNextReply([
      { text: 'Here is the picture you asked for: ' },
      { text: XSS },
      { text: ' and [a link](javascript:window.__xss=2)' },
      {
        component: {
          type: 'product_carousel',
          data: {},
          html: '<div class="ok">Sofa</div><img src=x onerror="window.__xss=3"><a href="javascript:window.__xss=4">buy</a><script>window.__xss=5</script>',
        },
      },
    ]);
    await typeAndSend(page, 'Show me a picture');
    await page.getByText(XSS).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Send message' }).isEnabled()).toBe(true);

    const log = page.locator('#chat-log');
    expect(await log.locator('.bubble img').count()).toBe(0); // the model's text made no element
    expect(await log.locator('[onerror]').count()).toBe(0); // the component's image lost its handler
    expect(await log.locator('script').count()).toBe(0);
    expect(await log.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await log.locator('.wo-component[data-type="product_carousel"] .ok').textContent()).toBe('Sofa');
    await log.locator('.wo-component a', { hasText: 'buy' }).click(); // its javascript: href is gone
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    // The same text from history is just as inert.
    await page.reload();
    await page.getByText(XSS).waitFor();
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    // The only CSP reports are the bad component's onerror (parsed, never run); the model's text
    // produced none at all.
    expect(new Set(cspViolations)).toEqual(new Set(['script-src-attr inline']));
    cspViolations.length = 0;
  });

  it('a 429 problem shows its detail and keeps what the customer typed', async () => {
    server.failNextWith({
      status: 429,
      title: 'Too Many Requests',
      detail: 'You have sent too many messages. Please wait a minute and try again.',
      code: 'rate_limited',
    });
    await typeAndSend(page, 'Can I change my delivery date?');

    const failed = page.locator('.msg--user.is-failed');
    await failed.waitFor();
    expect(await failed.locator('.bubble').textContent()).toBe('Can I change my delivery date?');
    expect(await failed.textContent()).toContain('You have sent too many messages. Please wait a minute and try again.');
    expect(await page.getByRole('textbox', { name: 'Type your message' }).inputValue()).toBe('Can I change my delivery date?');
    expect(await page.getByRole('button', { name: 'Send message' }).isEnabled()).toBe(true);
    expect(await page.locator('.msg--assistant.is-live').count()).toBe(0);
  });

  it('a server error says "Not sent — tap to retry", and tapping it sends the message', async () => {
    server.failNextWith({ status: 503, title: 'Service Unavailable', detail: 'Database unavailable', code: 'unavailable' });
    const box = page.getByRole('textbox', { name: 'Type your message' });
    await box.click();
    await page.keyboard.press('Enter'); // the kept draft from the 429

    const retry = page.getByRole('button', { name: /Retry sending this message/ });
    await retry.waitFor();
    expect(await retry.textContent()).toContain('Not sent — tap to retry');
    // One failed copy (the newer attempt replaced the 429 one), and the draft is still there.
    expect(await page.locator('.msg--user.is-failed').count()).toBe(1);
    expect(await box.inputValue()).toBe('Can I change my delivery date?');

    const sent = server.chatRequests.length;
    await retry.click();
    await expect.poll(() => server.chatRequests.length).toBe(sent + 1);
    await expect.poll(() => page.getByRole('button', { name: 'Send message' }).isEnabled()).toBe(true);
    expect(await page.locator('.msg--user.is-failed').count()).toBe(0);
    expect(await page.locator('.msg--user .bubble', { hasText: 'Can I change my delivery date?' }).count()).toBe(1);
    expect(await box.inputValue()).toBe('');
  });

  it("a component's action button asks about it, as the customer's message", async () => {
    const sent = server.chatRequests.length;
    await page.locator('.wo-component[data-type="order_list"]').getByRole('button', { name: 'Details' }).first().click();
    await page.locator('.msg--user .bubble', { hasText: 'Show me the details of order #SO-48213' }).waitFor();
    await expect.poll(() => server.chatRequests.length).toBe(sent + 1);
    expect(server.chatRequests[sent].messages).toEqual([{ role: 'user', content: 'Show me the details of order #SO-48213' }]);
    await expect.poll(() => page.getByRole('button', { name: 'Send message' }).isEnabled()).toBe(true);
  });

  it('shows an offline banner while the browser is offline', async () => {
    const banner = page.getByText("You're offline.");
    expect(await banner.isVisible()).toBe(false);
    await context.setOffline(true);
    await banner.waitFor();
    await context.setOffline(false);
    await banner.waitFor({ state: 'hidden' });
  });

  it("sends the host site's identity token with each turn, ignores legacy params, works by keyboard", async () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJDMTAwMSJ9.c2lnbmF0dXJl';
    const ctx = await newContext();
    const p = await openPage(ctx, `?identity_token=${token}&customer_id=C999&customer_email=pat%40example.com`);

    // Kept for this tab, taken out of the address bar; the legacy params are not identity.
    expect(new URL(p.url()).searchParams.has('identity_token')).toBe(false);
    const stored = await p.evaluate(() => ({
      token: sessionStorage.getItem('woodstock-identity-token'),
      user: localStorage.getItem('woodstock-user'),
      everything: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    }));
    expect(stored.token).toBe(token);
    expect(stored.user).toBeNull();
    expect(stored.everything).not.toMatch(/C999|pat@example\.com/);

    // A quick reply, reached and pressed with the keyboard alone.
    await p.getByRole('button', { name: 'Track my order' }).focus();
    await p.keyboard.press('Enter');
    await p.locator('.msg--user .bubble', { hasText: 'Track my order' }).waitFor();
    await expect.poll(() => p.getByRole('button', { name: 'Send message' }).isEnabled()).toBe(true);
    let request = server.chatRequests[server.chatRequests.length - 1];
    expect(request.identity_token).toBe(token);
    expect(request).not.toHaveProperty('customer_id');
    expect(request).not.toHaveProperty('customer_email');
    expect(request.session_id).not.toBe(sessionId); // another browser, another session

    // Still sent after a reload of the same tab.
    await p.reload();
    await p.locator('.msg--user').first().waitFor();
    await typeAndSend(p, 'Thanks');
    await expect.poll(() => server.chatRequests.length).toBeGreaterThan(0);
    await expect.poll(() => p.getByRole('button', { name: 'Send message' }).isEnabled()).toBe(true);
    request = server.chatRequests[server.chatRequests.length - 1];
    expect(request.messages).toEqual([{ role: 'user', content: 'Thanks' }]);
    expect(request.identity_token).toBe(token);
    await ctx.close();
  });

  it('made no request to anyone but our server, threw no script error, broke no CSP rule', () => {
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
