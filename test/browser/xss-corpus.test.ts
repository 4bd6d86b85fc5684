// The bar "stored HTML: content with <script>, event-handler attributes and javascript: links is
// inert in both pages", checked in Chromium with a corpus of filter-evasion payloads (OWASP's
// cheat sheet, mutation XSS, markdown links, attribute breakouts, unicode tricks). Each payload
// sets its own `window.__xss = N`. They are stored everywhere a page shows stored text (legacy
// assistant HTML and the original's markers, customer text, agent replies and their names,
// internal notes, component html and function inputs/results, customer names, tags, topics,
// handoff reasons) and streamed (assistant text from the real server with a scripted model, and
// arbitrary component html and live agent replies from the fake chat server). Both pages are
// opened as served (with their Content-Security-Policy) and again with the CSP bypassed, so the
// sanitisers are shown to hold on their own, not only behind the CSP. After everything renders
// and every link and trap is hovered and clicked: no marker set, no dialog, no on* attribute, no
// javascript:/vbscript:/data:text/html URL, no script/iframe/object/embed/base/meta-refresh from
// content.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { MockLanguageModelV3 } from 'ai/test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signIdentityToken } from '../../src/auth/index.ts';
import { toDbTimestamp } from '../../src/shared/time.ts';
import { authHeaders, startTestApp, TEST_API_KEY, TEST_IDENTITY_SECRET, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startFakeChatServer, type FakeChatServer } from './fake-chat-server.ts';

// ---------- the corpus: {N} is the payload's own marker ----------

const CORPUS: string[] = [
  '<script>window.__xss={N}</script>',
  '<ScRiPt >window.__xss={N}</sCrIpT >',
  '<scr<script>ipt>window.__xss={N}</scr</script>ipt>',
  '<script src="data:text/javascript,window.__xss={N}"></script>',
  '<img src=x onerror=window.__xss={N}>',
  '<IMG SRC=x ONERROR="window.__xss={N};alert({N})">',
  '<img src=x onerror=&#119;indow.__xss&#61;{N}>',
  '<img """><script>window.__xss={N}</script>">',
  '<img src=x onerror\u000c=window.__xss={N}>',
  '<svg onload=window.__xss={N}>',
  '<svg><script>window.__xss={N}</script></svg>',
  '<svg><animate onbegin=window.__xss={N} attributeName=x dur=1s></svg>',
  '<svg><a xlink:href="javascript:window.__xss={N}"><text x="20" y="20">click me {N}</text></a></svg>',
  '<body onload=window.__xss={N}>',
  '<iframe src="javascript:parent.__xss={N}"></iframe>',
  '<iframe srcdoc="<script>parent.__xss={N}</script>"></iframe>',
  '<iframe src="data:text/html,<script>parent.__xss={N}</script>"></iframe>',
  '<details open ontoggle=window.__xss={N}><summary>open me {N}</summary></details>',
  '<video><source onerror=window.__xss={N}></video>',
  '<audio src=x onerror=window.__xss={N}>',
  '<a href="javascript:window.__xss={N}">click me {N}</a>',
  '<a href="JaVaScRiPt:window.__xss={N}">click me {N}</a>',
  '<a href="&#106;avascript:window.__xss={N}">click me {N}</a>',
  '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;window.__xss={N}">click me {N}</a>',
  '<a href="jav&#x09;ascript:window.__xss={N}">click me {N}</a>',
  '<a href=" &#14;  javascript:window.__xss={N}">click me {N}</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5vcGVuZXIuX194c3M9MTwvc2NyaXB0Pg==">click me {N}</a>',
  '<a href="vbscript:window.__xss={N}">click me {N}</a>',
  '<a href="javascript&colon;window.__xss={N}">click me {N}</a>',
  '<svg><a href="javascript:window.__xss={N}"><text x="20" y="20">click me {N}</text></a></svg>',
  '<svg><set attributeName="onmouseover" to="window.__xss={N}"/><rect width="40" height="40"><set attributeName="onclick" to="window.__xss={N}"/></rect></svg>',
  '<math><maction actiontype="statusline" xlink:href="javascript:window.__xss={N}">click me {N}</maction></math>',
  '<a href="https://example.com/" onmouseover="window.__xss={N}">hover me {N}</a>',
  '<form action="javascript:window.__xss={N}"><button>click me {N}</button></form>',
  '<form><button formaction="javascript:window.__xss={N}">click me {N}</button></form>',
  '<input onfocus=window.__xss={N} autofocus>',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss={N}">',
  '<object data="javascript:window.__xss={N}"></object><embed src="javascript:window.__xss={N}">',
  '<div style="background:url(javascript:window.__xss={N})">styled {N}</div>',
  '<div style="width: expression(window.__xss={N})">styled {N}</div>',
  '<style>@import "javascript:window.__xss={N}";*{background:url("javascript:window.__xss={N}")}</style>',
  '<noscript><p title="</noscript><img src=x onerror=window.__xss={N}>"></noscript>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss={N}>',
  '<svg></p><style><a id="</style><img src=1 onerror=window.__xss={N}>">',
  '<form><math><mtext></form><form><mglyph><style></math><img src onerror=window.__xss={N}>',
  '<template><img src=x onerror=window.__xss={N}></template>',
  '[click me {N}](javascript:window.__xss={N})',
  '[click me {N}](javascript://%0Awindow.__xss={N})',
  '"><img src=x onerror=window.__xss={N}>',
  "'><svg/onload=window.__xss={N}>",
  '</textarea></title></style><script>window.__xss={N}</script>',
  '<x onclick=window.__xss={N}>click me {N}</x>',
  '<marquee onstart=window.__xss={N}>m {N}</marquee>',
  '<link rel=stylesheet href="javascript:window.__xss={N}"><base href="javascript:window.__xss={N}//">',
  '{{constructor.constructor("window.__xss={N}")()}} ${window.__xss={N}}',
  '\uFF1Cscript\uFF1Ewindow.__xss={N}\uFF1C/script\uFF1E <img src=x onerror=window["__x"+"ss"]={N}>',
];
const payloads = CORPUS.map((tpl, i) => tpl.replaceAll('{N}', String(i + 1)));
const short = (i: number) => payloads[i]!.slice(0, 240);

