// q= full-text search over all messages: GET /api/conversations?q=… as the inbox's search box
// sends it (limit 50, counts), over every conversation (active_only=false), one agent searching
// at a time.
import { captureListSql, explainList } from './capture.ts';
import { roundSummary } from './list.ts';
import type { BarResult } from './report.ts';
import { authHeaders } from './server.ts';
import { log, ms, now, round, since, summarize } from './util.ts';

/** English and Spanish, common and rare words, a name and a quoted phrase (websearch syntax). */
export const searchTerms = [
  'delivery', // common: about one message in ten
  'mattress',
  'recliner',
  'damaged sofa', // two words, both required
  'refund', // rare
  '"legs was missing"', // a phrase, rare (long complaint messages)
  'entrega', // common, Spanish
  'colchón', // accented
  'financiamiento',
  'garantía', // rare, Spanish
  'sillón', // very rare
  'zzqx', // matches nothing: the index alone
];

export interface SearchOptions {
  base: string;
  url: string;
  rounds: number;
  explainTo?: (name: string, text: string) => void;
}

export async function runSearch(o: SearchOptions): Promise<{ bars: BarResult[]; details: Record<string, unknown> }> {
  const path = (t: string) => `/api/conversations?q=${encodeURIComponent(t)}&limit=50&active_only=false`;
  const perTerm = new Map<string, number[]>();
  const totals = new Map<string, number>();
  const all: number[] = [];
  let failed = 0;
  log(`search: ${searchTerms.length} terms × ${o.rounds} rounds (+1 warm-up round), one request at a time`);
  for (let round_ = 0; round_ <= o.rounds; round_++) {
    for (const t of searchTerms) {
      const t0 = now();
      const res = await fetch(`${o.base}${path(t)}`, { headers: authHeaders });
      const body = (await res.json()) as { meta?: { counts?: { total?: number } } };
      const d = since(t0);
      if (!res.ok) {
        failed++;
        continue;
      }
      if (round_ === 0) {
        totals.set(t, body.meta?.counts?.total ?? 0);
        continue; // warm-up
      }
      all.push(d);
      let list = perTerm.get(t);
      if (!list) perTerm.set(t, (list = []));
      list.push(d);
    }
    if (round_ > 0) log(`search: round ${round_}/${o.rounds}, p95 so far ${ms(summarize(all).p95)}`);
  }
  const s = summarize(all);
  const terms = searchTerms.map((t) => {
    const x = summarize(perTerm.get(t) ?? []);
    return { term: t, conversations_matched: totals.get(t) ?? null, p50: round(x.p50), max: round(x.max) };
  });
  console.table(terms);
  if (o.explainTo) {
    const slowest = [...terms].sort((a, b) => (b.p50 ?? 0) - (a.p50 ?? 0))[0];
    if (slowest) {
      o.explainTo('search-slowest', await explainList(o.url, await captureListSql(o.url, `q=${encodeURIComponent(slowest.term)}&limit=50&active_only=false`)));
      log(`search: EXPLAIN ANALYZE of the slowest term (${slowest.term}) written`);
    }
  }
  return {
    bars: [
      {
        section: 'search',
        bar: 'q= full-text search over all messages: p95',
        measured: `${ms(s.p95)} (p50 ${ms(s.p50)}, max ${ms(s.max)}${failed ? `, ${failed} failed` : ''})`,
        target: '≤ 150 ms',
        pass: s.p95 <= 150 && failed === 0,
        values: { p50: round(s.p50), p95: round(s.p95), max: round(s.max) },
      },
    ],
    details: { rounds: o.rounds, query: path('<term>'), ...roundSummary(s), failed, terms },
  };
}
