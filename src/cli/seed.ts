// npm run seed -- --conversations N --messages M --seed S: realistic, deterministic demo data.
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../config.ts';
import { claimEmbedded, releaseEmbedded } from '../db/embedded-lock.ts';
import { openDatabase, runMigrations } from '../db/index.ts';
import { DEMO_DEFAULTS, seedDemoData } from '../demo/index.ts';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: String(DEMO_DEFAULTS.conversations) },
    messages: { type: 'string', default: String(DEMO_DEFAULTS.messages) },
    seed: { type: 'string', default: String(DEMO_DEFAULTS.seed) },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('npm run seed -- [--conversations 221] [--messages 86420] [--seed 42]\nAdds demo data to DATABASE_URL (or the embedded database in DATA_DIR).');
  process.exit(0);
}
const conversations = Number(values.conversations);
const messages = Number(values.messages);
const seed = Number(values.seed);
if (!Number.isInteger(conversations) || conversations < 1 || !Number.isInteger(messages) || messages < conversations * 2 || !Number.isInteger(seed)) {
  console.error('--conversations must be ≥ 1, --messages ≥ 2 × conversations, --seed an integer');
  process.exit(2);
}

const config = loadConfig();
if (config.embedded) claimEmbedded(config.DATA_DIR, 'this command');
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 2 });
try {
  await runMigrations(database);
  const bar = new cliProgress.SingleBar({ format: 'seeding [{bar}] {percentage}% | {value}/{total} messages | {duration}s', hideCursor: true }, cliProgress.Presets.shades_classic);
  bar.start(messages, 0);
  const result = await seedDemoData(database, { conversations, messages, seed, onProgress: (done) => bar.update(done) });
  bar.stop();
  console.log(`seeded ${result.conversations} conversations, ${result.messages} messages, ${result.customers} customers, ${result.orders} orders into ${database.kind} in ${(result.ms / 1000).toFixed(1)} s`);
} finally {
  await database.close();
  if (config.embedded) releaseEmbedded(config.DATA_DIR);
}
