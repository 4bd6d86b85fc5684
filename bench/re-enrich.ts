// Re-enrichment at production size: seeds the demo data (default 221 conversations / 86,420
// messages) into a fresh database, then times enrichAll over all of it.
//   npx tsx bench/re-enrich.ts                         embedded PGlite (in memory)
//   npx tsx bench/re-enrich.ts --db postgres           a fresh database on TEST_POSTGRES_URL's server
//   options: --no-loft  --conversations N  --messages M  --runs K (re-runs: the idempotent path)
// Prints the seconds of each step (wall clock, and CPU of this process: with PGlite the database
// runs in-process too, so on a busy shared machine the CPU figure is the steadier one).
// The bar: the first run under 60 s on this 2-core machine.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, runMigrations, type Database } from '../src/db/index.ts';
import { seedDemoData, DEMO_DEFAULTS } from '../src/demo/index.ts';
import { enrichAll, openLoftClient } from '../src/enrichment/index.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'pglite' },
    'no-loft': { type: 'boolean', default: false },
    conversations: { type: 'string' },
    messages: { type: 'string' },
    runs: { type: 'string', default: '2' },
  },
});

const conversations = Number(values.conversations ?? DEMO_DEFAULTS.conversations);
const messages = Number(values.messages ?? DEMO_DEFAULTS.messages);
const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function open(): Promise<{ database: Database; drop(): Promise<void> }> {
  if (values.db !== 'postgres') return { database: await openDatabase({}), drop: async () => {} };
  const name = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const database = await openDatabase({ databaseUrl: adminUrl.replace(/\/[^/]*$/, `/${name}`), poolSize: 4 });
  return {
    database,
    drop: async () => {
      await database.close().catch(() => {});
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const secs = (ms: number) => (ms / 1000).toFixed(2);
const { database, drop } = await open();
try {
  await runMigrations(database);
  let t = Date.now();
  const seeded = await seedDemoData(database, { conversations, messages, seed: DEMO_DEFAULTS.seed });
  console.log(`${database.kind}: seeded ${seeded.conversations} conversations / ${seeded.messages} messages in ${secs(Date.now() - t)} s`);

  const loft = values['no-loft'] ? null : await openLoftClient({ LOFT_BASE_URL: undefined, LOFT_TIMEOUT_MS: 10_000 }, database);
  const runs = Math.max(1, Number(values.runs));
  for (let i = 1; i <= runs; i++) {
    t = Date.now();
    const cpu = process.cpuUsage();
    const r = await enrichAll(database, { loft: loft?.loft ?? null, concurrency: process.env.ENRICH_CONCURRENCY ? Number(process.env.ENRICH_CONCURRENCY) : undefined });
    const used = process.cpuUsage(cpu);
    console.log(
      `enrichAll run ${i}${loft ? ' (sandbox LOFT)' : ' (--no-loft)'}: ${secs(Date.now() - t)} s wall, ${secs((used.user + used.system) / 1000)} s CPU in this process — ${r.conversations} conversations, ${r.messages} messages, ${r.analysed} customer messages analysed, ${r.written} conversations written`,
    );
  }
  await loft?.close();
  const [s] = await database.query<{ analysed: number; enriched: number; events: number; levels: string }>(sql`
    SELECT (SELECT count(*)::int FROM chatbot_messages WHERE analysis IS NOT NULL) AS analysed,
           (SELECT count(*)::int FROM chatbot_conversations WHERE enriched_at IS NOT NULL) AS enriched,
           (SELECT count(*)::int FROM inbox_events) AS events,
           (SELECT string_agg(priority_level || ' ' || n, ', ' ORDER BY r) FROM (SELECT priority_level, min(priority_rank) AS r, count(*) AS n FROM chatbot_conversations GROUP BY 1) x) AS levels`);
  console.log(`stored: ${s!.analysed} message analyses, ${s!.enriched} conversations enriched, ${s!.events} events; priorities: ${s!.levels}`);
} finally {
  await drop();
}
