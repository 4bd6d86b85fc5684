// The webhook commands of `npm run cli`: endpoints, replays, test-fires and the delivery log,
// straight against the database (running servers are woken through NOTIFY on PostgreSQL).
// The CLI is the operator's: URLs are checked for form but may point at private addresses.
import { parseArgs } from 'node:util';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import { eventTypes } from '../event-log.ts';
import { DELIVERIES_CHANNEL, listDeliveries, queueTestDelivery, replayDelivery, replaySince, type DeliveryStatus } from './delivery-store.ts';
import { createEndpoint, deleteEndpoint, findEndpointByPrefix, listEndpoints, rotateSecret, updateEndpoint } from './endpoint-store.ts';
import { checkUrlShape } from './url-policy.ts';

type Command = (database: Database, args: string[]) => Promise<void>;

export const webhookHelp = `Webhook endpoints and deliveries (ID: an endpoint id or its first characters)
  webhooks list                    endpoints: id, state, url, event types
  webhooks create --url URL [--events TYPE,TYPE] [--description TEXT]
                                   add an endpoint; prints its signing secret (shown once)
  webhooks delete ID               remove an endpoint and its delivery log
  webhooks enable ID | disable ID  disabling cancels what is pending (replay brings it back)
  webhooks rotate ID [--window-hours H]
                                   new secret (shown once); the old one also signs for H hours (24)
  webhooks replay ID --since ISO   re-send every event since a time
  webhooks replay ID --delivery N  re-send one delivery (e.g. a dead one)
  webhooks test ID                 send a synthetic webhook.test delivery
  deliveries list ID [--status pending|succeeded|dead|cancelled] [--limit N]
                                   the delivery log, newest first, with the last error`;

function parse(args: string[], options: Record<string, { type: 'string' }>) {
  const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  return { values: parsed.values as Record<string, string | undefined>, positionals: parsed.positionals };
}

function usage(message: string): never {
  throw new AppError('usage', message, 400);
}

const wake = (database: Database) => database.notify(DELIVERIES_CHANNEL, '').catch(() => {});

async function endpointArg(database: Database, args: string[], command: string) {
  const id = args[0];
  if (!id) usage(`${command} needs an endpoint id`);
  return findEndpointByPrefix(database.db, id);
}

function eventTypesArg(value: string | undefined): string[] | null {
  if (!value) return null;
  const list = [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))];
  const unknown = list.filter((t) => !(eventTypes as string[]).includes(t));
  if (unknown.length) usage(`unknown event type ${unknown.join(', ')}; known: ${eventTypes.join(', ')}`);
  return list.length ? list : null;
}

