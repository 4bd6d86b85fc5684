// Webhook endpoints: the only module that writes webhook_endpoints. Secrets are stored as given
// (signing needs them) and shown only when created or rotated. Disabling or deleting an endpoint
// takes the event-log lock, so no event transaction can slip a delivery in for it afterwards
// (event writers hold that lock from insert to commit, see event-log.ts).
import { sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import { rows, type Database, type Executor } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import { EVENT_LOCK } from '../event-log.ts';
import { generateSecret } from './signing.ts';

export const DEFAULT_ROTATION_WINDOW_S = 24 * 3600;
const ENV_ENDPOINT_LOCK = 72_410_003; // next to the migration (…001) and event (…002) locks

export interface EndpointRow {
  id: string;
  url: string;
  description: string | null;
  event_types: string[] | null;
  enabled: boolean;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | string | null;
  disabled_reason: string | null;
  source: 'api' | 'env';
  created_at: Date | string;
  updated_at: Date | string;
}

const columns = sql.raw(`id::text AS id, url, description, event_types, enabled, secret, previous_secret,
  previous_secret_expires_at, disabled_reason, source, created_at, updated_at`);

export const endpointNotFound = (id: string) => new AppError('webhook_not_found', `Webhook endpoint ${id} not found`, 404);

export async function listEndpoints(ex: Executor): Promise<EndpointRow[]> {
  return rows<EndpointRow>(ex, sql`SELECT ${columns} FROM webhook_endpoints ORDER BY created_at, id`);
}

export async function getEndpoint(ex: Executor, id: string): Promise<EndpointRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const [row] = await rows<EndpointRow>(ex, sql`SELECT ${columns} FROM webhook_endpoints WHERE id = ${id}`);
  return row;
}

export async function requireEndpoint(ex: Executor, id: string): Promise<EndpointRow> {
  const row = await getEndpoint(ex, id);
  if (!row) throw endpointNotFound(id);
  return row;
}

/** An endpoint by id or by a unique id prefix (the CLI accepts the first characters). */
export async function findEndpointByPrefix(ex: Executor, idOrPrefix: string): Promise<EndpointRow> {
  const exact = await getEndpoint(ex, idOrPrefix);
  if (exact) return exact;
  if (!/^[0-9a-f-]{4,36}$/i.test(idOrPrefix)) throw endpointNotFound(idOrPrefix);
  const found = await rows<EndpointRow>(ex, sql`SELECT ${columns} FROM webhook_endpoints WHERE id::text LIKE ${`${idOrPrefix.toLowerCase()}%`} LIMIT 2`);
  if (found.length === 1) return found[0]!;
  if (found.length > 1) throw new AppError('ambiguous_id', `More than one endpoint starts with ${idOrPrefix}`, 400);
  throw endpointNotFound(idOrPrefix);
}

export async function createEndpoint(
  ex: Executor,
  input: { url: string; eventTypes: string[] | null; description: string | null; secret?: string; source?: 'api' | 'env' },
): Promise<EndpointRow> {
  const secret = input.secret ?? generateSecret();
  const [row] = await rows<EndpointRow>(
    ex,
    sql`INSERT INTO webhook_endpoints (url, description, event_types, secret, source)
        VALUES (${input.url}, ${input.description}, ${input.eventTypes ? JSON.stringify(input.eventTypes) : null}::jsonb, ${secret}, ${input.source ?? 'api'})
        RETURNING ${columns}`,
  );
  return row!;
}

