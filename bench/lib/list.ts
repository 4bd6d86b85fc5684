// GET /api/conversations (limit 50, filters, counts) at 50 concurrent clients, and the same SQL
// run directly with `pg` at the same concurrency in the same run.
import { captureListSql, explainList, replayList, serverLikePool, type CapturedList } from './capture.ts';
import { load, paced as pacedLoad } from './load.ts';
import type { BarResult } from './report.ts';
import { log, ms, now, round, since, summarize } from './util.ts';

/** Filter combinations an agent actually uses in the inbox (status tabs, channel, unread, priority, sorts). */
export const listCombos = [
  'limit=50',
  'limit=50&status=open,pending_human',
  'limit=50&status=new&platform=webchat',
  'limit=50&unread=true',
  'limit=50&priority=urgent,high&sort=priority',
  'limit=50&assigned_agent_id=unassigned&sort=waiting_since',
  'limit=50&platform=sms,phone&status=open',
  'limit=50&tag=delivery&sort=created_at',
  'limit=50&status=resolved&active_only=false',
];

/** The server's pool size (openDatabase's default in src/db/client.ts): the direct run gets as many connections. */
export const SERVER_POOL = 10;

export interface ListOptions {
  base: string;
  url: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** requests/s over all connections for the paced, informational run; 0 skips it */
  pacedRate: number;
  explainTo?: (name: string, text: string) => void;
}

/** `connections` loops, each replaying the next captured request as soon as the previous finished. */
async function direct(url: string, captured: CapturedList[], connections: number, seconds: number) {
  const pool = serverLikePool(url, SERVER_POOL);
  const latencies: number[] = [];
  const byQuery = new Map<string, number[]>();
  let i = 0;
  const deadline = Date.now() + seconds * 1000;
  const t0 = Date.now();
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (Date.now() < deadline) {
          const c = captured[i++ % captured.length]!;
          const t = now();
          await replayList(pool, c);
          const d = since(t);
          latencies.push(d);
          let list = byQuery.get(c.query);
          if (!list) byQuery.set(c.query, (list = []));
          list.push(d);
        }
      }),
    );
  } finally {
    await pool.end();
  }
  const secs = (Date.now() - t0) / 1000;
  return { latencies, byQuery, summary: summarize(latencies), rps: latencies.length / secs };
}

