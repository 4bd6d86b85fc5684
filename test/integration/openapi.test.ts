// The OpenAPI document is the inbox team's contract: every route documented (summary, tags,
// schemas, problem+json errors, examples, the apiKey scheme on /api), /docs renders it, and the
// generated client (clients/inbox) and Postman collection (docs/postman) are current. Then the
// typed client is used for real against a running app.
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInboxClient, InboxApiError, type Conversation, type Message } from '../../clients/inbox/index.ts';
import { documentPath, renderDocument, renderTypes, typesPath, type OpenApiDocument } from '../../scripts/generate-inbox-client.ts';
import { postmanPath, renderPostman } from '../../scripts/generate-postman.ts';
import { seedDemoData } from '../../src/demo/index.ts';
import { TEST_API_KEY, startTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, testDbKind, type TestDatabase } from '../helpers/database.ts';

let t: TestDatabase;
let app: TestApp;
let doc: OpenApiDocument;

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface Media { schema?: unknown; example?: unknown; examples?: Record<string, unknown> }
interface Operation {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; schema?: unknown }[];
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
}

/** An example at the media level (example / examples) or in the schema itself. */
let componentSchemas: Record<string, unknown> = {};

function hasExample(media: Media | undefined): boolean {
  if (!media) return false;
  let schema = media.schema as { example?: unknown; examples?: unknown[]; $ref?: string } | undefined;
  // A named schema ($ref into components) carries its examples there.
  if (schema?.$ref) schema = componentSchemas[schema.$ref.replace('#/components/schemas/', '')] as typeof schema;
  return media.example !== undefined || media.examples !== undefined || schema?.example !== undefined || Boolean(schema?.examples?.length);
}

function operations(d: OpenApiDocument): { path: string; method: string; op: Operation }[] {
  const out: { path: string; method: string; op: Operation }[] = [];
  for (const [path, item] of Object.entries(d.paths)) {
    for (const method of methods) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (op) out.push({ path, method, op });
    }
  }
  return out;
}