// ---------- what "inert" means, checked in the page ----------

interface Findings {
  xss: unknown;
  onAttrs: string[];
  badUrls: string[];
  active: string[];
}

/** Looks at the whole DOM (every frame-free element, including shadow-free SVG/MathML). */
function inspect(page: Page, baseline: string[]): Promise<Findings> {
  return page.evaluate((baseline) => {
    const onAttrs: string[] = [];
    const badUrls: string[] = [];
    const where = (el: Element) => `<${el.localName}${el.id ? `#${el.id}` : ''}> in ${el.parentElement?.closest('[id]')?.id ?? '?'}`;
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith('on')) onAttrs.push(`${where(el)} ${attr.name}="${attr.value.slice(0, 60)}"`);
        // Browsers ignore whitespace and control characters inside a scheme: so does this check.
        const value = attr.value.replace(/[\u0000-\u0020\u007f-\u00a0]/g, '').toLowerCase();
        if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'srcdoc', 'content', 'srcset'].includes(name)) {
          if (name === 'srcdoc' || /^(javascript|vbscript|livescript):/.test(value) || value.startsWith('data:text/html') || /url=javascript:/.test(value)) {
            badUrls.push(`${where(el)} ${attr.name}="${attr.value.slice(0, 60)}"`);
          }
        }
      }
    }
    // Elements that run or load things: anything not in the page's own markup.
    const active: string[] = [];
    const seen = [...document.querySelectorAll('script, iframe, frame, frameset, object, embed, applet, base, meta, link, style, portal')]
      .map((el) => `${el.localName}|${el.getAttribute('src') ?? ''}|${el.getAttribute('href') ?? ''}|${el.getAttribute('http-equiv') ?? ''}|${el.getAttribute('name') ?? ''}|${el.getAttribute('rel') ?? ''}`);
    const pool = [...baseline];
    for (const s of seen) {
      const at = pool.indexOf(s);
      if (at === -1) active.push(s);
      else pool.splice(at, 1);
    }
    return { xss: (window as unknown as { __xss?: unknown }).__xss, onAttrs, badUrls, active };
  }, baseline);
}

