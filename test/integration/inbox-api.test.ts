// The inbox API as the inbox team uses it: a client holding only an API key, over real HTTP.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/demo/index.ts';
import { insertMessage, withEvents } from '../../src/conversations/conversation-store.ts';
import { createTestDatabase, testDbKind, type TestDatabase } from '../helpers/database.ts';
import { authHeaders, startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestDatabase;
let app: TestApp;

async function api<T = any>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${app.baseUrl}${path}`, { ...init, headers: { ...authHeaders(), 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

async function walkAll(query: string): Promise<any[]> {
  const seen: any[] = [];
  let cursor: string | null = null;
  do {
    const r: { status: number; body: any } = await api(`/api/conversations?${query}&limit=17${cursor ? `&cursor=${cursor}` : ''}`);
    expect(r.status).toBe(200);
    seen.push(...r.body.data);
    cursor = r.body.next_cursor;
  } while (cursor);
  return seen;
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.database, { conversations: 60, messages: 6000, seed: 7 });
  app = await startTestApp({ database: t.database });
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

describe(`inbox API (${testDbKind})`, () => {
  it('pulls every conversation and every message, content byte for byte', async () => {
    const all = await walkAll('active_only=false');
    const ids = all.map((c) => c.conversation_id);
    expect(new Set(ids).size).toBe(ids.length);
    const [{ n }] = await t.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM chatbot_conversations`);
    expect(ids.length).toBe(n);

    let compared = 0;
    for (const c of all) {
      const pulled: any[] = [];
      let before: string | undefined;
      for (;;) {
        const r = await api(`/api/conversations/${c.conversation_id}/messages?limit=500${before ? `&before=${before}` : ''}`);
        expect(r.status).toBe(200);
        pulled.unshift(...r.body.data);
        if (!r.body.has_more) break;
        before = r.body.data[0].message_id;
      }
      const stored = await t.database.query<{ message_id: string; message_content: string }>(
        sql`SELECT message_id::text AS message_id, message_content FROM chatbot_messages WHERE conversation_id = ${c.conversation_id} ORDER BY message_created_at, message_id`,
      );
      expect(pulled.map((m) => m.message_id)).toEqual(stored.map((m) => m.message_id));
      for (let i = 0; i < stored.length; i++) {
        expect(Buffer.from(pulled[i].content, 'utf8').equals(Buffer.from(stored[i]!.message_content, 'utf8'))).toBe(true);
      }
      compared += stored.length;
    }
    expect(compared).toBe(6000);
  });

  it('filters, sorts and counts agree with SQL', async () => {
    const truth = await t.database.query<{ id: string; status: string; assigned: string | null; priority: string; platform: string; unread: boolean; active: boolean; tags: string[] }>(sql`
      SELECT conversation_id::text AS id, coalesce(inbox_status, 'new') AS status, assigned_agent_id::text AS assigned, coalesce(priority_level, 'normal') AS priority,
        platform_type AS platform, is_active AS active, tags,
        (last_customer_message_at IS NOT NULL AND (last_read_at IS NULL OR last_customer_message_at > last_read_at)) AS unread
      FROM chatbot_conversations`);
    const active = truth.filter((c) => c.active);

    const r = await api('/api/conversations?limit=200');
    const counts = r.body.meta.counts;
    for (const s of ['new', 'open', 'pending_human', 'snoozed', 'resolved']) {
      expect(counts[s], s).toBe(active.filter((c) => c.status === s).length);
    }
    expect(counts.unassigned).toBe(active.filter((c) => !c.assigned).length);
    expect(counts.unread).toBe(active.filter((c) => c.unread).length);
    expect(r.body.data.length).toBe(active.length);

    const cases: [string, (c: (typeof truth)[number]) => boolean][] = [
      ['status=pending_human', (c) => c.active && c.status === 'pending_human'],
      ['status=open,new', (c) => c.active && (c.status === 'open' || c.status === 'new')],
      ['priority=high&active_only=false', (c) => c.priority === 'high'],
      ['platform=sms', (c) => c.active && c.platform === 'sms'],
      ['assigned_agent_id=unassigned', (c) => c.active && !c.assigned],
      ['unread=true', (c) => c.active && c.unread],
      ['tag=spanish&active_only=false', (c) => (c.tags ?? []).includes('spanish')],
      ['unread=false&status=resolved&active_only=false', (c) => !c.unread && c.status === 'resolved'],
    ];
    for (const [query, pred] of cases) {
      const got = await walkAll(query);
      expect(got.map((c) => c.conversation_id).sort(), query).toEqual(truth.filter(pred).map((c) => c.id).sort());
    }

    // Sorts: last_message_at descending by default; priority urgent first.
    const byLast = await walkAll('active_only=false');
    const times = byLast.map((c) => Date.parse(c.last_message_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const byPriority = await walkAll('active_only=false&sort=priority');
    const rank = { urgent: 0, high: 1, normal: 2, low: 3 } as Record<string, number>;
    const ranks = byPriority.map((c) => rank[c.priority_level]!);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    const byWaiting = await walkAll('active_only=false&sort=waiting_since');
    const waits = byWaiting.map((c) => (c.waiting_since ? Date.parse(c.waiting_since) : Infinity));
    expect([...waits].sort((a, b) => a - b)).toEqual(waits);
    expect(byWaiting.length).toBe(truth.length);
  });

  it('unread_count counts customer messages since last_read_at, uncapped, and mark-read clears it', async () => {
    const [c] = await t.database.query<{ id: string; n: number }>(sql`
      SELECT conversation_id::text AS id, customer_message_count AS n FROM chatbot_conversations
      WHERE customer_message_count > 0 ORDER BY customer_message_count DESC LIMIT 1`);
    await api(`/api/conversations/${c!.id}/mark-unread`, { method: 'POST' });
    await t.database.query(sql`UPDATE chatbot_conversations SET last_read_at = NULL WHERE conversation_id = ${c!.id}`);
    let one = await api(`/api/conversations/${c!.id}`);
    expect(one.body.unread_count).toBe(c!.n);
    const read = await api(`/api/conversations/${c!.id}/mark-read`, { method: 'POST' });
    expect(read.status).toBe(200);
    expect(read.body.unread_count).toBe(0);
    const unread = await api(`/api/conversations/${c!.id}/mark-unread`, { method: 'POST' });
    expect(unread.body.unread_count).toBe(1);
    one = await api(`/api/conversations/${c!.id}`);
    expect(one.body.last_read_at).not.toBeNull();
  });

  it('walking pages while messages arrive neither skips nor repeats', async () => {
    const ids = (await t.database.query<{ id: string }>(sql`SELECT conversation_id::text AS id FROM chatbot_conversations`)).map((r) => r.id);
    let stop = false;
    const writer = (async () => {
      let i = 0;
      while (!stop) {
        const id = ids[(i * 7) % ids.length]!;
        await withEvents(t.database, async (tx) => {
          const r = await insertMessage(tx, { conversationId: id, role: 'user', senderType: 'customer', content: `still there? ${i}` });
          return { result: r, events: r.events };
        });
        i++;
        await new Promise((r) => setTimeout(r, 2));
      }
      return i;
    })();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { body: any } = await api(`/api/conversations?active_only=false&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...r.body.data.map((c: any) => c.conversation_id));
      cursor = r.body.next_cursor;
      await new Promise((r) => setTimeout(r, 10));
    } while (cursor);
    stop = true;
    const written = await writer;
    expect(written).toBeGreaterThan(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('PATCH changes status, snooze, assignee, priority and tags, and the list follows', async () => {
    const list = await api('/api/conversations?limit=1&status=new,open');
    const id = list.body.data[0].conversation_id;
    const agent = (await api('/api/agents')).body.data[0];
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const r = await api(`/api/conversations/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ inbox_status: 'snoozed', snoozed_until: until, assigned_agent_id: agent.agent_id, priority_level: 'urgent', tags: { add: ['VIP', 'delivery'], remove: ['spanish'] } }),
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ inbox_status: 'snoozed', snoozed_until: until, assigned_agent_id: agent.agent_id, priority_level: 'urgent', priority_manual: true });
    expect(r.body.tags).toEqual(expect.arrayContaining(['vip', 'delivery']));
    expect(r.body.tags).not.toContain('spanish');
    const snoozed = await walkAll(`status=snoozed&assigned_agent_id=${agent.agent_id}&priority=urgent`);
    expect(snoozed.map((c) => c.conversation_id)).toContain(id);

    const events = await api(`/api/events?conversation_id=${id}&type=conversation.updated&limit=1000`);
    const last = events.body.data.at(-1);
    expect(last.data.changes.inbox_status.to).toBe('snoozed');
    expect(last.data.changes.priority_level.to).toBe('urgent');
  });

  it('rejects bad input with problem+json and changes nothing', async () => {
    const id = (await api('/api/conversations?limit=1')).body.data[0].conversation_id;
    const before = await api(`/api/conversations/${id}`);
    const bad: [string, RequestInit, number, string][] = [
      ['/api/conversations?limit=500', {}, 400, 'validation_failed'],
      ['/api/conversations?status=closed', {}, 400, 'validation_failed'],
      ['/api/conversations?cursor=garbage', {}, 400, 'invalid_cursor'],
      ['/api/conversations/not-a-uuid', {}, 400, 'validation_failed'],
      ['/api/conversations/00000000-0000-4000-8000-000000000000', {}, 404, 'conversation_not_found'],
      [`/api/conversations/${id}`, { method: 'PATCH', body: JSON.stringify({ inbox_status: 'done' }) }, 400, 'validation_failed'],
      [`/api/conversations/${id}`, { method: 'PATCH', body: JSON.stringify({ inbox_status: 'snoozed' }) }, 400, 'validation_failed'],
      [`/api/conversations/${id}`, { method: 'PATCH', body: JSON.stringify({ assigned_agent_id: '00000000-0000-4000-8000-000000000000' }) }, 400, 'agent_not_found'],
      [`/api/conversations/${id}`, { method: 'PATCH', body: '{not json' }, 400, 'bad_request'],
      [`/api/conversations/${id}`, { method: 'PATCH', body: JSON.stringify({}) }, 400, 'validation_failed'],
      [`/api/conversations/${id}/messages`, { method: 'POST', body: JSON.stringify({ content: '' }) }, 400, 'validation_failed'],
      [`/api/conversations/${id}/messages?before=00000000-0000-4000-8000-000000000000`, {}, 404, 'message_not_found'],
      ['/api/conversations/recent?hours=721', {}, 400, 'validation_failed'],
    ];
    for (const [path, init, status, code] of bad) {
      const r = await api(path, init);
      expect(r.status, path).toBe(status);
      expect(r.headers.get('content-type'), path).toContain('application/problem+json');
      expect(r.body.code, path).toBe(code);
      expect(typeof r.body.detail).toBe('string');
    }
    const after = await api(`/api/conversations/${id}`);
    expect(after.body).toEqual(before.body);
  });

  it('human replies are idempotent, internal notes stay internal', async () => {
    const id = (await api('/api/conversations?limit=1&handled_by=bot')).body.data[0].conversation_id;
    const send = () => api(`/api/conversations/${id}/messages`, { method: 'POST', headers: { 'idempotency-key': 'reply-1' }, body: JSON.stringify({ content: 'Hi, this is Tasha from Woodstock.', sender_name: 'Tasha Reed' }) });
    const first = await send();
    expect(first.status).toBe(201);
    const again = await send();
    expect(again.status).toBe(200);
    expect(again.body.message_id).toBe(first.body.message_id);
    const [{ n }] = await t.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM chatbot_messages WHERE idempotency_key = 'reply-1'`);
    expect(n).toBe(1);
    const conv = await api(`/api/conversations/${id}`);
    expect(conv.body.handled_by).toBe('human');
    expect(conv.body.inbox_status).toBe('open');

    const note = await api(`/api/conversations/${id}/messages`, { method: 'POST', body: JSON.stringify({ content: 'Customer is a VIP; offer free delivery.', is_internal_note: true }) });
    expect(note.status).toBe(201);
    expect(note.body.is_internal_note).toBe(true);
  });

  it('summary has the seed shape', async () => {
    const id = (await api('/api/conversations?limit=1&status=pending_human&active_only=false')).body.data[0]?.conversation_id
      ?? (await api('/api/conversations?limit=1')).body.data[0].conversation_id;
    const s = await api(`/api/conversations/${id}/summary`);
    expect(s.status).toBe(200);
    for (const k of ['customer_info', 'functions_used', 'key_topics', 'sentiment', 'priority_level', 'priority_reasons']) expect(s.body).toHaveProperty(k);
    expect(Array.isArray(s.body.functions_used)).toBe(true);
  });

  it('q searches message text (full-text) and customer fields, the same on both databases', async () => {
    const ids = (await t.database.query<{ id: string }>(sql`SELECT conversation_id::text AS id FROM chatbot_conversations ORDER BY conversation_id LIMIT 3`)).map((r) => r.id);
    await withEvents(t.database, async (tx) => {
      const r = await insertMessage(tx, { conversationId: ids[0]!, role: 'user', senderType: 'customer', content: 'El sofá Brennan llegó con una mancha enorme, quiero un cambio' });
      return { result: r, events: r.events };
    });
    const word = await walkAll('active_only=false&q=mancha');
    expect(word.map((c) => c.conversation_id)).toContain(ids[0]);
    const truth = await t.database.query<{ id: string }>(sql`SELECT DISTINCT conversation_id::text AS id FROM chatbot_messages WHERE to_tsvector('simple', message_content) @@ websearch_to_tsquery('simple', 'mancha')`);
    expect(word.map((c) => c.conversation_id).sort()).toEqual(truth.map((r) => r.id).sort());
    const phrase = await walkAll(`active_only=false&q=${encodeURIComponent('"una mancha enorme"')}`);
    expect(phrase.map((c) => c.conversation_id)).toEqual([ids[0]]);
    // Plain words: a conversation matches when its messages hold every word, in one message or
    // across several (here the agent's later reply holds the second word).
    await withEvents(t.database, async (tx) => {
      const r = await insertMessage(tx, { conversationId: ids[0]!, role: 'assistant', senderType: 'business_rep', content: 'Te enviamos un reemplazo zafiro mañana' });
      return { result: r, events: r.events };
    });
    const across = await walkAll(`active_only=false&q=${encodeURIComponent('Mancha ZAFIRO')}`);
    expect(across.map((c) => c.conversation_id)).toEqual([ids[0]]);
    expect(await walkAll(`active_only=false&q=${encodeURIComponent('mancha zafiroazul')}`)).toEqual([]);
    const excluded = await walkAll(`active_only=false&q=${encodeURIComponent('mancha -zafiro')}`);
    expect(excluded.map((c) => c.conversation_id)).toContain(ids[0]); // the first message alone matches
    const [c] = await t.database.query<{ id: string; name: string }>(sql`SELECT conversation_id::text AS id, customer_name AS name FROM chatbot_conversations WHERE customer_name IS NOT NULL LIMIT 1`);
    const byName = await walkAll(`active_only=false&q=${encodeURIComponent(c!.name)}`);
    expect(byName.map((x) => x.conversation_id)).toContain(c!.id);
  });

  it('offset paging for older clients returns the same order as the cursor walk', async () => {
    const walked = (await walkAll('active_only=false')).map((c) => c.conversation_id);
    const byOffset: string[] = [];
    for (let offset = 0; ; offset += 25) {
      const r = await api(`/api/conversations?active_only=false&limit=25&offset=${offset}`);
      expect(r.body.next_cursor).toBeNull();
      byOffset.push(...r.body.data.map((c: any) => c.conversation_id));
      if (r.body.data.length < 25) break;
    }
    expect(byOffset).toEqual(walked);
  });

  it('for-inbox and recent answer', async () => {
    const fi = await api('/api/conversations/for-inbox');
    expect(fi.status).toBe(200);
    expect(fi.body.data.length).toBe(50);
    const recent = await api('/api/conversations/recent?hours=720');
    expect(recent.status).toBe(200);
    const cutoff = Date.now() - 720 * 3_600_000;
    expect(recent.body.data.every((c: any) => Date.parse(c.last_message_at) >= cutoff)).toBe(true);
  });
});