/** Fails with the first differing lines and the command that fixes it, not a 300 KB diff. */
async function expectCurrent(file: string, fresh: string, fix: string): Promise<void> {
  const committed = await readFile(file, 'utf8').catch(() => null);
  if (committed === fresh) return;
  const name = file.replace(/^.*?\/(clients|docs)\//, '$1/');
  if (committed === null) throw new Error(`${name} is missing: run ${fix}`);
  const a = committed.split('\n');
  const b = fresh.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const show = (lines: string[]) => lines.slice(Math.max(0, i - 2), i + 3).map((l) => `    ${l.slice(0, 160)}`).join('\n');
  throw new Error(`${name} is out of date (the routes changed): run ${fix} and commit the result.\nFirst difference at line ${i + 1}:\n  committed:\n${show(a)}\n  generated now:\n${show(b)}`);
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.database, { conversations: 12, messages: 700, seed: 11 });
  app = await startTestApp({ database: t.database });
  const res = await fetch(`${app.baseUrl}/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as OpenApiDocument;
  componentSchemas = ((doc as unknown as { components?: { schemas?: Record<string, unknown> } }).components?.schemas) ?? {};
});

afterAll(async () => {
  await app?.close();
  await t?.drop();
});

describe(`OpenAPI document (${testDbKind})`, () => {
  it('is OpenAPI 3.1 with the apiKey bearer scheme, and every $ref resolves', () => {
    expect(doc.openapi).toBe('3.1.0');
    const schemes = (doc.components as { securitySchemes?: Record<string, unknown> } | undefined)?.securitySchemes;
    expect(schemes?.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const dangling: string[] = [];
    JSON.stringify(doc, (key, value) => {
      if (key === '$ref' && typeof value === 'string') {
        const target = value.replace(/^#\//, '').split('/').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
        if (target === undefined) dangling.push(value);
      }
      return value;
    });
    expect(dangling, 'references to schemas the document does not contain').toEqual([]);
  });

  it('documents every route: summary, tags, schemas, problem+json errors, examples, security on /api', () => {
    const ops = operations(doc);
    const inbox = ops.filter((o) => o.path.startsWith('/api/') || o.path.startsWith('/webhook/'));
    // The inbox API as the contract lists it (more may be added; none may disappear).
    for (const required of [
      'get /api/conversations', 'get /api/conversations/for-inbox', 'get /api/conversations/recent', 'get /api/conversations/{id}',
      'patch /api/conversations/{id}', 'post /api/conversations/{id}/mark-read', 'post /api/conversations/{id}/mark-unread',
      'get /api/conversations/{id}/messages', 'post /api/conversations/{id}/messages', 'get /api/conversations/{id}/summary', 'get /api/events',
      'post /v1/chat/completions', 'get /v1/sessions/{id}', 'get /health', 'get /ready',
    ]) {
      expect(ops.map((o) => `${o.method} ${o.path}`), required).toContain(required);
    }

    const gaps: string[] = [];
    for (const { path, method, op } of ops) {
      const at = `${method.toUpperCase()} ${path}`;
      if (!op.summary?.trim()) gaps.push(`${at}: no summary`);
      if (!op.tags?.length) gaps.push(`${at}: no tags`);
      for (const p of op.parameters ?? []) if (!p.schema) gaps.push(`${at}: parameter ${p.name} has no schema`);
      // WebSocket upgrades answer 101 Switching Protocols: no JSON body to describe.
      if (path.startsWith('/ws/')) {
        if (!op.responses?.['101']) gaps.push(`${at}: WebSocket route without its 101 response`);
        continue;
      }
      for (const name of path.match(/\{(\w+)\}/g) ?? []) {
        if (!op.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === name)) gaps.push(`${at}: path parameter ${name} undocumented`);
      }
      if (['post', 'put', 'patch'].includes(method) && op.requestBody && !Object.values(op.requestBody.content ?? {}).some((m) => m.schema)) gaps.push(`${at}: request body without schema`);
      const responses = Object.entries(op.responses ?? {});
      if (!responses.some(([code]) => /^2\d\d$/.test(code))) gaps.push(`${at}: no success response`);
      for (const [code, r] of responses) {
        if (code !== '204' && (!r.content || !Object.values(r.content).some((m) => m.schema))) gaps.push(`${at}: response ${code} without schema`);
        if (/^[45]\d\d$/.test(code) && Object.keys(r.content ?? {}).join() !== 'application/problem+json') gaps.push(`${at}: error ${code} is ${Object.keys(r.content ?? {}).join() || 'undocumented'}, not application/problem+json`);
      }
    }
    for (const { path, method, op } of inbox) {
      const at = `${method.toUpperCase()} ${path}`;
      if (!op.security?.some((s) => 'apiKey' in s) || op.security.some((s) => Object.keys(s).length === 0)) gaps.push(`${at}: does not require the apiKey scheme`);
      if (!op.responses?.['401']) gaps.push(`${at}: 401 undocumented`);
      const body = op.requestBody?.content?.['application/json'];
      if (body && !hasExample(body)) gaps.push(`${at}: request body without an example`);
      const success = Object.entries(op.responses ?? {}).find(([code]) => /^2\d\d$/.test(code))?.[1];
      const media = success?.content?.['application/json'];
      if (media && !hasExample(media)) gaps.push(`${at}: success response without an example`);
      for (const [code, r] of Object.entries(op.responses ?? {})) {
        if (/^[45]\d\d$/.test(code) && r.content?.['application/problem+json']?.example === undefined) gaps.push(`${at}: error ${code} without an example`);
      }
    }
    // The customer chat's main routes carry examples too.
    const chat = ops.find((o) => o.path === '/v1/chat/completions');
    if (chat) {
      const body = chat.op.requestBody?.content?.['application/json'];
      if (!hasExample(body)) gaps.push('POST /v1/chat/completions: request body without an example');
      if (!chat.op.responses?.['200']?.content?.['text/event-stream']) gaps.push('POST /v1/chat/completions: the streamed answer (text/event-stream) is undocumented');
    }
    expect(gaps, `OpenAPI gaps:\n${gaps.join('\n')}`).toEqual([]);
  });

  it('the committed document, client types and Postman collection are current', async () => {
    // Regenerated in memory from the running app; a route change without regenerating fails here.
    await expectCurrent(documentPath, renderDocument(doc), 'npm run generate:client');
    // openapi-typescript also validates the document (Redocly, the "minimal" rules) and throws on errors.
    await expectCurrent(typesPath, await renderTypes(doc), 'npm run generate:client');
    await expectCurrent(postmanPath, await renderPostman(doc), 'npm run generate:postman');
  });

  it('the Postman collection has every /api request, the baseUrl and apiKey variables and bearer auth', async () => {
    const collection = JSON.parse(await readFile(postmanPath, 'utf8')) as {
      info: { schema: string };
      auth: { type: string; bearer: { key: string; value: string }[] };
      variable: { key: string; value: string }[];
      item: { name: string; item?: unknown[]; request?: { method: string; url: { path: string[] }; auth?: { type: string } } }[];
    };
    expect(collection.info.schema).toContain('v2.1.0');
    expect(collection.auth).toMatchObject({ type: 'bearer', bearer: [{ key: 'token', value: '{{apiKey}}' }] });
    expect(collection.variable.map((v) => v.key).sort()).toEqual(['apiKey', 'baseUrl']);
    type Req = { method: string; url: { path: string[] }; auth?: { type: string } };
    const requests: Req[] = [];
    const walk = (items: { item?: unknown[]; request?: Req }[]) => {
      for (const i of items) {
        if (i.item) walk(i.item as never);
        if (i.request) requests.push(i.request);
      }
    };
    walk(collection.item);
    const have = new Set(requests.map((r) => `${r.method.toLowerCase()} /${r.url.path.map((s) => s.replace(/^:(\w+)$/, '{$1}')).join('/')}`));
    for (const { path, method } of operations(doc)) {
      if (path.startsWith('/api/') || path.startsWith('/webhook/')) expect(have, `${method} ${path}`).toContain(`${method} ${path}`);
    }
    // /api requests inherit the collection's bearer key; public ones send none.
    for (const r of requests) {
      if (r.url.path[0] === 'api') expect(r.auth, r.url.path.join('/')).toBeUndefined();
    }
  });

  it('GET /docs renders Swagger UI with its own scripts and styles', async () => {
    const page = await fetch(`${app.baseUrl}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('swagger-ui');
    const assets = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      expect(asset, 'served locally, no CDN').not.toMatch(/^(https?:)?\/\//);
      const res = await fetch(new URL(asset, page.url));
      expect(res.status, asset).toBe(200);
      expect(res.headers.get('content-type'), asset).toMatch(asset.endsWith('.css') ? /text\/css/ : /javascript/);
      expect((await res.arrayBuffer()).byteLength, asset).toBeGreaterThan(100);
    }
    // The UI loads the same document (./json next to the page).
    const initializer = await (await fetch(`${app.baseUrl}/docs/static/swagger-initializer.js`)).text();
    expect(initializer).toContain("'./json'");
    const shown = await fetch(`${app.baseUrl}/docs/json`);
    expect(shown.status).toBe(200);
    expect(await shown.json()).toEqual(doc);
  });
});

