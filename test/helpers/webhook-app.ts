// The real app plus the webhook routes and a delivery worker, for webhook tests. Registers the
// routes itself only while buildApp does not (so it keeps working once app.ts wires them).
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Database } from '../../src/db/client.ts';
import { installWebhookOutbox, registerWebhookRoutes, startWebhookWorker, type WebhookWorker, type WebhookWorkerOptions } from '../../src/events/webhooks/index.ts';
import { TEST_API_KEY, TEST_IDENTITY_SECRET } from './app.ts';
import type { FastifyInstance } from 'fastify';

export interface WebhookTestApp {
  app: FastifyInstance;
  baseUrl: string;
  config: Config;
  worker: WebhookWorker | null;
  api<T = any>(path: string, init?: { method?: string; body?: unknown; key?: string | null }): Promise<{ status: number; body: T; contentType: string }>;
  close(): Promise<void>;
}

export async function startWebhookTestApp(opts: {
  database: Database;
  env?: Record<string, string>;
  worker?: boolean | Partial<Omit<WebhookWorkerOptions, 'database' | 'config'>>;
}): Promise<WebhookTestApp> {
  const config = loadConfig({ INBOX_API_KEY: TEST_API_KEY, IDENTITY_SECRET: TEST_IDENTITY_SECRET, LOG_LEVEL: 'silent', DATABASE_URL: '', ...opts.env });
  installWebhookOutbox({ retrySchedule: config.WEBHOOK_RETRY_SCHEDULE });
  const app = await buildApp({ config, database: opts.database, logger: false });
  if (!app.hasRoute({ method: 'GET', url: '/api/webhooks' })) await registerWebhookRoutes(app, { config, database: opts.database });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const worker =
    opts.worker === false ? null : await startWebhookWorker({ database: opts.database, config, ...(typeof opts.worker === 'object' ? opts.worker : {}) });
  return {
    app,
    baseUrl,
    config,
    worker,
    async api(path, init = {}) {
      const headers: Record<string, string> = {};
      if (init.key !== null) headers.authorization = `Bearer ${init.key ?? TEST_API_KEY}`;
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${baseUrl}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, contentType: res.headers.get('content-type') ?? '' };
    },
    async close() {
      await worker?.stop();
      await app.close();
    },
  };
}