/** The page's own script/style/meta/link elements, before any stored content is shown. */
function baselineOf(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('script, iframe, frame, frameset, object, embed, applet, base, meta, link, style, portal')]
      .map((el) => `${el.localName}|${el.getAttribute('src') ?? ''}|${el.getAttribute('href') ?? ''}|${el.getAttribute('http-equiv') ?? ''}|${el.getAttribute('name') ?? ''}|${el.getAttribute('rel') ?? ''}`),
  );
}

/**
 * Hovers, focuses and clicks everything a payload could have booby-trapped inside `root`: links
 * that do not lead to a web page (those would leave the page), <details> and <summary>, elements
 * with a title, media, buttons and inputs that came with stored content, and the corpus's "click
 * me", "hover me" and "open me" texts. (The pages' own buttons are left alone: they would
 * resolve, reassign or send.) Done with DOM events in one pass: inline handlers and javascript:
 * links react to them as to a person's pointer, and a page of a hundred traps takes milliseconds.
 */
async function exercise(page: Page, root: string): Promise<number> {
  const before = popups.length;
  const count = await page.evaluate((root) => {
    const content = '.m-content, .wo-component, .bubble, .wo-legacy-html';
    const targets = new Set<Element>();
    const leaves = (el: Element) => {
      const href = el.closest('a[href]')?.getAttribute('href') ?? '';
      try {
        return href !== '' && /^(https?|mailto|tel):$/.test(new URL(href, location.href).protocol);
      } catch {
        return false;
      }
    };
    for (const scope of document.querySelectorAll(root)) {
      for (const el of scope.querySelectorAll('a, summary, details, [title], x, marquee, svg a, button, input, img, video, audio, [tabindex]')) {
        if (leaves(el)) continue;
        if ((el.localName === 'button' || el.localName === 'input' || el.closest('button')) && !el.closest(content)) continue;
        targets.add(el);
      }
      const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        const host = t.parentElement;
        if (host && /(click|hover|open) me \d+/.test(t.textContent ?? '') && !leaves(host)) targets.add(host);
      }
    }
    for (const el of targets) {
      for (const type of ['pointerover', 'pointerenter', 'mouseover', 'mouseenter', 'mousemove', 'pointerdown', 'mousedown', 'pointerup', 'mouseup']) {
        el.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window }));
      }
      (el as HTMLElement).focus?.();
      if (el.localName === 'details') (el as HTMLDetailsElement).open = true;
      (el as HTMLElement).click?.();
      el.dispatchEvent(new MouseEvent('dblclick', { bubbles: true, cancelable: true, view: window }));
      el.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, cancelable: true, view: window }));
    }
    return targets.size;
  }, root);
  await page.waitForTimeout(200);
  if (popups.length > before) popups.push(`(while exercising ${root})`);
  return count;
}

// ---------- the servers, the browser ----------

let t: TestDatabase;
let app: TestApp;
let fake: FakeChatServer;
let browser: Browser;
const dialogs: string[] = [];
const popups: string[] = [];
const pageErrors: string[] = [];

// The customer page shows a conversation's latest 50 messages: each kind of content is split
// over two conversations, half the corpus each, so every payload is on screen.
const KINDS = ['legacy', 'customer', 'agent', 'notes', 'tools', 'verified'] as const;
type Kind = (typeof KINDS)[number];
const halves = [payloads.map((_, i) => i).slice(0, Math.ceil(payloads.length / 2)), payloads.map((_, i) => i).slice(Math.ceil(payloads.length / 2))];
/** name (e.g. "legacy-1") → its session and conversation */
const stored = new Map<string, { kind: Kind; sessionId: string; id: string; indexes: number[] }>();
const metaConversations: string[] = [];
const VERIFIED_CUSTOMER = 'C900001';
let verifiedToken: string;
/** The last message of every conversation: once it is on screen, the rest is too. */
const sentinel = (name: string) => `sentinel ${name} end of the corpus`;

