// The exact SQL the list route runs for a query string, captured without touching the server:
// the query string goes through the route's own schema (listQuerySchema) and the same mapping
// the route does, into the same function (listConversations), on a Drizzle instance whose logger
// records every statement and its parameters as handed to `pg`. Replaying them with a plain `pg`
// pool is "the same SQL run directly".
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { SQL } from 'drizzle-orm';
import * as schema from '../../src/db/schema.ts';
import type { Executor } from '../../src/db/client.ts';
import { listConversations, type SortKey } from '../../src/inbox/list-conversations.ts';
import { listQuerySchema } from '../../src/inbox/routes.ts';

export interface CapturedStatement {
  sql: string;
  params: unknown[];
}

export interface CapturedList {
  query: string;
  /** SELECT clock_timestamp(): the snapshot time of a first page */
  clock: CapturedStatement | null;
  /** the statements after it, run concurrently by the route (the page and the counts) */
  statements: CapturedStatement[];
  /** the snapshot time the capture saw; replays substitute their own */
  asOf: string | null;
}

/** The session settings the server's pool uses (src/db/client.ts), so a replay plans the same. */
export const serverPoolOptions = '-c TimeZone=UTC -c max_parallel_workers_per_gather=0';

export function serverLikePool(url: string, max: number): pg.Pool {
  return new pg.Pool({ connectionString: url, max, options: serverPoolOptions });
}

/**
 * Runs `fn` against a Drizzle instance (behind an Executor, as the server's store functions take)
 * whose logger records every statement, and returns them with the first row of the first result.
 */
export async function captureStatements(url: string, fn: (ex: Executor) => Promise<unknown>): Promise<{ statements: CapturedStatement[]; firstRow: Record<string, unknown> | undefined }> {
  const pool = serverLikePool(url, 2);
  const statements: CapturedStatement[] = [];
  const db = drizzle({ client: pool, schema, logger: { logQuery: (sql, params) => void statements.push({ sql, params: [...params] }) } });
  let firstRow: Record<string, unknown> | undefined;
  let first = true;
  const ex = {
    async execute(q: SQL) {
      const r = (await db.execute(q)) as unknown as { rows: Record<string, unknown>[] };
      if (first) firstRow = r.rows[0];
      first = false;
      return r;
    },
  } as unknown as Executor;
  try {
    await fn(ex);
  } finally {
    await pool.end();
  }
  return { statements, firstRow };
}

/** Runs the route's list function once for `query` (e.g. `limit=50&status=open`) and records its SQL. */
export async function captureListSql(url: string, query: string): Promise<CapturedList> {
  const q = listQuerySchema.parse(Object.fromEntries(new URLSearchParams(query)));
  if (q.assigned_agent_id === 'me' || q.updated_since !== undefined) throw new Error(`captureListSql: ${query}: assigned_agent_id=me and updated_since are not mapped here`);
  const { statements: logged, firstRow } = await captureStatements(url, (ex) =>
    // The same mapping as the GET /api/conversations handler in src/inbox/routes.ts, for the
    // parameters the benchmark sends (the handler also resolves assigned_agent_id=me to the
    // key's agent and normalises updated_since; no combination here uses either).
    listConversations(ex, {
      filters: {
        platform: q.platform,
        status: q.status,
        assignedAgentId: q.assigned_agent_id,
        priority: q.priority,
        tags: q.tag,
        unread: q.unread,
        activeOnly: q.active_only,
        updatedSince: q.updated_since,
        q: q.q,
        handledBy: q.handled_by,
      },
      sort: q.sort as SortKey,
      limit: q.limit,
      cursor: q.cursor,
      offset: q.offset,
    }),
  );
  const clock = logged[0] && /clock_timestamp\(\)/.test(logged[0].sql) ? logged[0] : null;
  const asOf = clock && typeof firstRow?.as_of === 'string' ? firstRow.as_of : null;
  return { query, clock, statements: clock ? logged.slice(1) : logged, asOf };
}

/**
 * One replay of a captured list request, as the route runs it: the snapshot query, then the
 * page and the counts concurrently, with the fresh snapshot time in place of the captured one.
 */
export async function replayList(pool: pg.Pool, c: CapturedList): Promise<void> {
  let asOf: string | null = null;
  if (c.clock) asOf = String((await pool.query(c.clock.sql, c.clock.params)).rows[0].as_of);
  await Promise.all(
    c.statements.map((s) => pool.query(s.sql, asOf && c.asOf ? s.params.map((p) => (p === c.asOf ? asOf : p)) : s.params)),
  );
}

/** EXPLAIN (ANALYZE, BUFFERS) of every statement, as text (each run once before, to warm the cache). */
export async function explainStatements(url: string, header: string, statements: CapturedStatement[]): Promise<string> {
  const pool = serverLikePool(url, 1);
  try {
    const out: string[] = [`-- ${header}`];
    for (const s of statements) {
      await pool.query(s.sql, s.params);
      const r = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.params);
      out.push('', `-- params: ${JSON.stringify(s.params)}`, s.sql.replace(/\s+/g, ' ').trim(), '', ...r.rows.map((row) => String(row['QUERY PLAN'])));
    }
    return out.join('\n');
  } finally {
    await pool.end();
  }
}

export function explainList(url: string, c: CapturedList): Promise<string> {
  return explainStatements(url, `GET /api/conversations?${c.query}`, c.statements);
}