/** Stops deliveries to an endpoint: what is still pending is cancelled (replay brings it back). */
async function cancelPending(tx: Executor, endpointId: string, reason: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${EVENT_LOCK})`);
  await tx.execute(sql`UPDATE webhook_deliveries SET status = 'cancelled', completed_at = now(), last_error = ${reason},
      lease_until = NULL, leased_by = NULL
    WHERE endpoint_id = ${endpointId} AND status = 'pending'`);
}

export interface EndpointPatch {
  url?: string;
  eventTypes?: string[] | null;
  description?: string | null;
  enabled?: boolean;
}

export async function updateEndpoint(database: Database, id: string, patch: EndpointPatch, opts: { disabledReason?: string } = {}): Promise<EndpointRow> {
  return database.db.transaction(async (tx) => {
    const [before] = await rows<EndpointRow>(tx, sql`SELECT ${columns} FROM webhook_endpoints WHERE id = ${id} FOR UPDATE`);
    if (!before) throw endpointNotFound(id);
    if (before.source === 'env' && patch.url !== undefined && patch.url !== before.url) {
      throw new AppError('endpoint_managed_by_env', 'This endpoint comes from WEBHOOK_URL: change the environment variable and restart to move it', 409);
    }
    const disabling = patch.enabled === false && before.enabled;
    const enabling = patch.enabled === true && !before.enabled;
    if (disabling) await cancelPending(tx, id, 'cancelled: endpoint disabled');
    const set = [sql`updated_at = now()`];
    if (patch.url !== undefined) set.push(sql`url = ${patch.url}`);
    if (patch.eventTypes !== undefined) set.push(sql`event_types = ${patch.eventTypes ? JSON.stringify(patch.eventTypes) : null}::jsonb`);
    if (patch.description !== undefined) set.push(sql`description = ${patch.description}`);
    if (disabling) set.push(sql`enabled = false, disabled_reason = ${opts.disabledReason ?? 'disabled through the API'}`);
    if (enabling) set.push(sql`enabled = true, disabled_reason = NULL`);
    const [after] = await rows<EndpointRow>(tx, sql`UPDATE webhook_endpoints SET ${sql.join(set, sql`, `)} WHERE id = ${id} RETURNING ${columns}`);
    return after!;
  });
}

/** The receiver answered 410 Gone: stop sending to it. */
export async function disableGoneEndpoint(database: Database, id: string, reason: string): Promise<void> {
  await database.db.transaction(async (tx) => {
    const [row] = await rows<{ enabled: boolean }>(tx, sql`SELECT enabled FROM webhook_endpoints WHERE id = ${id} FOR UPDATE`);
    if (!row?.enabled) return;
    await cancelPending(tx, id, 'cancelled: endpoint disabled after 410 Gone');
    await tx.execute(sql`UPDATE webhook_endpoints SET enabled = false, disabled_reason = ${reason}, updated_at = now() WHERE id = ${id}`);
  });
}

export async function deleteEndpoint(database: Database, id: string): Promise<void> {
  await database.db.transaction(async (tx) => {
    const [row] = await rows<{ source: string }>(tx, sql`SELECT source FROM webhook_endpoints WHERE id = ${id} FOR UPDATE`);
    if (!row) throw endpointNotFound(id);
    if (row.source === 'env') {
      throw new AppError('endpoint_managed_by_env', 'This endpoint comes from WEBHOOK_URL: unset it and restart to remove it, or disable it', 409);
    }
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${EVENT_LOCK})`);
    await tx.execute(sql`DELETE FROM webhook_attempts WHERE endpoint_id = ${id}`);
    await tx.execute(sql`DELETE FROM webhook_deliveries WHERE endpoint_id = ${id}`);
    await tx.execute(sql`DELETE FROM webhook_endpoints WHERE id = ${id}`);
  });
}

/**
 * A new secret. The previous one keeps signing (a second v1 signature) for `windowS` seconds,
 * so receivers can switch without losing a delivery.
 */
export async function rotateSecret(ex: Executor, id: string, opts: { windowS?: number; allowEnv?: boolean } = {}): Promise<EndpointRow> {
  const existing = await requireEndpoint(ex, id);
  if (existing.source === 'env' && !opts.allowEnv) {
    throw new AppError('endpoint_managed_by_env', 'This endpoint signs with WEBHOOK_SECRET: set a new value and restart; the old secret keeps signing for 24 hours', 409);
  }
  const windowS = opts.windowS ?? DEFAULT_ROTATION_WINDOW_S;
  const [row] = await rows<EndpointRow>(
    ex,
    sql`UPDATE webhook_endpoints SET previous_secret = secret, secret = ${generateSecret()},
          previous_secret_expires_at = now() + ${windowS} * interval '1 second', updated_at = now()
        WHERE id = ${id} RETURNING ${columns}`,
  );
  return row!;
}

