// npm run cli -- <command>: API keys, agents, webhook endpoints, deliveries and enrichment.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { claimEmbedded, releaseEmbedded } from '../db/embedded-lock.ts';
import { openDatabase, runMigrations, type Database } from '../db/index.ts';
import { createAgent, createApiKey, listAgents, listApiKeys, revokeApiKey } from '../auth/index.ts';
import { installWebhookOutbox, webhookCommands, webhookHelp } from '../events/webhooks/index.ts';
import cliProgress from 'cli-progress';
import { enrichAll, enrichConversation, openLoftClient } from '../enrichment/index.ts';

const help = `Usage: npm run cli -- <command> [options]

API keys and agents
  keys create --name NAME [--agent-id UUID | --agent-name NAME [--agent-email EMAIL]]
                                   create a key (shown once); --agent-name also creates the agent
  keys list                        list keys (prefix, name, agent, revoked)
  keys revoke PREFIX|KEY_ID        revoke a key
  agents create --name NAME [--email EMAIL]
  agents list

Enrichment (topics, sentiment, priority, customer context, summary)
  enrich --all [--no-loft] [--quiet-events]
                                   recompute every conversation and message analysis (with a
                                   progress bar); --no-loft skips LOFT look-ups for the customer
                                   context; --quiet-events writes without conversation.enriched events
  enrich ID [--no-loft]            recompute one conversation

${webhookHelp}

The database is DATABASE_URL, or the embedded one in DATA_DIR.`;

type Command = (database: Database, args: string[]) => Promise<void>;

function opts(args: string[], spec: Record<string, { type: 'string' | 'boolean' }>) {
  const parsed = parseArgs({ args, options: spec, allowPositionals: true, strict: true });
  return { values: parsed.values as Record<string, string | undefined>, positionals: parsed.positionals };
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const commands: Record<string, Command> = {
  'keys create': async (database, args) => {
    const { values } = opts(args, { name: { type: 'string' }, 'agent-id': { type: 'string' }, 'agent-name': { type: 'string' }, 'agent-email': { type: 'string' } });
    if (!values.name) fail('keys create needs --name');
    let agentId = values['agent-id'];
    if (!agentId && values['agent-name']) {
      agentId = (await createAgent(database.db, { name: values['agent-name'], email: values['agent-email'] })).agent_id;
      console.log(`agent created: ${agentId} (${values['agent-name']})`);
    }
    if (agentId && !(await listAgents(database.db)).some((a) => a.agent_id === agentId)) fail(`no agent ${agentId}`);
    const created = await createApiKey(database.db, { name: values.name, agentId });
    console.log(`key created: ${created.key_id} (${values.name})`);
    console.log(`\n  ${created.key}\n\nStore it now: it is shown only once.`);
  },
  'keys list': async (database) => {
    const keys = await listApiKeys(database.db);
    if (keys.length === 0) console.log('no keys (the INBOX_API_KEY bootstrap key, if set, always works)');
    for (const k of keys) console.log(`${k.key_prefix}…  ${k.name.padEnd(24)} ${k.agent_name ? `agent: ${k.agent_name}` : ''}${k.revoked_at ? '  REVOKED' : ''}  (${k.key_id})`);
  },
  'keys revoke': async (database, args) => {
    const target = args[0];
    if (!target) fail('keys revoke needs a key prefix or id');
    console.log((await revokeApiKey(database.db, target)) ? `revoked ${target}` : `no active key ${target}`);
  },
  'agents create': async (database, args) => {
    const { values } = opts(args, { name: { type: 'string' }, email: { type: 'string' } });
    if (!values.name) fail('agents create needs --name');
    const a = await createAgent(database.db, { name: values.name, email: values.email });
    console.log(`agent created: ${a.agent_id} (${a.name})`);
  },
  'agents list': async (database) => {
    for (const a of await listAgents(database.db)) console.log(`${a.agent_id}  ${a.name}${a.email ? `  <${a.email}>` : ''}`);
  },
  enrich: async (database, args) => {
    const { values, positionals } = opts(args, { all: { type: 'boolean' }, 'no-loft': { type: 'boolean' }, 'quiet-events': { type: 'boolean' } });
    if (!values.all && positionals.length !== 1) fail('enrich needs --all or one conversation id');
    const loft = values['no-loft'] ? null : await openLoftClient(loadConfig(), database);
    try {
      if (!values.all) {
        const r = await enrichConversation(database, positionals[0]!, { loft: loft?.loft ?? null, events: !values['quiet-events'] });
        if (r.status === 'missing') fail(`no conversation ${positionals[0]}`);
        console.log(`${positionals[0]}: ${r.status}${r.priorityLevel ? ` (priority ${r.priorityLevel})` : ''}`);
        return;
      }
      const bar = new cliProgress.SingleBar({ format: 'enriching [{bar}] {percentage}% | {value}/{total} conversations | {duration}s', hideCursor: true }, cliProgress.Presets.shades_classic);
      let started = false;
      const r = await enrichAll(database, {
        loft: loft?.loft ?? null,
        events: !values['quiet-events'],
        onProgress: (done, total) => {
          if (!started) {
            bar.start(total, 0);
            started = true;
          }
          bar.update(done);
        },
      });
      if (started) bar.stop();
      console.log(`enriched ${r.conversations} conversations (${r.written} changed), ${r.messages} messages read, ${r.analysed} customer messages analysed${loft ? '' : ' (no LOFT)'} in ${(r.ms / 1000).toFixed(1)} s`);
    } finally {
      await loft?.close();
    }
  },
};

export function registerCommand(name: string, command: Command): void {
  commands[name] = command;
}

for (const [name, command] of Object.entries(webhookCommands)) registerCommand(name, command);

async function main() {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(help);
    return;
  }
  const name = `${argv[0]} ${argv[1] ?? ''}`.trim();
  const command = commands[name] ?? commands[argv[0]!];
  if (!command) fail(`unknown command: ${argv.slice(0, 2).join(' ')}\n\n${help}`);
  const rest = commands[name] ? argv.slice(2) : argv.slice(1);
  const config = loadConfig();
  // Events written by a command (enrichment) queue their webhook deliveries like the server's.
  installWebhookOutbox({ retrySchedule: config.WEBHOOK_RETRY_SCHEDULE });
  if (config.embedded) claimEmbedded(config.DATA_DIR, 'this command');
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 2 });
  try {
    await runMigrations(database);
    await command(database, rest);
  } finally {
    await database.close();
    if (config.embedded) releaseEmbedded(config.DATA_DIR);
  }
}

await main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
