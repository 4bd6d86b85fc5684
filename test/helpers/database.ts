// Each test file gets its own database: an in-memory PGlite, or a fresh PostgreSQL database
// test_<random> on the local server (dropped afterwards). TEST_DB picks which (default pglite).
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, runMigrations, type Database } from '../../src/db/index.ts';

export const testDbKind = (process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite') as 'postgres' | 'pglite';
export const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  database: Database;
  /** the PostgreSQL URL (postgres only): other processes can connect to the same database */
  url?: string;
  drop(): Promise<void>;
}

export async function createEmptyDatabase(): Promise<{ url?: string; open: () => Promise<Database>; drop: () => Promise<void> }> {
  if (testDbKind === 'pglite') {
    return { open: () => openDatabase({}), drop: async () => {} };
  }
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    open: () => openDatabase({ databaseUrl: url, poolSize: 5 }),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A migrated, empty database. */
export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const empty = await createEmptyDatabase();
  const database = await empty.open();
  if (opts.migrate !== false) await runMigrations(database);
  return {
    database,
    url: empty.url,
    drop: async () => {
      await database.close().catch(() => {});
      await empty.drop();
    },
  };
}

/**
 * Every table of the public schema with its row count and a digest of every row's text: any
 * insert, update or delete shows. For tests that assert a request stored nothing.
 */
export async function tableFingerprint(database: Database): Promise<Record<string, string>> {
  const tables = await database.query<{ name: string }>(sql`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`);
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await database.query<{ n: number; digest: string | null }>(
      sql.raw(`SELECT count(*)::int AS n, md5(string_agg(x.r, '|' ORDER BY x.r)) AS digest FROM (SELECT t::text AS r FROM "${name.replace(/"/g, '""')}" t) x`),
    );
    out[name] = `${row!.n}:${row!.digest ?? ''}`;
  }
  return out;
}