/**
 * The operator's endpoint from WEBHOOK_URL / WEBHOOK_SECRET: created or brought in step at start
 * (all events). A changed WEBHOOK_SECRET is a rotation: the old secret keeps signing for 24 hours.
 * WEBHOOK_URL unset: a previous env endpoint is disabled (its log is kept).
 */
export async function ensureEnvWebhook(
  database: Database,
  config: Pick<Config, 'WEBHOOK_URL' | 'WEBHOOK_SECRET'>,
  logger?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void },
): Promise<EndpointRow | null> {
  return database.db.transaction(async (tx) => {
    // Several instances may start at once: one ensures, the others then find it in step.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${ENV_ENDPOINT_LOCK})`);
    const [existing] = await rows<EndpointRow>(tx, sql`SELECT ${columns} FROM webhook_endpoints WHERE source = 'env' FOR UPDATE`);
    if (!config.WEBHOOK_URL) {
      if (existing?.enabled) {
        await updateEnvDisabled(tx, existing.id);
        logger?.info({ endpoint_id: existing.id }, 'WEBHOOK_URL is unset: the env webhook endpoint is disabled');
      }
      return null;
    }
    const url = config.WEBHOOK_URL;
    if (!existing) {
      const secret = config.WEBHOOK_SECRET ?? generateSecret();
      const created = await createEndpoint(tx, { url, eventTypes: null, description: 'From WEBHOOK_URL', secret, source: 'env' });
      if (!config.WEBHOOK_SECRET) {
        logger?.warn({ endpoint_id: created.id }, 'WEBHOOK_SECRET is unset: a secret was generated; set WEBHOOK_SECRET to the one your receiver verifies with');
      }
      logger?.info({ endpoint_id: created.id }, 'env webhook endpoint created');
      return created;
    }
    const secretChanged = config.WEBHOOK_SECRET !== undefined && config.WEBHOOK_SECRET !== existing.secret;
    const urlChanged = existing.url !== url;
    // Re-enabled when it points somewhere new or was disabled only because WEBHOOK_URL was unset;
    // an endpoint someone disabled (or that answered 410) stays disabled.
    const reenable = urlChanged || (!existing.enabled && existing.disabled_reason === ENV_UNSET_REASON);
    if (!secretChanged && !reenable && existing.url === url && existing.event_types === null) return existing;
    const [row] = await rows<EndpointRow>(
      tx,
      sql`UPDATE webhook_endpoints SET url = ${url}, event_types = NULL, updated_at = now(),
            enabled = CASE WHEN ${reenable} THEN true ELSE enabled END,
            disabled_reason = CASE WHEN ${reenable} THEN NULL ELSE disabled_reason END,
            previous_secret = CASE WHEN ${secretChanged} THEN secret ELSE previous_secret END,
            previous_secret_expires_at = CASE WHEN ${secretChanged} THEN now() + ${DEFAULT_ROTATION_WINDOW_S} * interval '1 second' ELSE previous_secret_expires_at END,
            secret = CASE WHEN ${secretChanged} THEN ${config.WEBHOOK_SECRET ?? existing.secret} ELSE secret END
          WHERE id = ${existing.id} RETURNING ${columns}`,
    );
    logger?.info({ endpoint_id: existing.id, url_changed: urlChanged, secret_changed: secretChanged }, 'env webhook endpoint updated');
    return row!;
  });
}

const ENV_UNSET_REASON = 'WEBHOOK_URL is no longer set';

async function updateEnvDisabled(tx: Executor, id: string): Promise<void> {
  await cancelPending(tx, id, `cancelled: ${ENV_UNSET_REASON}`);
  await tx.execute(sql`UPDATE webhook_endpoints SET enabled = false, disabled_reason = ${ENV_UNSET_REASON}, updated_at = now() WHERE id = ${id}`);
}
