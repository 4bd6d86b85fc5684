// A stand-in for src/main.ts while main.ts does not start the webhook worker yet: the same start
// (config → database → migrations → app → listen) plus what main.ts should add for webhooks:
// install the outbox, ensure the WEBHOOK_URL endpoint, start the worker, stop it on shutdown.
// test/integration/webhooks-kill.test.ts runs this only when main.ts is not wired; delete it then.
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, runMigrations } from '../../src/db/index.ts';
import { ensureEnvWebhook, installWebhookOutbox, registerWebhookRoutes, startWebhookWorker } from '../../src/events/webhooks/index.ts';
import { createLogger } from '../../src/shared/logger.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
await runMigrations(database);
installWebhookOutbox({ retrySchedule: config.WEBHOOK_RETRY_SCHEDULE });
await ensureEnvWebhook(database, config, logger);
const app = await buildApp({ config, database, logger });
if (!app.hasRoute({ method: 'GET', url: '/api/webhooks' })) await registerWebhookRoutes(app, { config, database });
await app.listen({ port: config.PORT, host: config.HOST });
const worker = await startWebhookWorker({ database, config, logger });
const shutdown = async () => {
  await app.close();
  await worker.stop();
  await database.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