/** A model that streams every payload as text, cut into pieces across deltas, after one tool call. */
function corpusModel() {
  const text = payloads.map((p, i) => `Payload ${i + 1}: ${p}`).join('\n\n');
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += 37) pieces.push(text.slice(at, at + 37));
  const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 10, text: 10, reasoning: 0 } };
  return new MockLanguageModelV3({
    doStream: async (options: LanguageModelV3CallOptions) => {
      // First step: open a support ticket with the corpus as the issue (its card quotes the issue).
      const afterTool = options.prompt.some((m) => m.role === 'tool');
      const parts: LanguageModelV3StreamPart[] = [{ type: 'stream-start', warnings: [] }];
      if (!afterTool) {
        parts.push({ type: 'tool-call', toolCallId: 'call-xss', toolName: 'handleSupportEscalation', input: JSON.stringify({ issue: payloads.slice(0, 25).join(' '), category: 'other', priority: 'low' }) });
        parts.push({ type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage });
      } else {
        parts.push({ type: 'text-start', id: 't' });
        for (const delta of pieces) parts.push({ type: 'text-delta', id: 't', delta });
        parts.push({ type: 'text-end', id: 't' });
        parts.push({ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage });
      }
      return {
        stream: new ReadableStream<LanguageModelV3StreamPart>({
          start(controller) {
            for (const p of parts) controller.enqueue(p);
            controller.close();
          },
        }),
      };
    },
  });
}

async function insertConversation(c: {
  sessionId?: string | null;
  userIdentifier: string;
  customerId?: string | null;
  customerName?: string | null;
  verified?: boolean;
  tags?: string[];
  topics?: string[];
  priorityReasons?: string[];
  summary?: string | null;
  handoff?: Record<string, unknown> | null;
  status?: string;
  handledBy?: string;
}): Promise<string> {
  const id = randomUUID();
  const at = toDbTimestamp(new Date(Date.now() - 3_600_000));
  await t.database.query(sql`
    INSERT INTO chatbot_conversations (conversation_id, user_identifier, platform_type, conversation_started_at, last_message_at, is_active,
      session_id, customer_id, customer_name, customer_verified, tags, topics, priority_reasons, summary_text, handoff, inbox_status, handled_by,
      message_count, customer_message_count)
    VALUES (${id}, ${c.userIdentifier}, 'webchat', ${at}::timestamp, ${at}::timestamp, true,
      ${c.sessionId ?? null}, ${c.customerId ?? null}, ${c.customerName ?? null}, ${c.verified ?? false},
      ${JSON.stringify(c.tags ?? [])}::jsonb, ${JSON.stringify(c.topics ?? [])}::jsonb, ${JSON.stringify(c.priorityReasons ?? [])}::jsonb,
      ${c.summary ?? null}, ${c.handoff ? JSON.stringify(c.handoff) : null}::jsonb, ${c.status ?? 'open'}, ${c.handledBy ?? 'bot'}, 0, 0)`);
  return id;
}

let clock = Date.now() - 3_000_000;
async function insertMessage(conversationId: string, m: {
  role: 'user' | 'assistant' | 'tool';
  senderType: 'customer' | 'ai_assistant' | 'business_rep';
  senderName?: string | null;
  content: string;
  fn?: string | null;
  input?: unknown;
  output?: unknown;
  status?: string | null;
  components?: unknown;
  internal?: boolean;
}) {
  clock += 1000;
  await t.database.query(sql`
    INSERT INTO chatbot_messages (conversation_id, message_role, message_content, executed_function_name, function_input_parameters,
      function_output_result, function_execution_status, message_created_at, sender_type, sender_name, is_internal_note, components)
    VALUES (${conversationId}, ${m.role}, ${m.content}, ${m.fn ?? null}, ${m.input === undefined ? null : JSON.stringify(m.input)}::jsonb,
      ${m.output === undefined ? null : JSON.stringify(m.output)}::jsonb, ${m.status ?? null}, ${toDbTimestamp(new Date(clock))}::timestamp,
      ${m.senderType}, ${m.senderName ?? null}, ${m.internal ?? false}, ${m.components === undefined ? null : JSON.stringify(m.components)}::jsonb)`);
  await t.database.query(sql`
    UPDATE chatbot_conversations SET message_count = coalesce(message_count, 0) + 1, last_message_at = ${toDbTimestamp(new Date(clock))}::timestamp
    WHERE conversation_id = ${conversationId}`);
}

