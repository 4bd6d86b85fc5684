// Builds the real app (the same buildApp main.ts uses) on a test database, optionally listening
// on a real socket, with a known API key.
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/client.ts';

export const TEST_API_KEY = 'test-bootstrap-key-0123456789abcdef';
export const TEST_IDENTITY_SECRET = 'test-identity-secret-0123456789';

export interface TestApp {
  app: FastifyInstance;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startTestApp(opts: { database: Database; env?: Record<string, string>; listen?: boolean } & Pick<AppDeps, 'model' | 'loft'>): Promise<TestApp> {
  const config = loadConfig({ INBOX_API_KEY: TEST_API_KEY, IDENTITY_SECRET: TEST_IDENTITY_SECRET, LOG_LEVEL: 'silent', DATABASE_URL: '', ...opts.env });
  const app = await buildApp({ config, database: opts.database, logger: false, model: opts.model, loft: opts.loft });
  let baseUrl = '';
  if (opts.listen !== false) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  } else {
    await app.ready();
  }
  return { app, baseUrl, close: () => app.close() };
}

export const authHeaders = (key = TEST_API_KEY) => ({ authorization: `Bearer ${key}` });
