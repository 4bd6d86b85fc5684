// npm run bench: the performance bars of the quality-bars document, measured against the real
// server (src/main.ts in its own process) on the real PostgreSQL, and printed as
// bar | measured | target | pass, with the results in bench/results/latest.json.
//
//   npm run bench                                  everything, 10× production data (2,210 / 864,200)
//   npm run bench -- --only list,search --scale 1  some sections, smaller data
//   npm run bench -- --keep-db                     keep the seeded databases; reuse them with
//   npm run bench -- --db NAME --db-1x NAME2       (a named database is seeded when empty, never dropped)
//   npm run bench -- --help                        every option
//
// Sections: list, messages, search, pull, realtime, chat, start. The list, messages, search and
// chat sections run on the scaled database; pull on a production-size (1×) one; realtime on a
// fresh empty one (bench/lib/realtime.ts); start on a fresh clone with the embedded database.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_DEFAULTS } from '../src/demo/index.ts';
import { removeChatConversations, runChat } from './lib/chat.ts';
import { dropDatabase, ownDatabases, postgresVersion, prepareDatabase, randomName, sizeOf, type PreparedDatabase, type Size } from './lib/databases.ts';
import { runList } from './lib/list.ts';
import { runMessages } from './lib/messages.ts';
import { runPull } from './lib/pull.ts';
import { runRealtime } from './lib/realtime.ts';
import { machineInfo, printTable, writeJson, type BarResult, type SectionReport } from './lib/report.ts';
import { runSearch } from './lib/search.ts';
import { runningServers, startServer, type RunningServer } from './lib/server.ts';
import { runStart } from './lib/start.ts';
import { log } from './lib/util.ts';

const SECTIONS = ['list', 'messages', 'search', 'pull', 'realtime', 'chat', 'start'] as const;
type Section = (typeof SECTIONS)[number];

