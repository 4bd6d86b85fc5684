// npm run db:migrate: apply migrations to DATABASE_URL (or the embedded database) and exit.
import { loadConfig } from '../config.ts';
import { claimEmbedded, releaseEmbedded } from '../db/embedded-lock.ts';
import { openDatabase, runMigrations } from '../db/index.ts';

const config = loadConfig();
if (config.embedded) claimEmbedded(config.DATA_DIR, 'this command');
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 2 });
try {
  const started = Date.now();
  await runMigrations(database);
  console.log(`migrations applied to ${database.kind}${config.embedded ? ` (${config.DATA_DIR})` : ''} in ${Date.now() - started} ms`);
} finally {
  await database.close();
  if (config.embedded) releaseEmbedded(config.DATA_DIR);
}