const hostileComponent = (i: number, type = 'product_carousel') => ({
  type,
  data: { reason: payloads[i], products: [{ sku: `XSS-${i + 1}`, name: payloads[i], image: `javascript:window.__xss=${i + 1}`, price: 1 }] },
  html: `<div class="wo-card"><h3 class="wo-card__title">Card ${i + 1}</h3>${payloads[i]}</div>`,
});

async function seedCorpus() {
  for (const kind of KINDS) {
    for (const [h, indexes] of halves.entries()) {
      const name = `${kind}-${h + 1}`;
      const sessionId = `xss-${name}-${randomUUID()}`;
      const verified = kind === 'verified';
      const id = await insertConversation({
        sessionId,
        userIdentifier: `session:${sessionId}`,
        // A verified customer whose name is a payload.
        ...(verified ? { customerId: VERIFIED_CUSTOMER, customerName: payloads[4]!, verified: true } : {}),
      });
      stored.set(name, { kind, sessionId, id, indexes });
      if (kind === 'agent' || kind === 'notes') await insertMessage(id, { role: 'user', senderType: 'customer', content: 'Hello, is anyone there?' });
      for (const i of indexes) {
        const p = payloads[i]!;
        if (kind === 'legacy') {
          // Legacy assistant HTML, as the original stored it.
          await insertMessage(id, { role: 'assistant', senderType: 'ai_assistant', content: `<div class="customer-card"><p>Legacy ${i + 1}</p>${p}</div>` });
        } else if (kind === 'customer') {
          await insertMessage(id, { role: 'user', senderType: 'customer', content: `Customer ${i + 1}: ${p}` });
        } else if (kind === 'agent' || kind === 'notes') {
          // Agents' replies and internal notes, through the inbox API as agents write them.
          const note = kind === 'notes';
          const res = await fetch(`${app.baseUrl}/api/conversations/${id}/messages`, {
            method: 'POST',
            headers: { ...authHeaders(), 'content-type': 'application/json' },
            body: JSON.stringify({ content: `${note ? 'Note' : 'Agent'} ${i + 1}: ${p}`, sender_name: p.slice(0, 255), is_internal_note: note }),
          });
          expect(res.status, `${kind} ${i + 1}`).toBe(201);
        } else if (kind === 'tools') {
          // Component html, function input and result (a function that is not personal data, so
          // an anonymous customer's page shows its history).
          const component = hostileComponent(i);
          await insertMessage(id, {
            role: 'tool', senderType: 'ai_assistant', senderName: 'Woodstock Assistant', content: `getProductRecommendations → success ${p}`,
            fn: 'getProductRecommendations', input: { query: p }, output: { ok: true, data: component.data }, status: 'success', components: [component],
          });
        } else {
          // A verified customer's order cards.
          const component = hostileComponent(i, 'order_list');
          await insertMessage(id, {
            role: 'tool', senderType: 'ai_assistant', senderName: 'Woodstock Assistant', content: 'getOrdersByCustomer → success',
            fn: 'getOrdersByCustomer', input: { customer_id: VERIFIED_CUSTOMER },
            output: { ok: true, data: { customer_id: VERIFIED_CUSTOMER, orders: [{ order_id: p, status: 'P', status_label: p }] } },
            status: 'success', components: [component],
          });
        }
      }
      if (kind === 'legacy' && h === 0) {
        // The original's markers, with payloads inside their JSON, and a broken one.
        await insertMessage(id, {
          role: 'assistant', senderType: 'ai_assistant', fn: 'getProductRecommendations',
          content: `**Function Result (getProductRecommendations):** ${JSON.stringify({ entry: payloads.slice(0, 10).map((x, j) => ({ customerid: `C${j}`, firstname: x, lastname: x })) })}`,
        });
        await insertMessage(id, {
          role: 'assistant', senderType: 'ai_assistant',
          content: `Options:\n\n**CAROUSEL_DATA:** ${JSON.stringify({ products: payloads.slice(10, 22).map((x, j) => ({ sku: `SOF-${j}`, name: x, price: 9, image: `javascript:window.__xss=${j + 11}` })) })}`,
        });
        await insertMessage(id, { role: 'assistant', senderType: 'ai_assistant', content: `**Function Result (broken ${payloads[4]}):** {"not json ${payloads[5]}` });
      }
      await insertMessage(id, { role: 'user', senderType: 'customer', senderName: verified ? payloads[4]! : null, content: sentinel(name) });
    }
  }

  // Two payloads per small conversation: the customer's name and identifier, tags, topics,
  // priority reasons, summary and handoff request, and a customer message (the list's preview).
  for (let i = 0; i < payloads.length; i += 2) {
    const [a, b] = [payloads[i]!, payloads[i + 1] ?? payloads[i]!];
    const name = `meta-${i + 1}`;
    const id = await insertConversation({
      userIdentifier: `xss-${i + 1}-${b}`.slice(0, 255),
      customerName: a,
      customerId: `C8${String(i).padStart(5, '0')}`,
      tags: [a.toLowerCase().slice(0, 60), b.toLowerCase().slice(0, 60)],
      topics: [a, b],
      priorityReasons: [a, b],
      summary: `Summary ${i + 1}: ${a} ${b}`,
      handoff: { kind: 'escalation', reason: a, summary: b, priority: 'high', requested_at: new Date().toISOString(), steps_taken: [a, b] },
      status: 'pending_human',
      handledBy: 'human',
    });
    await insertMessage(id, { role: 'user', senderType: 'customer', senderName: b, content: `${a} ${b} ${sentinel(name)}` });
    stored.set(name, { kind: 'customer', sessionId: '', id, indexes: [i, i + 1] });
    metaConversations.push(id);
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  app = await startTestApp({ database: t.database, model: { model: corpusModel(), name: 'corpus-model' }, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  fake = await startFakeChatServer({ stepDelayMs: 5 });
  verifiedToken = await signIdentityToken({ sub: VERIFIED_CUSTOMER }, TEST_IDENTITY_SECRET);
  await seedCorpus();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await fake?.close();
  await app?.close();
  await t?.drop();
});

// ---------- helpers over a page ----------

async function newContext(bypassCSP: boolean, viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport, bypassCSP });
  ctx.on('page', (p) => {
    p.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss().catch(() => {});
    });
    p.on('pageerror', (e) => pageErrors.push(e.message));
    p.on('popup', (popup) => popups.push(popup.url()));
  });
  return ctx;
}

