// One Database for both engines: PostgreSQL through a pg Pool when DATABASE_URL is set,
// otherwise the embedded PGlite (real PostgreSQL compiled to WebAssembly) in DATA_DIR.
// Both get the same Drizzle schema and the same SQL. Sessions run in UTC because the legacy
// TIMESTAMP columns hold UTC wall-clock values without a zone.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** The Drizzle database. Both drivers share the PgDatabase API; we type them as one. */
export type Db = NodePgDatabase<Schema>;
/** A transaction or the database itself: store functions accept either. */
export type Executor = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  kind: 'postgres' | 'pglite';
  db: Db;
  /** Runs raw SQL and returns its rows (same shape on both engines). */
  query<T = Record<string, unknown>>(query: SQL, executor?: Executor): Promise<T[]>;
  /**
   * Runs a hot, fixed-shape query (outside any transaction) as a named prepared statement on
   * PostgreSQL: parsed and planned once per connection instead of on every call (for the webhook
   * worker's statements that is 0.35 ms instead of 1.3 ms). The name is a hash of the SQL text,
   * so only use it for SQL whose text takes a handful of shapes (lists as array parameters, never
   * spliced in): node-postgres keeps every name it prepared for the life of the connection.
   * PGlite runs it as a plain query.
   */
  prepared<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /** Runs a script of several statements without parameters (fixtures, maintenance). */
  exec(script: string): Promise<void>;
  /** true when a trivial query succeeds within the timeout */
  ping(timeoutMs?: number): Promise<boolean>;
  /**
   * Cross-process notifications: PostgreSQL LISTEN/NOTIFY; in-process on PGlite (the embedded
   * database serves one process only).
   */
  notify(channel: string, payload: string, executor?: Executor): Promise<void>;
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** PostgreSQL only: the connection settings, for a dedicated LISTEN client. */
  connectionString?: string;
  pglite?: PGlite;
}

export async function rows<T>(executor: Executor, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export async function openDatabase(opts: { databaseUrl?: string; dataDir?: string; poolSize?: number }): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  return openPglite(opts.dataDir);
}

async function openPostgres(connectionString: string, max: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString,
    max,
    // Fail fast while the server is down, so /ready and requests answer 503 instead of hanging.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    options: '-c TimeZone=UTC -c max_parallel_workers_per_gather=0',
  });
  // A client losing its server (PostgreSQL restarted) must not crash the process. The pool only
  // listens for errors on idle clients; one checked out between two queries of a transaction
  // emitted 'error' with no listener and took the process down (seen in the restart fault test).
  // The query in flight still rejects, and the pool drops the broken client.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = drizzlePg({ client: pool, schema });
  const dialect = new PgDialect();
  const statementNames = new Map<string, string>();
  let listener: pg.Client | undefined;
  let listenerReady: Promise<pg.Client> | undefined;
  const handlers = new Map<string, Set<(p: string) => void>>();
  let closed = false;

  // A dedicated connection for LISTEN; re-established after a drop, and channels re-listened.
  async function ensureListener(): Promise<pg.Client> {
    if (listener) return listener;
    if (listenerReady) return listenerReady;
    listenerReady = (async () => {
      const client = new pg.Client({ connectionString, options: '-c TimeZone=UTC' });
      client.on('error', () => {});
      client.on('end', () => {
        listener = undefined;
        listenerReady = undefined;
        if (!closed && handlers.size > 0) setTimeout(() => reconnect(), 1_000).unref();
      });
      client.on('notification', (msg) => {
        for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
      });
      await client.connect();
      for (const channel of handlers.keys()) await client.query(`LISTEN "${channel}"`);
      listener = client;
      return client;
    })();
    try {
      return await listenerReady;
    } catch (err) {
      listenerReady = undefined;
      throw err;
    }
  }
  function reconnect() {
    ensureListener()
      .then(() => {
        // Wake every listener so it re-reads what it may have missed while disconnected.
        for (const set of handlers.values()) for (const h of set) h('');
      })
      .catch(() => setTimeout(() => reconnect(), 1_000).unref());
  }

  return {
    kind: 'postgres',
    db,
    connectionString,
    async query<T>(query: SQL, executor?: Executor) {
      return rows<T>(executor ?? db, query);
    },
    async prepared<T>(query: SQL) {
      const { sql: text, params } = dialect.sqlToQuery(query);
      let name = statementNames.get(text);
      if (!name) {
        name = `p_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
        statementNames.set(text, name);
      }
      const result = await pool.query({ name, text, values: params as unknown[] });
      return result.rows as T[];
    },
    async exec(script) {
      await pool.query(script);
    },
    async ping(timeoutMs = 2_000) {
      return pingWith(() => pool.query('SELECT 1'), timeoutMs);
    },
    async notify(channel, payload, executor) {
      await (executor ?? db).execute(sql`SELECT pg_notify(${channel}, ${payload})`);
    },
    async listen(channel, onPayload) {
      const isNew = !handlers.has(channel);
      if (isNew) handlers.set(channel, new Set());
      handlers.get(channel)!.add(onPayload);
      try {
        const client = await ensureListener();
        if (isNew) await client.query(`LISTEN "${channel}"`);
      } catch {
        // PostgreSQL is down: polling covers the gap, and the listener reconnects later.
        setTimeout(() => reconnect(), 1_000).unref();
      }
      return async () => {
        handlers.get(channel)?.delete(onPayload);
      };
    },
    async close() {
      closed = true;
      if (listener) await listener.end().catch(() => {});
      await pool.end();
    },
  };
}

async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  await client.waitReady;
  await client.exec(`SET TimeZone = 'UTC'`);
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  let closed = false;
  return {
    kind: 'pglite',
    db,
    pglite: client,
    async query<T>(query: SQL, executor?: Executor) {
      return rows<T>(executor ?? db, query);
    },
    async prepared<T>(query: SQL) {
      return rows<T>(db, query);
    },
    async exec(script) {
      await client.exec(script);
    },
    async ping(timeoutMs = 2_000) {
      if (closed) return false;
      return pingWith(() => client.query('SELECT 1'), timeoutMs);
    },
    async notify(channel, payload) {
      // Delivered after the current tick, so a listener reading the table sees the commit
      // (callers notify after their transaction has committed).
      setImmediate(() => bus.emit(channel, payload));
    },
    async listen(channel, onPayload) {
      bus.on(channel, onPayload);
      return async () => {
        bus.off(channel, onPayload);
      };
    },
    async close() {
      closed = true;
      await client.close();
    },
  };
}

async function pingWith(fn: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
