// Each test file gets its own database: an in-memory PGlite, or a fresh PostgreSQL database
// test_<random> on the local server (dropped afterwards). TEST_DB picks which (default pglite).
import { randomBytes } from 'node:crypto';
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