export async function runList(o: ListOptions): Promise<{ bars: BarResult[]; details: Record<string, unknown> }> {
  log(`list: capturing the route's SQL for ${listCombos.length} filter combinations`);
  const captured: CapturedList[] = [];
  for (const q of listCombos) captured.push(await captureListSql(o.url, q));
  const paths = listCombos.map((q) => `/api/conversations?${q}`);

  log(`list: warm-up ${o.warmupSeconds} s (HTTP and direct)`);
  await load({ base: o.base, paths, connections: o.connections, seconds: o.warmupSeconds, label: 'list warm-up', quiet: true });
  await direct(o.url, captured, o.connections, Math.max(1, o.warmupSeconds / 2));

  log(`list: GET /api/conversations at ${o.connections} connections for ${o.seconds} s`);
  const http = await load({ base: o.base, paths, connections: o.connections, seconds: o.seconds, label: 'list HTTP' });
  log(`list: HTTP p50 ${ms(http.summary.p50)} p99 ${ms(http.summary.p99)}, ${http.rps.toFixed(0)} req/s, non-2xx ${http.non2xx}, errors ${http.errors}`);
  log(`list: the same SQL directly with pg at ${o.connections} concurrent callers (pool of ${SERVER_POOL}) for ${o.seconds} s`);
  const sqlRun = await direct(o.url, captured, o.connections, o.seconds);
  log(`list: direct SQL p50 ${ms(sqlRun.summary.p50)} p99 ${ms(sqlRun.summary.p99)}, ${sqlRun.rps.toFixed(0)} req/s`);

  // The same number of clients paced (together about `pacedRate` requests/s at random moments,
  // as agents clicking), so the latency of a request is seen apart from the queueing of a
  // saturated closed loop.
  let paced: Awaited<ReturnType<typeof load>> | undefined;
  if (o.pacedRate > 0) {
    log(`list: paced, ${o.connections} clients, about ${o.pacedRate} req/s in all, for ${o.seconds} s`);
    paced = await pacedLoad({ base: o.base, paths, clients: o.connections, rate: o.pacedRate, seconds: o.seconds });
    log(`list: paced p50 ${ms(paced.summary.p50)} p99 ${ms(paced.summary.p99)}, ${paced.rps.toFixed(0)} req/s`);
  }

  const perCombo = listCombos.map((q) => {
    const h = summarize(http.byPath.get(`/api/conversations?${q}`) ?? []);
    const d = summarize(sqlRun.byQuery.get(q) ?? []);
    return { query: q, http_p50: round(h.p50), http_p99: round(h.p99), http_n: h.n, sql_p50: round(d.p50), sql_p99: round(d.p99), sql_n: d.n };
  });
  console.table(perCombo);

  if (o.explainTo) {
    for (const [i, c] of captured.entries()) o.explainTo(`list-${i + 1}`, await explainList(o.url, c));
    log('list: EXPLAIN ANALYZE of every combination written');
  }

  const ratio = http.summary.p50 / sqlRun.summary.p50;
  const bad = http.non2xx + http.errors + http.timeouts;
  const label = `GET /api/conversations (limit 50, filters, counts), ${o.connections} concurrent`;
  return {
    bars: [
      { section: 'list', bar: `${label}: p50`, measured: ms(http.summary.p50), target: '≤ 10 ms', pass: http.summary.p50 <= 10 && bad === 0, values: { p50: round(http.summary.p50) } },
      { section: 'list', bar: `${label}: p99`, measured: ms(http.summary.p99), target: '≤ 50 ms', pass: http.summary.p99 <= 50 && bad === 0, values: { p99: round(http.summary.p99) } },
      {
        section: 'list',
        bar: 'list p50 vs the same SQL directly with pg (same run, same concurrency)',
        measured: `${ratio.toFixed(2)}× (${ms(http.summary.p50)} vs ${ms(sqlRun.summary.p50)})`,
        target: '≤ 3×',
        pass: ratio <= 3,
        values: { ratio: round(ratio), http_p50: round(http.summary.p50), sql_p50: round(sqlRun.summary.p50) },
      },
      {
        section: 'list',
        bar: 'list throughput: HTTP vs direct SQL',
        measured: `${http.rps.toFixed(0)} vs ${sqlRun.rps.toFixed(0)} req/s${bad ? `; ${bad} failed` : ''}`,
        target: '—',
        pass: null,
      },
      ...(paced
        ? [{
            section: 'list',
            bar: `list paced: ${o.connections} clients, about ${o.pacedRate} req/s in all at random moments (not saturated)`,
            measured: `p50 ${ms(paced.summary.p50)}, p99 ${ms(paced.summary.p99)} (${paced.rps.toFixed(0)} req/s${paced.non2xx + paced.errors ? `; ${paced.non2xx + paced.errors} failed` : ''})`,
            target: '—',
            pass: null,
            values: { p50: round(paced.summary.p50), p99: round(paced.summary.p99), rps: round(paced.rps, 1) },
          } satisfies BarResult]
        : []),
    ],
    details: {
      combos: listCombos,
      connections: o.connections,
      seconds: o.seconds,
      http: { ...roundSummary(http.summary), rps: round(http.rps, 1), non2xx: http.non2xx, errors: http.errors, timeouts: http.timeouts },
      direct_sql: { ...roundSummary(sqlRun.summary), rps: round(sqlRun.rps, 1), pool: SERVER_POOL },
      paced: paced ? { rate: o.pacedRate, ...roundSummary(paced.summary), rps: round(paced.rps, 1), non2xx: paced.non2xx, errors: paced.errors } : null,
      per_combo: perCombo,
      method:
        "SQL captured by calling the route's own listConversations (query string parsed with the route's listQuerySchema) on a Drizzle instance with a query logger; replayed with pg: the snapshot query, then page + counts concurrently, with the server's session settings and pool size.",
    },
  };
}

export function roundSummary(s: ReturnType<typeof summarize>) {
  return { n: s.n, p50: round(s.p50), p95: round(s.p95), p99: round(s.p99), max: round(s.max), mean: round(s.mean) };
}
