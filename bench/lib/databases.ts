// Benchmark databases on the real PostgreSQL: create, seed (the project's own seed, as
// `npm run seed` does), enrich (as `npm run cli -- enrich --all` does), VACUUM ANALYZE, drop.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, runMigrations } from '../../src/db/index.ts';
import { DEMO_DEFAULTS, seedDemoData } from '../../src/demo/index.ts';
import { enrichAll, openLoftClient } from '../../src/enrichment/index.ts';
import { log, progress } from './util.ts';

export const adminUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const urlOf = (name: string) => adminUrl.replace(/\/[^/]*$/, `/${name}`);
export const randomName = () => `bench_${randomBytes(4).toString('hex')}`;

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Databases the run created for itself: dropped at its end, or when it is interrupted (Ctrl-C). */
export const ownDatabases = new Set<string>();

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function databaseExists(name: string): Promise<boolean> {
  return admin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
}

export async function createDatabase(name: string): Promise<void> {
  if (!NAME.test(name)) throw new Error(`not a plain database name: ${name}`);
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
}

export async function dropDatabase(name: string): Promise<void> {
  if (!NAME.test(name)) throw new Error(`not a plain database name: ${name}`);
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  ownDatabases.delete(name);
}

export async function postgresVersion(): Promise<string> {
  return admin(async (c) => String((await c.query('SHOW server_version')).rows[0].server_version));
}

export interface Size {
  conversations: number;
  messages: number;
}

export const sizeOf = (scale: number): Size => ({
  conversations: Math.round(DEMO_DEFAULTS.conversations * scale),
  messages: Math.round(DEMO_DEFAULTS.messages * scale),
});

export interface PreparedDatabase {
  name: string;
  url: string;
  /** created by this run (and so dropped at the end unless --keep-db) */
  created: boolean;
  /** seeded by this run; false when an already seeded database was reused */
  seeded: boolean;
  conversations: number;
  messages: number;
  seedMs: number | null;
  enrichMs: number | null;
  vacuumMs: number | null;
}

/**
 * A seeded database of the given size: reused when `name` already holds conversations (any
 * size: the caller reports what it holds), else created and seeded.
 */
export async function prepareDatabase(opts: { name?: string; size: Size; enrich: boolean; label: string }): Promise<PreparedDatabase> {
  const name = opts.name ?? randomName();
  const url = urlOf(name);
  const exists = await databaseExists(name);
  if (!exists) await createDatabase(name);
  const database = await openDatabase({ databaseUrl: url, poolSize: 4 });
  try {
    let have = 0;
    if (exists) {
      const [r] = await database.query<{ n: number }>(sql`SELECT CASE WHEN to_regclass('chatbot_conversations') IS NULL THEN 0 ELSE 1 END AS n`);
      if (r?.n) have = (await database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM chatbot_conversations`))[0]!.n;
    }
    const result: PreparedDatabase = { name, url, created: !exists, seeded: false, conversations: 0, messages: 0, seedMs: null, enrichMs: null, vacuumMs: null };
    if (have > 0) {
      log(`${opts.label}: reusing database ${name}`);
    } else {
      const { conversations, messages } = opts.size;
      log(`${opts.label}: seeding ${name} with ${conversations.toLocaleString('en-US')} conversations / ${messages.toLocaleString('en-US')} messages`);
      // Timed like `npm run seed`: migrations, then the seed (which rebuilds the message indexes at the end).
      const t0 = Date.now();
      await runMigrations(database);
      await seedDemoData(database, { conversations, messages, seed: DEMO_DEFAULTS.seed, onProgress: progress(`${opts.label} seed`, messages) });
      result.seedMs = Date.now() - t0;
      result.seeded = true;
      log(`${opts.label}: seeded in ${(result.seedMs / 1000).toFixed(1)} s`);
      if (opts.enrich) {
        // Production data is enriched (topics, sentiment, priorities); without this the server's
        // background sweep would enrich the seed during the measurements.
        const t1 = Date.now();
        const loft = await openLoftClient({ LOFT_BASE_URL: undefined, LOFT_TIMEOUT_MS: 10_000 }, database);
        try {
          await enrichAll(database, { loft: loft.loft, events: false, onProgress: progress(`${opts.label} enrich`, conversations) });
        } finally {
          await loft.close();
        }
        result.enrichMs = Date.now() - t1;
        log(`${opts.label}: enriched in ${(result.enrichMs / 1000).toFixed(1)} s`);
      }
      // Fresh planner statistics and visibility map, as a database in service has (autovacuum
      // would get there on its own, but maybe in the middle of a measurement).
      const t2 = Date.now();
      await database.exec('VACUUM (ANALYZE)');
      result.vacuumMs = Date.now() - t2;
      log(`${opts.label}: VACUUM ANALYZE in ${(result.vacuumMs / 1000).toFixed(1)} s`);
    }
    const [c] = await database.query<{ conversations: number; messages: number }>(sql`
      SELECT (SELECT count(*)::int FROM chatbot_conversations) AS conversations, (SELECT count(*)::int FROM chatbot_messages) AS messages`);
    result.conversations = c!.conversations;
    result.messages = c!.messages;
    log(`${opts.label}: ${name} holds ${result.conversations.toLocaleString('en-US')} conversations / ${result.messages.toLocaleString('en-US')} messages`);
    if (!result.seeded && (result.conversations < opts.size.conversations || result.messages < opts.size.messages)) {
      log(`${opts.label}: WARNING: asked for ${opts.size.conversations.toLocaleString('en-US')} / ${opts.size.messages.toLocaleString('en-US')}; the reused database holds less`);
    }
    return result;
  } finally {
    await database.close();
  }
}
