// Prometheus metrics at /metrics: HTTP latency by route, WebSocket clients, webhook deliveries
// (attempts, failures, backlog), LOFT and LLM latency and errors, event-log position.
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { sql } from 'drizzle-orm';
import type { Database } from './db/client.ts';
import { realtimeStats } from './events/realtime.ts';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency by route',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const loftCalls = new Histogram({
  name: 'loft_call_duration_seconds',
  help: 'LOFT call latency by call and outcome',
  labelNames: ['call', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
  registers: [registry],
});

export const llmTurns = new Histogram({
  name: 'llm_turn_duration_seconds',
  help: 'Agent turn latency (model and tools) by model and outcome',
  labelNames: ['model', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
  registers: [registry],
});

export const webhookAttempts = new Counter({
  name: 'webhook_attempts_total',
  help: 'Webhook delivery attempts by outcome',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

new Gauge({
  name: 'websocket_clients',
  help: 'Connected WebSocket clients',
  labelNames: ['channel'] as const,
  registers: [registry],
  collect() {
    this.set({ channel: 'inbox' }, realtimeStats.inboxClients);
    this.set({ channel: 'chat' }, realtimeStats.chatClients);
  },
});

new Gauge({
  name: 'websocket_clients_dropped',
  help: 'WebSocket clients dropped since start (slow: could not keep up; dead: missed heartbeats)',
  labelNames: ['reason'] as const,
  registers: [registry],
  collect() {
    this.set({ reason: 'slow' }, realtimeStats.droppedSlow);
    this.set({ reason: 'dead' }, realtimeStats.droppedDead);
  },
});

export const webhookAttemptDuration = new Histogram({
  name: 'webhook_attempt_duration_seconds',
  help: 'Webhook attempt latency (the receiver answering) by outcome',
  labelNames: ['outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});
// The backlog is read from the database at scrape time (any instance sees the shared outbox).
let backlogDatabase: Database | undefined;
new Gauge({
  name: 'webhook_deliveries',
  help: 'Webhook deliveries by status (pending = backlog, in_flight = leased now, dead = gave up)',
  labelNames: ['status'] as const,
  registers: [registry],
  async collect() {
    const rows = backlogDatabase
      ? await backlogDatabase.query<{ status: string; n: number }>(sql`
          SELECT CASE WHEN status = 'pending' AND lease_until > now() THEN 'in_flight' ELSE status END AS status, count(*)::int AS n
          FROM webhook_deliveries WHERE status IN ('pending', 'dead') GROUP BY 1`).catch(() => [])
      : [];
    this.reset();
    for (const s of ['pending', 'in_flight', 'dead']) this.set({ status: s }, rows.find((r) => r.status === s)?.n ?? 0);
  },
});
// How late the oldest due delivery is: the number to alert on (a backlog that is not draining),
// where the pending count alone also rises during a healthy burst.
new Gauge({
  name: 'webhook_oldest_due_seconds',
  help: 'Seconds since the oldest pending webhook delivery fell due (0 when none is overdue)',
  registers: [registry],
  async collect() {
    const [r] = backlogDatabase
      ? await backlogDatabase.query<{ s: number | string | null }>(sql`
          SELECT extract(epoch FROM now() - min(next_attempt_at)) AS s FROM webhook_deliveries
          WHERE status = 'pending' AND next_attempt_at <= now()`).catch(() => [])
      : [];
    this.set(Math.max(0, Number(r?.s ?? 0)));
  },
});

export function registerMetrics(app: FastifyInstance, database: Database): void {
  backlogDatabase = database;

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    httpDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { tags: ['Operations'], summary: 'Prometheus metrics' } }, async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
