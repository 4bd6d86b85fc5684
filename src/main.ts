// Start: config → database → migrations (and demo data on a first embedded run) → app → listen
// → background workers; SIGTERM/SIGINT: stop accepting, finish in-flight requests, stop workers,
// close the database.
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase, runMigrations, type Database } from './db/index.ts';
import { ensureDemoData } from './demo/index.ts';
import { enrichAll } from './enrichment/index.ts';
import { createLogger } from './shared/logger.ts';
import { claimEmbedded, releaseEmbedded } from './db/embedded-lock.ts';
import { startWorkers } from './workers.ts';
import { closeWebhookConnections, ensureEnvWebhook, installWebhookOutbox, startWebhookWorker } from './events/webhooks/index.ts';
import { webhookAttemptDuration, webhookAttempts } from './metrics.ts';

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  if (config.embedded) claimEmbedded(config.DATA_DIR, 'the CLI');
  const database: Database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  logger.info({ database: database.kind, dataDir: config.embedded ? config.DATA_DIR : undefined }, 'database opened');
  await runMigrations(database);
  const seeded = config.DEMO_DATA ? await ensureDemoData(database, logger) : false;
  // Every event from here on gets a delivery row per matching endpoint, in its own transaction.
  installWebhookOutbox({ retrySchedule: config.WEBHOOK_RETRY_SCHEDULE });
  await ensureEnvWebhook(database, config, logger);

  const app = await buildApp({ config, database, logger, enrichment: true });
  await app.listen({ port: config.PORT, host: config.HOST });
  if (seeded) {
    // Fresh demo data is enriched in the background, so the first start is ready quickly; the
    // list fills in topics, sentiment and priorities within about half a minute.
    void enrichAll(database, { events: false })
      .then((r) => logger.info({ ms: r.ms, conversations: r.conversations }, 'demo data enriched'))
      .catch((err) => logger.warn({ err: { message: (err as Error).message } }, 'demo enrichment failed'));
  }
  const workers = startWorkers({ database, config, logger });
  const webhooks = await startWebhookWorker({ database, config, logger, perEndpoint: config.WEBHOOK_CONCURRENCY, onAttempt: (outcome, ms) => {
    webhookAttempts.inc({ outcome });
    webhookAttemptDuration.observe({ outcome }, ms / 1000);
  } });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      // Stop accepting and finish in-flight requests, then background work, then the database.
      await app.close();
      await workers.stop();
      await webhooks.stop();
      closeWebhookConnections();
      await database.close();
      if (config.embedded) releaseEmbedded(config.DATA_DIR);
      logger.info('stopped');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
