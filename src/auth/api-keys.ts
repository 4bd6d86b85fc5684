// API keys: the INBOX_API_KEY bootstrap key plus named keys created by the CLI, stored as SHA-256
// hashes (the clear key is shown once). A key may belong to an agent, which gives "mine" and
// assignment a meaning.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../db/client.ts';

export interface Principal {
  kind: 'bootstrap' | 'key';
  key_id: string | null;
  name: string;
  agent_id: string | null;
  agent_name: string | null;
}

const hash = (key: string) => createHash('sha256').update(key).digest('hex');

export function generateApiKey(): string {
  return `wk_${randomBytes(24).toString('base64url')}`;
}

/** Reads a bearer token from Authorization, or from ?token= (browsers cannot set WebSocket headers). */
export function bearerToken(headers: Record<string, string | string[] | undefined>, query?: unknown): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m) return m[1]!.trim();
  }
  const q = query as { token?: unknown } | undefined;
  if (q && typeof q.token === 'string' && q.token.length > 0) return q.token;
  return undefined;
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(hash(a));
  const bb = Buffer.from(hash(b));
  return timingSafeEqual(ab, bb);
}

export async function authenticateApiKey(ex: Executor, token: string | undefined, bootstrapKey: string | undefined): Promise<Principal | null> {
  if (!token || token.length > 200) return null;
  if (bootstrapKey && safeEqual(token, bootstrapKey)) {
    return { kind: 'bootstrap', key_id: null, name: 'bootstrap', agent_id: null, agent_name: null };
  }
  const [row] = await rows<{ key_id: string; name: string; agent_id: string | null; agent_name: string | null }>(
    ex,
    sql`SELECT k.key_id::text AS key_id, k.name, k.agent_id::text AS agent_id, a.name AS agent_name
        FROM inbox_api_keys k LEFT JOIN inbox_agents a ON a.agent_id = k.agent_id
        WHERE k.key_hash = ${hash(token)} AND k.revoked_at IS NULL`,
  );
  if (!row) return null;
  return { kind: 'key', ...row };
}

export async function createApiKey(ex: Executor, input: { name: string; agentId?: string | null }): Promise<{ key: string; key_id: string; prefix: string }> {
  const key = generateApiKey();
  const prefix = key.slice(0, 10);
  const [row] = await rows<{ key_id: string }>(
    ex,
    sql`INSERT INTO inbox_api_keys (name, key_hash, key_prefix, agent_id) VALUES (${input.name}, ${hash(key)}, ${prefix}, ${input.agentId ?? null})
        RETURNING key_id::text AS key_id`,
  );
  return { key, key_id: row!.key_id, prefix };
}

export async function listApiKeys(ex: Executor) {
  return rows<{ key_id: string; name: string; key_prefix: string; agent_id: string | null; agent_name: string | null; created_at: string; revoked_at: string | null }>(
    ex,
    sql`SELECT k.key_id::text AS key_id, k.name, k.key_prefix, k.agent_id::text AS agent_id, a.name AS agent_name, k.created_at::text AS created_at, k.revoked_at::text AS revoked_at
        FROM inbox_api_keys k LEFT JOIN inbox_agents a ON a.agent_id = k.agent_id ORDER BY k.created_at`,
  );
}

export async function revokeApiKey(ex: Executor, keyIdOrPrefix: string): Promise<boolean> {
  const r = await rows<{ key_id: string }>(
    ex,
    sql`UPDATE inbox_api_keys SET revoked_at = now()
        WHERE revoked_at IS NULL AND (key_prefix = ${keyIdOrPrefix} OR key_id::text = ${keyIdOrPrefix}) RETURNING key_id::text AS key_id`,
  );
  return r.length > 0;
}

export async function createAgent(ex: Executor, input: { name: string; email?: string | null }): Promise<{ agent_id: string; name: string }> {
  const [row] = await rows<{ agent_id: string; name: string }>(
    ex,
    sql`INSERT INTO inbox_agents (name, email) VALUES (${input.name}, ${input.email ?? null}) RETURNING agent_id::text AS agent_id, name`,
  );
  return row!;
}

export async function listAgents(ex: Executor) {
  return rows<{ agent_id: string; name: string; email: string | null }>(ex, sql`SELECT agent_id::text AS agent_id, name, email FROM inbox_agents ORDER BY name`);
}
