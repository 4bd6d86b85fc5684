// GET /api/conversations/{id}/messages (the latest 100, as the inbox opens a thread) across many
// conversations.
import pg from 'pg';
import { roundSummary } from './list.ts';
import { load } from './load.ts';
import type { BarResult } from './report.ts';
import { captureStatements, explainStatements, serverPoolOptions } from './capture.ts';
import { listMessages, requireConversation } from '../../src/conversations/conversation-store.ts';
import { log, ms, round } from './util.ts';

export interface MessagesOptions {
  base: string;
  url: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  conversations: number;
  explainTo?: (name: string, text: string) => void;
}

export async function runMessages(o: MessagesOptions): Promise<{ bars: BarResult[]; details: Record<string, unknown> }> {
  const c = new pg.Client({ connectionString: o.url, options: serverPoolOptions });
  await c.connect();
  let ids: string[];
  try {
    // A fixed pseudo-random sample (the same on every run over the same data), sizes as they come.
    ids = (await c.query<{ id: string }>('SELECT conversation_id::text AS id FROM chatbot_conversations ORDER BY md5(conversation_id::text) LIMIT $1', [o.conversations])).rows.map((r) => r.id);
    if (o.explainTo) {
      // The largest conversation: the route's page query (src/conversations/conversation-store.ts listMessages).
      const big = (await c.query<{ id: string; n: number }>('SELECT conversation_id::text AS id, message_count AS n FROM chatbot_conversations ORDER BY message_count DESC NULLS LAST LIMIT 1')).rows[0];
      if (big) {
        // The route's two reads (src/inbox/routes.ts): the conversation, then the page plus one.
        const { statements } = await captureStatements(o.url, async (ex) => {
          await requireConversation(ex, big.id);
          await listMessages(ex, big.id, { limit: 101 });
        });
        o.explainTo('messages-largest', await explainStatements(o.url, `GET /api/conversations/${big.id}/messages?limit=100 (${big.n} messages)`, statements));
      }
    }
  } finally {
    await c.end();
  }
  const paths = ids.map((id) => `/api/conversations/${id}/messages?limit=100`);
  log(`messages: ${paths.length} conversations; warm-up ${o.warmupSeconds} s`);
  await load({ base: o.base, paths, connections: o.connections, seconds: o.warmupSeconds, label: 'messages warm-up', quiet: true });
  // One client alone first: the latency of the request itself, without queueing behind others.
  log(`messages: one connection for ${Math.ceil(o.seconds / 2)} s`);
  const single = await load({ base: o.base, paths, connections: 1, seconds: Math.ceil(o.seconds / 2), label: 'messages ×1' });
  log(`messages: one connection: p50 ${ms(single.summary.p50)} p99 ${ms(single.summary.p99)}, ${single.rps.toFixed(0)} req/s`);
  log(`messages: GET /api/conversations/{id}/messages?limit=100 at ${o.connections} connections for ${o.seconds} s`);
  const r = await load({ base: o.base, paths, connections: o.connections, seconds: o.seconds, label: 'messages' });
  const bad = r.non2xx + r.errors + r.timeouts;
  log(`messages: p50 ${ms(r.summary.p50)} p99 ${ms(r.summary.p99)}, ${r.rps.toFixed(0)} req/s, failed ${bad}`);
  // The slowest conversations, to see whether size or stored HTML makes the tail.
  const slowest = [...r.byPath.entries()]
    .map(([path, xs]) => ({ conversation: path.split('/')[3], max: round(Math.max(...xs)), n: xs.length }))
    .sort((a, b) => (b.max ?? 0) - (a.max ?? 0))
    .slice(0, 5);
  return {
    // The bar names no concurrency (the list's does: 50), so it is read as one client at a time:
    // the latency of the request itself. The concurrent run is reported beside it.
    bars: [
      {
        section: 'messages',
        bar: 'GET /api/conversations/{id}/messages (100), one client at a time: p99',
        measured: `${ms(single.summary.p99)} (p50 ${ms(single.summary.p50)}, ${single.rps.toFixed(0)} req/s)`,
        target: '≤ 20 ms',
        pass: single.summary.p99 <= 20 && single.non2xx + single.errors + single.timeouts === 0,
        values: { p50: round(single.summary.p50), p99: round(single.summary.p99) },
      },
      {
        section: 'messages',
        bar: `GET /api/conversations/{id}/messages (100), ${o.connections} concurrent`,
        measured: `p50 ${ms(r.summary.p50)}, p99 ${ms(r.summary.p99)} (${r.rps.toFixed(0)} req/s${bad ? `, ${bad} failed` : ''})`,
        target: '—',
        pass: null,
        values: { p50: round(r.summary.p50), p99: round(r.summary.p99) },
      },
    ],
    details: { conversations: ids.length, single: { ...roundSummary(single.summary), rps: round(single.rps, 1) }, connections: o.connections, seconds: o.seconds, ...roundSummary(r.summary), rps: round(r.rps, 1), failed: bad, slowest },
  };
}