const { values: v } = parseArgs({
  options: {
    only: { type: 'string' },
    scale: { type: 'string', default: '10' },
    conversations: { type: 'string' },
    messages: { type: 'string' },
    db: { type: 'string' },
    'db-1x': { type: 'string' },
    'keep-db': { type: 'boolean', default: false },
    'keep-clone': { type: 'boolean', default: false },
    'no-enrich': { type: 'boolean', default: false },
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    'list-rate': { type: 'string', default: '50' },
    'messages-connections': { type: 'string', default: '10' },
    'messages-duration': { type: 'string', default: '15' },
    'messages-conversations': { type: 'string', default: '300' },
    'search-rounds': { type: 'string', default: '5' },
    'pull-runs': { type: 'string', default: '7' },
    'chat-turns': { type: 'string', default: '50' },
    'chat-warmup': { type: 'string', default: '5' },
    clients: { type: 'string', default: '1000' },
    events: { type: 'string', default: '200' },
    burst: { type: 'string', default: '3000' },
    'start-install': { type: 'string', default: 'link' },
    explain: { type: 'boolean', default: false },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (v.help) {
  console.log(`npm run bench -- [options]
  --only a,b,…              sections: ${SECTIONS.join(',')} (default: all)
  --scale N                 data size as a multiple of production (221 / 86,420); default 10
  --conversations N --messages M   an exact size instead (development)
  --db NAME                 use (or create and seed) this database for list/messages/search/chat
  --db-1x NAME              the same for the production-size database of the pull section
  --keep-db                 keep the databases this run created (their names are printed)
  --keep-clone              keep the start section's temp clone, data and server log
  --no-enrich               skip enriching the seed (the server's sweep then enriches during the run)
  --connections 50 --duration 20 --warmup 5         list: concurrency, seconds measured, seconds warm-up
  --list-rate 50            list: also a paced run, this many requests/s over the connections (0: skip)
  --messages-connections 10 --messages-duration 15 --messages-conversations 300
  --search-rounds 5         rounds over the search terms (after one warm-up round)
  --pull-runs 7             cursor walks of every conversation (median)
  --chat-turns 50 --chat-warmup 5
  --clients 1000 --events 200 --burst 3000          realtime (as bench/realtime.ts)
  --start-install link|ci   fresh clone's node_modules: hard-linked copy (default) or npm ci
  --explain                 write EXPLAIN ANALYZE of the measured queries to bench/results/plans/
  --out FILE                results JSON (default bench/results/latest.json)`);
  process.exit(0);
}

const only = new Set<Section>((v.only ? v.only.split(',').map((s) => s.trim()) : SECTIONS) as Section[]);
for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`unknown section "${s}"; sections: ${SECTIONS.join(', ')}`);
const num = (s: string | undefined, name: string) => {
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
};
const scale = num(v.scale, 'scale');
const customSize = Boolean(v.conversations || v.messages);
const size: Size = customSize
  ? { conversations: num(v.conversations ?? String(Math.round(DEMO_DEFAULTS.conversations * scale)), 'conversations'), messages: num(v.messages ?? String(Math.round(DEMO_DEFAULTS.messages * scale)), 'messages') }
  : sizeOf(scale);
const productionSize = sizeOf(1);
const sameSizeAsProduction = size.conversations === productionSize.conversations && size.messages === productionSize.messages;
const benchDir = fileURLToPath(new URL('.', import.meta.url));
const outPath = v.out ?? join(benchDir, 'results', 'latest.json');
const plansDir = join(benchDir, 'results', 'plans');
const explainTo = v.explain
  ? (name: string, text: string) => {
      mkdirSync(plansDir, { recursive: true });
      writeFileSync(join(plansDir, `${name}.txt`), `${text}\n`);
    }
  : undefined;

const machine = machineInfo(await postgresVersion());
log(`machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, PostgreSQL ${machine.postgres}, load average ${machine.loadAverageAtStart.join(' ')}`);
log(`sections: ${[...only].join(', ')}${['list', 'messages', 'search', 'chat'].some((s) => only.has(s as Section)) ? `; data: ${size.conversations.toLocaleString('en-US')} conversations / ${size.messages.toLocaleString('en-US')} messages` : ''}`);

// Ctrl-C: stop the servers this run started and drop the databases it created for itself.
process.once('SIGINT', () => {
  log('interrupted: stopping servers, dropping this run\'s databases');
  for (const child of runningServers) child.kill('SIGKILL');
  void Promise.allSettled([...ownDatabases].map((name) => dropDatabase(name))).finally(() => process.exit(130));
});

const startedAt = new Date().toISOString();
const sections: SectionReport[] = [];
/** the databases this run used; `named`: given with --db / --db-1x (never dropped) */
const databases: { role: 'main' | '1x'; d: PreparedDatabase; named: boolean }[] = [];
const enrich = !v['no-enrich'];

async function section(name: string, fn: () => Promise<{ bars: BarResult[]; details?: Record<string, unknown> }>): Promise<SectionReport> {
  const t0 = Date.now();
  const report: SectionReport = { section: name, startedAt: new Date().toISOString(), loadAtStart: loadavg().map((x) => Number(x.toFixed(2))), seconds: 0, bars: [] };
  log(`── ${name} ──`);
  try {
    const r = await fn();
    report.bars = r.bars;
    report.details = r.details;
  } catch (err) {
    report.error = (err as Error).stack ?? String(err);
    log(`${name} failed: ${(err as Error).message}`);
  }
  report.seconds = Number(((Date.now() - t0) / 1000).toFixed(1));
  sections.push(report);
  return report;
}

const seedBar = (label: string, d: PreparedDatabase): BarResult => ({
  section: 'seed',
  bar: `${label}: ${d.conversations.toLocaleString('en-US')} conversations / ${d.messages.toLocaleString('en-US')} messages`,
  measured: d.seeded
    ? `seed ${((d.seedMs ?? 0) / 1000).toFixed(1)} s${d.enrichMs !== null ? `, enrich ${(d.enrichMs / 1000).toFixed(1)} s` : ''}, VACUUM ANALYZE ${((d.vacuumMs ?? 0) / 1000).toFixed(1)} s`
    : `reused ${d.name}`,
  target: '—',
  pass: null,
  values: { name: d.name, seed_ms: d.seedMs, enrich_ms: d.enrichMs, vacuum_ms: d.vacuumMs },
});

try {
  const needMain = ['list', 'messages', 'search', 'chat'].some((s) => only.has(s as Section)) || (only.has('pull') && sameSizeAsProduction && !v['db-1x']);
  const needProd = only.has('pull') && !(sameSizeAsProduction && !v['db-1x']);
  let main: PreparedDatabase | undefined;
  let prod: PreparedDatabase | undefined;
  if (needMain || needProd) {
    await section('seed', async () => {
      const bars: BarResult[] = [];
      if (needMain) {
        const name = v.db ?? randomName();
        if (!v.db && !v['keep-db']) ownDatabases.add(name);
        main = await prepareDatabase({ name, size, enrich, label: customSize ? 'data (custom size)' : `data ×${scale}` });
        databases.push({ role: 'main', d: main, named: v.db !== undefined });
        bars.push(seedBar(customSize ? 'seed (custom size)' : `seed ×${scale}`, main));
      }
      if (needProd) {
        const name = v['db-1x'] ?? randomName();
        if (!v['db-1x'] && !v['keep-db']) ownDatabases.add(name);
        prod = await prepareDatabase({ name, size: productionSize, enrich, label: 'data ×1' });
        databases.push({ role: '1x', d: prod, named: v['db-1x'] !== undefined });
        bars.push(seedBar('seed ×1 (pull)', prod));
      }
      if (needMain && only.has('pull') && !needProd) prod = main;
      return { bars, details: { databases: databases.map(({ role, d }) => ({ role, ...d, url: undefined })) } };
    });
  }

  // list, messages, search (and pull when the data is production size), then chat, which adds
  // conversations, on one server over the scaled data.
  if (main && (['list', 'messages', 'search', 'chat'].some((s) => only.has(s as Section)) || prod === main)) {
    let server: RunningServer | undefined;
    const chatIds: string[] = [];
    try {
      server = await startServer({ databaseUrl: main!.url, label: 'scaled data' });
      const base = server.base;
      const url = main!.url;
      if (only.has('list')) await section('list', () => runList({ base, url, connections: num(v.connections, 'connections'), seconds: num(v.duration, 'duration'), warmupSeconds: num(v.warmup, 'warmup'), pacedRate: Math.max(0, Number(v['list-rate']) || 0), explainTo }));
      if (only.has('messages')) await section('messages', () => runMessages({ base, url, connections: num(v['messages-connections'], 'messages-connections'), seconds: num(v['messages-duration'], 'messages-duration'), warmupSeconds: num(v.warmup, 'warmup'), conversations: num(v['messages-conversations'], 'messages-conversations'), explainTo }));
      if (only.has('search')) await section('search', () => runSearch({ base, url, rounds: num(v['search-rounds'], 'search-rounds'), explainTo }));
      if (only.has('pull') && prod === main) await section('pull', () => runPull({ base, runs: num(v['pull-runs'], 'pull-runs'), expected: main!.conversations }));
      if (only.has('chat')) {
        const r = await section('chat', () => runChat({ base, url, turns: num(v['chat-turns'], 'chat-turns'), warmup: Math.max(0, Number(v['chat-warmup'])) }));
        chatIds.push(...((r.details?.conversation_ids as string[] | undefined) ?? []));
        if (r.details) delete r.details.conversation_ids;
      }
    } finally {
      await server?.stop();
      // The chat turns' conversations (warm-up included) go, so a reused database stays as seeded.
      if (main) await removeChatConversations(main.url, chatIds).catch((err) => log(`chat cleanup failed: ${(err as Error).message}`));
    }
  }

  if (only.has('pull') && prod && prod !== main) {
    let server: RunningServer | undefined;
    try {
      server = await startServer({ databaseUrl: prod.url, label: 'production size' });
      const base = server.base;
      await section('pull', () => runPull({ base, runs: num(v['pull-runs'], 'pull-runs'), expected: prod!.conversations }));
    } finally {
      await server?.stop();
    }
  }

  if (only.has('realtime')) await section('realtime', () => runRealtime({ clients: num(v.clients, 'clients'), events: num(v.events, 'events'), burst: num(v.burst, 'burst') }));
  if (only.has('start')) await section('start', () => runStart({ install: v['start-install'] === 'ci' ? 'ci' : 'link', keep: v['keep-clone'] }));
} finally {
  // Also a database whose seeding failed half-way: every one this run created for itself.
  for (const name of [...ownDatabases]) await dropDatabase(name).catch((err) => log(`could not drop ${name}: ${(err as Error).message}`));
  const kept = databases.filter((x) => !x.d.created || x.named || v['keep-db']);
  if (kept.length) log(`databases kept; reuse them with: ${kept.map((x) => `${x.role === 'main' ? '--db' : '--db-1x'} ${x.d.name}`).join(' ')}`);
}

machine.loadAverageAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
printTable(sections);
writeJson(outPath, {
  command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
  startedAt,
  finishedAt: new Date().toISOString(),
  machine,
  data: { scale, size, production_size: productionSize, enriched: enrich, databases: databases.map(({ role, d }) => ({ role, name: d.name, conversations: d.conversations, messages: d.messages, reused: !d.seeded, seed_ms: d.seedMs, enrich_ms: d.enrichMs, vacuum_ms: d.vacuumMs })) },
  bars: sections.flatMap((s) => s.bars),
  sections,
});
log(`results written to ${outPath}`);
const failed = sections.some((s) => s.error);
process.exit(failed ? 1 : 0);
