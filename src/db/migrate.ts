// Applies ./migrations with Drizzle's migrator. On PostgreSQL a session advisory lock makes
// concurrent starts of several instances safe: one migrates, the others wait and find nothing to do.
import { fileURLToPath } from 'node:url';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Database } from './client.ts';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
const MIGRATION_LOCK = 72_410_001;

/** The full-text index (also in the first migration). A bulk load into an empty table drops it
 * and builds it once at the end, which is ten times faster than maintaining it row by row. */
export const searchIndexSql = `CREATE INDEX IF NOT EXISTS idx_messages_fts ON chatbot_messages USING gin (to_tsvector('simple', message_content))`;

/** The message indexes a bulk load into an empty table may drop and rebuild once at the end. */
export const bulkLoadIndexes = {
  drop: 'DROP INDEX IF EXISTS idx_messages_fts; DROP INDEX IF EXISTS idx_messages_conversation_created; DROP INDEX IF EXISTS idx_messages_idempotency;',
  create: `${searchIndexSql};
    CREATE INDEX IF NOT EXISTS idx_messages_conversation_created ON chatbot_messages(conversation_id, message_created_at, message_id);
    CREATE UNIQUE INDEX IF NOT EXISTS idx_messages_idempotency ON chatbot_messages(conversation_id, idempotency_key);`,
};

export async function runMigrations(database: Database): Promise<void> {
  await applyMigrations(database);
  // Restores the message indexes if a bulk load was interrupted before rebuilding them.
  await database.exec(bulkLoadIndexes.create);
}

async function applyMigrations(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    // PGlite is single-process; its Drizzle instance migrates directly.
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  const client = new pg.Client({ connectionString: database.connectionString, options: '-c TimeZone=UTC' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg({ client }), { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
}