describe(`the generated client (${testDbKind})`, () => {
  it('pulls every conversation and a whole conversation, byte for byte, typed', async () => {
    const inbox = createInboxClient({ baseUrl: app.baseUrl, apiKey: TEST_API_KEY });
    const all: Conversation[] = [];
    for await (const c of inbox.listAllConversations({ active_only: 'false', limit: 5 })) all.push(c);
    const stored = await t.database.query<{ id: string; n: number }>(sql`SELECT conversation_id::text AS id, message_count AS n FROM chatbot_conversations ORDER BY message_count DESC, conversation_id`);
    expect(all.map((c) => c.conversation_id).sort()).toEqual(stored.map((r) => r.id).sort());
    expect(new Set(all.map((c) => c.conversation_id)).size).toBe(all.length);

    const busiest = stored[0]!;
    const messages: Message[] = [];
    for await (const m of inbox.listAllMessages(busiest.id, { pageSize: 9 })) messages.push(m);
    const rows = await t.database.query<{ id: string; content: string }>(
      sql`SELECT message_id::text AS id, message_content AS content FROM chatbot_messages WHERE conversation_id = ${busiest.id} ORDER BY message_created_at, message_id`,
    );
    expect(rows.length).toBeGreaterThan(9);
    expect(messages.map((m) => m.message_id)).toEqual(rows.map((r) => r.id));
    expect(messages.map((m) => m.content)).toEqual(rows.map((r) => r.content));

    const one = await inbox.getConversation(busiest.id);
    expect(one.message_count).toBe(rows.length);
    const page = await inbox.listConversations({ status: ['new', 'open', 'pending_human', 'snoozed', 'resolved'], active_only: 'false', limit: 3 });
    expect(page.data.length).toBe(3);
    expect(page.meta.counts.total).toBe(stored.length);
  });

  it('replies idempotently, marks read, follows events and reports problems', async () => {
    const inbox = createInboxClient({ baseUrl: `${app.baseUrl}/`, apiKey: TEST_API_KEY });
    const [target] = await t.database.query<{ id: string }>(sql`SELECT conversation_id::text AS id FROM chatbot_conversations ORDER BY conversation_id LIMIT 1`);
    const id = target!.id;
    const { data: before } = await inbox.api.GET('/api/events', { params: { query: { after: 0, limit: 1 } } });
    expect(before).toBeDefined();

    const first = await inbox.reply(id, 'Hola Ann, soy Tasha. <b>¿Le parece bien el jueves?</b>', { idempotencyKey: 'client-test-1', senderName: 'Tasha Reed' });
    const again = await inbox.reply(id, 'Hola Ann, soy Tasha. <b>¿Le parece bien el jueves?</b>', { idempotencyKey: 'client-test-1', senderName: 'Tasha Reed' });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.message.message_id).toBe(first.message.message_id);
    expect(first.message.content).toBe('Hola Ann, soy Tasha. <b>¿Le parece bien el jueves?</b>');
    const note = await inbox.note(id, 'VIP: free delivery.');
    expect(note.message.is_internal_note).toBe(true);

    const read = await inbox.markRead(id);
    expect(read.unread_count).toBe(0);
    const updated = await inbox.updateConversation(id, { tags: { add: ['client-test'] }, priority_level: 'urgent' });
    expect(updated.tags).toContain('client-test');
    expect((await inbox.summary(id)).priority_level).toBe('urgent');

    const seen: string[] = [];
    for await (const e of inbox.listEventsSince(0, { conversation_id: id })) seen.push(e.type);
    expect(seen).toEqual(expect.arrayContaining(['message.created', 'conversation.read', 'conversation.updated']));

    const missing = await inbox.getConversation('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InboxApiError);
    expect(missing).toMatchObject({ status: 404, code: 'conversation_not_found' });
    const bad = await inbox.listConversations({ limit: 500 }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, code: 'validation_failed' });
    const stranger = createInboxClient({ baseUrl: app.baseUrl, apiKey: 'not-a-key-0123456789' });
    await expect(stranger.getConversation(id)).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });
});