function expectInert(found: Findings, where: string) {
  expect(found.xss, `${where}: window.__xss was set by payload ${String(found.xss)}: ${typeof found.xss === 'number' ? short(found.xss - 1) : ''}`).toBeUndefined();
  expect(found.onAttrs, `${where}: event-handler attributes in the DOM`).toEqual([]);
  expect(found.badUrls, `${where}: script URLs in the DOM`).toEqual([]);
  expect(found.active, `${where}: script/frame/object/embed/base/meta/link/style elements from content`).toEqual([]);
  expect(dialogs, `${where}: dialogs opened`).toEqual([]);
  expect(popups, `${where}: windows opened`).toEqual([]);
}

const modes = [
  { name: 'as served (with its CSP)', bypassCSP: false },
  { name: 'with the CSP bypassed (the sanitisers alone)', bypassCSP: true },
];

describe('stored and streamed XSS payloads are inert', () => {
  // One test's dialog or window must not be blamed on the next.
  beforeEach(() => {
    dialogs.length = 0;
    popups.length = 0;
  });

  it('the corpus is what the bar asks for', () => {
    expect(payloads.length).toBeGreaterThanOrEqual(40);
    expect(new Set(payloads).size).toBe(payloads.length);
  });

  for (const mode of modes) {
    describe(mode.name, () => {
      it('control: the same payload inserted raw into the page runs only where the CSP is bypassed', async () => {
        // Shows the checks below can fail: in this mode an unsanitised payload does (or, behind
        // the CSP, does not) set its marker.
        const ctx = await newContext(mode.bypassCSP);
        try {
          for (const url of [`${app.baseUrl}/`, `${app.baseUrl}/inbox`]) {
            const page = await ctx.newPage();
            await page.goto(url);
            await page.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), payloads[4]!);
            await page.waitForTimeout(300);
            const marker = await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss);
            expect(marker, url).toBe(mode.bypassCSP ? 5 : undefined);
            await page.close();
          }
        } finally {
          await ctx.close();
        }
      });

      it('the inbox: the list, every conversation, its context panel and tool calls', { timeout: 240_000 }, async () => {
        const ctx = await newContext(mode.bypassCSP);
        try {
          const page = await ctx.newPage();
          await page.goto(`${app.baseUrl}/inbox`);
          await page.locator('#signin-key').waitFor();
          const baseline = await baselineOf(page);
          // A key without an agent asks for the name replies go out under: a payload too.
          await page.locator('#signin-key').fill(TEST_API_KEY);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.locator('#signin-name').waitFor({ state: 'visible' });
          await page.locator('#signin-name').fill(payloads[4]!);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.locator('.conv').first().waitFor();
          // (more than the corpus once the streamed-reply test below has run in the other mode)
          await expect.poll(() => page.locator('.conv').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(stored.size);
          expectInert(await inspect(page, baseline), 'inbox list');

          let exercised = 0;
          for (const [name, { id }] of stored) {
            await page.locator(`.conv[data-id="${id}"] button`).first().click();
            await page.locator('#thread-log').getByText(sentinel(name)).first().waitFor({ timeout: 15_000 });
            // (exercise opens every <details>: the tool calls' JSON is built when opened)
            exercised += await exercise(page, '#thread-log, #context-body');
            exercised += await exercise(page, '#thread-log, #context-body');
            expectInert(await inspect(page, baseline), `inbox, conversation ${name}`);
          }
          expect(exercised).toBeGreaterThan(50);
          // The stored content reached the page as text (the check is not vacuous).
          await page.locator(`.conv[data-id="${stored.get('customer-1')!.id}"] button`).first().click();
          await page.locator('#thread-log').getByText(`Customer 5: ${payloads[4]}`).waitFor();
          expectInert(await inspect(page, baseline), 'inbox, end');
        } finally {
          await ctx.close();
        }
      });

      it("the customer's page: their history on reload (legacy HTML, their text, agents' replies, components)", { timeout: 240_000 }, async () => {
        const ctx = await newContext(mode.bypassCSP, { width: 390, height: 844 });
        try {
          const fresh = await ctx.newPage();
          await fresh.goto(`${app.baseUrl}/`);
          await fresh.getByRole('log', { name: 'Conversation' }).waitFor();
          const baseline = await baselineOf(fresh);
          await fresh.close();
          for (const [name, { kind, sessionId, indexes }] of stored) {
            if (!sessionId) continue;
            const page = await ctx.newPage();
            await page.addInitScript((id) => localStorage.setItem('woodstock-session', id), sessionId);
            // The verified customer's page is opened the way the host site opens it.
            await page.goto(`${app.baseUrl}/${kind === 'verified' ? `?identity_token=${verifiedToken}` : ''}`);
            await page.locator('#chat-log').getByText(sentinel(name)).waitFor({ timeout: 15_000 });
            await exercise(page, '#chat-log');
            expectInert(await inspect(page, baseline), `customer page, ${name} history`);
            // The content was drawn (the check is not vacuous); internal notes never are.
            const first = indexes[0]! + 1;
            if (kind === 'agent') await page.locator('.msg--agent').getByText(`Agent ${first}: ${payloads[first - 1]}`).waitFor();
            if (kind === 'customer') await page.locator('.msg--user').getByText(`Customer ${first}: ${payloads[first - 1]}`).waitFor();
            if (kind === 'legacy') await page.locator('.msg--assistant').getByText(`Legacy ${first}`, { exact: false }).first().waitFor();
            if (kind === 'notes') expect(await page.locator('#chat-log').getByText(/Note \d+:/).allTextContents()).toEqual([]);
            if (kind === 'verified' || kind === 'tools') expect(await page.locator('.wo-component').count()).toBe(indexes.length);
            await page.close();
          }
        } finally {
          await ctx.close();
        }
      });

      it("the customer's page: a streamed reply from the real server (component, then text) and its history", { timeout: 120_000 }, async () => {
        const ctx = await newContext(mode.bypassCSP, { width: 390, height: 844 });
        try {
          const page = await ctx.newPage();
          await page.goto(`${app.baseUrl}/`);
          await page.getByRole('log', { name: 'Conversation' }).waitFor();
          const baseline = await baselineOf(page);
          const box = page.getByRole('textbox', { name: 'Type your message' });
          await box.fill(`Hi ${payloads[0]} ${payloads[4]}`);
          await box.press('Enter');
          await page.locator('.wo-component[data-type="support_ticket"]').waitFor({ timeout: 15_000 });
          await page.locator('#chat-log').getByText(`Payload ${payloads.length}:`, { exact: false }).waitFor({ timeout: 15_000 });
          await expect.poll(() => page.getByRole('button', { name: 'Send message' }).isEnabled()).toBe(true);
          await exercise(page, '#chat-log');
          expectInert(await inspect(page, baseline), 'customer page, streamed reply');
          await page.reload();
          await page.locator('#chat-log').getByText(`Payload ${payloads.length}:`, { exact: false }).waitFor({ timeout: 15_000 });
          await exercise(page, '#chat-log');
          expectInert(await inspect(page, baseline), 'customer page, streamed reply from history');
        } finally {
          await ctx.close();
        }
      });

      it("the customer's page: arbitrary component html and live agent replies (fake server)", { timeout: 120_000 }, async () => {
        const ctx = await newContext(mode.bypassCSP, { width: 390, height: 844 });
        try {
          const page = await ctx.newPage();
          await page.goto(`${fake.url}/`);
          await page.getByRole('log', { name: 'Conversation' }).waitFor();
          const baseline = await baselineOf(page);
          const sessionId = await page.evaluate(() => localStorage.getItem('woodstock-session') ?? '');
          // Every payload as a component's html (what a server bug would let through), and as
          // text deltas cut mid-tag.
          fake.setNextReply(payloads.flatMap((p, i) => [
            { text: `Text ${i + 1}: ${p.slice(0, Math.ceil(p.length / 2))}` },
            { text: `${p.slice(Math.ceil(p.length / 2))}\n\n` },
            { component: { type: 'product_carousel', data: {}, html: p } },
          ]));
          const box = page.getByRole('textbox', { name: 'Type your message' });
          await box.fill('show me everything');
          await box.press('Enter');
          await expect.poll(() => page.locator('.wo-component').count(), { timeout: 20_000 }).toBe(payloads.length);
          await expect.poll(() => page.getByRole('button', { name: 'Send message' }).isEnabled(), { timeout: 20_000 }).toBe(true);
          // Agents' replies pushed live, with hostile names and text.
          await expect.poll(() => fake.liveClients(sessionId), { timeout: 10_000 }).toBeGreaterThan(0);
          for (let i = 0; i < payloads.length; i++) fake.addAgentMessage(sessionId, { name: payloads[i]!.slice(0, 255), content: `Live ${i + 1}: ${payloads[i]}` });
          await page.locator('.msg--agent').getByText(`Live ${payloads.length}:`, { exact: false }).waitFor({ timeout: 10_000 });
          await exercise(page, '#chat-log');
          expectInert(await inspect(page, baseline), 'customer page, fake server stream and live replies');
          await page.reload();
          await page.locator('.msg--agent').getByText(`Live ${payloads.length}:`, { exact: false }).waitFor({ timeout: 10_000 });
          await exercise(page, '#chat-log');
          expectInert(await inspect(page, baseline), 'customer page, fake server history');
        } finally {
          await ctx.close();
        }
      });
    });
  }

  it('no page threw a script error', () => {
    expect(pageErrors).toEqual([]);
  });
});
