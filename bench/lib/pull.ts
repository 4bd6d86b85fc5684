// The inbox pulling every conversation at production size: a cursor walk of
// GET /api/conversations with the inbox page's page size (50, web/inbox/list.js), page after page
// until next_cursor is null, sequentially as the page does. active_only=false, so "every"
// includes the closed conversations the inbox hides by default.
import type { BarResult } from './report.ts';
import { getJson } from './server.ts';
import { log, median, ms, now, round, since } from './util.ts';

export const INBOX_PAGE = 50;

interface Page {
  data: { conversation_id: string }[];
  next_cursor: string | null;
}

async function walk(base: string, query: string): Promise<{ ms: number; pages: number; conversations: number; distinct: number }> {
  const seen = new Set<string>();
  let pages = 0;
  let n = 0;
  let cursor: string | null = null;
  const t0 = now();
  do {
    const page: Page = await getJson<Page>(`${base}/api/conversations?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    pages++;
    n += page.data.length;
    for (const c of page.data) seen.add(c.conversation_id);
    cursor = page.next_cursor;
  } while (cursor);
  return { ms: since(t0), pages, conversations: n, distinct: seen.size };
}

export async function runPull(o: { base: string; runs: number; expected: number }): Promise<{ bars: BarResult[]; details: Record<string, unknown> }> {
  const query = `limit=${INBOX_PAGE}&active_only=false`;
  log(`pull: walking every conversation (${query}), 1 warm-up + ${o.runs} walks`);
  await walk(o.base, query);
  const walks = [];
  for (let i = 0; i < o.runs; i++) walks.push(await walk(o.base, query));
  const times = walks.map((w) => w.ms);
  const m = median(times);
  const last = walks[walks.length - 1]!;
  const complete = walks.every((w) => w.distinct === o.expected && w.conversations === o.expected);
  log(`pull: median ${ms(m)} (${times.map((t) => t.toFixed(0)).join(', ')} ms), ${last.pages} pages, ${last.distinct} conversations`);
  // What the inbox actually loads by default (open conversations only), for reference.
  const def = [];
  for (let i = 0; i < o.runs; i++) def.push(await walk(o.base, `limit=${INBOX_PAGE}`));
  return {
    bars: [
      {
        section: 'pull',
        bar: `pull every conversation (${o.expected}), ${last.pages} pages of ${INBOX_PAGE}: total, median of ${o.runs}`,
        measured: `${ms(m)} (min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))})${complete ? '' : `; got ${last.distinct} of ${o.expected}`}`,
        target: '≤ 200 ms',
        pass: m <= 200 && complete,
        values: { median: round(m), runs: times.map((t) => round(t)) },
      },
    ],
    details: {
      query,
      pages: last.pages,
      conversations: last.distinct,
      expected: o.expected,
      complete,
      walks_ms: times.map((t) => round(t)),
      inbox_default_active_only: { pages: def[0]?.pages, conversations: def[0]?.distinct, median_ms: round(median(def.map((w) => w.ms))) },
    },
  };
}