export const webhookCommands: Record<string, Command> = {
  'webhooks list': async (database) => {
    const list = await listEndpoints(database.db);
    if (list.length === 0) console.log('no webhook endpoints (set WEBHOOK_URL, or: webhooks create --url URL)');
    for (const e of list) {
      const state = e.enabled ? 'enabled ' : 'DISABLED';
      console.log(`${e.id}  ${state}  ${e.source.padEnd(3)}  ${e.url}  [${e.event_types?.join(',') ?? 'all events'}]${e.disabled_reason ? `  (${e.disabled_reason})` : ''}`);
    }
  },
  'webhooks create': async (database, args) => {
    const { values } = parse(args, { url: { type: 'string' }, events: { type: 'string' }, description: { type: 'string' } });
    if (!values.url) usage('webhooks create needs --url');
    const url = checkUrlShape(values.url).toString();
    const created = await createEndpoint(database.db, { url, eventTypes: eventTypesArg(values.events), description: values.description ?? null });
    console.log(`endpoint created: ${created.id} → ${created.url}`);
    console.log(`\n  ${created.secret}\n\nThe signing secret is shown only now: give it to the receiver.`);
  },
  'webhooks delete': async (database, args) => {
    const e = await endpointArg(database, args, 'webhooks delete');
    await deleteEndpoint(database, e.id);
    console.log(`deleted ${e.id}`);
  },
  'webhooks enable': async (database, args) => {
    const e = await endpointArg(database, args, 'webhooks enable');
    await updateEndpoint(database, e.id, { enabled: true });
    console.log(`enabled ${e.id}`);
  },
  'webhooks disable': async (database, args) => {
    const e = await endpointArg(database, args, 'webhooks disable');
    await updateEndpoint(database, e.id, { enabled: false }, { disabledReason: 'disabled with the CLI' });
    console.log(`disabled ${e.id}; pending deliveries were cancelled (webhooks replay ${e.id.slice(0, 8)} --since … re-sends them)`);
  },
  'webhooks rotate': async (database, args) => {
    const { values, positionals } = parse(args, { 'window-hours': { type: 'string' } });
    const e = await endpointArg(database, positionals, 'webhooks rotate');
    const hours = values['window-hours'] === undefined ? 24 : Number(values['window-hours']);
    if (!Number.isFinite(hours) || hours < 0 || hours > 168) usage('--window-hours must be between 0 and 168');
    const rotated = await rotateSecret(database.db, e.id, { windowS: Math.round(hours * 3600) });
    console.log(`new secret for ${e.id}${hours > 0 ? `; the previous one also signs for ${hours} h` : ''}:`);
    console.log(`\n  ${rotated.secret}\n`);
  },
  'webhooks replay': async (database, args) => {
    const { values, positionals } = parse(args, { since: { type: 'string' }, delivery: { type: 'string' } });
    const e = await endpointArg(database, positionals, 'webhooks replay');
    if (!e.enabled) usage(`endpoint ${e.id} is disabled: webhooks enable ${e.id.slice(0, 8)} first`);
    if ((values.since === undefined) === (values.delivery === undefined)) usage('webhooks replay needs --since ISO or --delivery N');
    if (values.since !== undefined) {
      if (Number.isNaN(Date.parse(values.since))) usage('--since must be an ISO 8601 time, e.g. 2026-11-25T00:00:00Z');
      const n = await replaySince(database.db, e, new Date(values.since).toISOString());
      await wake(database);
      console.log(`queued ${n} deliveries to ${e.url}`);
    } else {
      const id = Number(values.delivery);
      if (!Number.isInteger(id) || id < 1) usage('--delivery must be a delivery id');
      const r = await replayDelivery(database.db, e, id);
      await wake(database);
      console.log(r.queued ? `queued delivery ${r.delivery.id} (webhook-id ${r.delivery.webhook_id})` : `already pending as delivery ${r.delivery.id}`);
    }
  },
  'webhooks test': async (database, args) => {
    const e = await endpointArg(database, args, 'webhooks test');
    if (!e.enabled) usage(`endpoint ${e.id} is disabled`);
    const d = await queueTestDelivery(database.db, e);
    await wake(database);
    console.log(`queued test delivery ${d.id} (webhook-id ${d.webhook_id}); see: deliveries list ${e.id.slice(0, 8)}`);
  },
  'deliveries list': async (database, args) => {
    const { values, positionals } = parse(args, { status: { type: 'string' }, limit: { type: 'string' } });
    const e = await endpointArg(database, positionals, 'deliveries list');
    const statuses = ['pending', 'succeeded', 'dead', 'cancelled'];
    if (values.status && !statuses.includes(values.status)) usage(`--status must be one of ${statuses.join(', ')}`);
    const limit = values.limit ? Number(values.limit) : 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) usage('--limit must be between 1 and 1000');
    const page = await listDeliveries(database.db, { endpointId: e.id, status: values.status as DeliveryStatus | undefined, limit });
    if (page.data.length === 0) console.log('no deliveries');
    for (const d of page.data) {
      const last = d.last_status_code !== null ? `HTTP ${d.last_status_code}` : (d.last_error ?? '');
      console.log(`${String(d.id).padStart(8)}  ${d.created_at}  ${(d.event_type ?? '').padEnd(32)} id=${d.webhook_id.padEnd(10)} ${d.status.padEnd(9)} attempts=${d.attempt_count}  ${last}${d.status === 'pending' && d.next_attempt_at ? `  next ${d.next_attempt_at}` : ''}`);
    }
  },
};
