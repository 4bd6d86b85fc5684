// buildApp(deps): the whole HTTP surface as one Fastify instance. main.ts listens on it; tests
// build the same thing and call it with inject() or a real socket.
import { randomBytes, randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { AppError, problem } from './shared/errors.ts';
import { loggerOptions } from './shared/logger.ts';
import type { Logger } from './shared/logger.ts';
import { registerWeb } from './web.ts';
import { problemSchema } from './shared/problem-schema.ts';
export { problemSchema };
import rateLimit from '@fastify/rate-limit';
import { chooseModel } from './chat/providers.ts';
import { registerChatRoutes } from './chat/routes.ts';
import { EventFeed } from './events/feed.ts';
import { registerInboxRoutes } from './inbox/routes.ts';
import { registerRealtime } from './events/realtime.ts';
import { loftCalls, registerMetrics } from './metrics.ts';
import { authenticateApiKey } from './auth/index.ts';
import { startEnrichment } from './enrichment/index.ts';
import { registerWebhookRoutes } from './events/webhooks/index.ts';
import { createLoftHttpClient, createSandboxCatalog, createSandboxLoftClient, registerLoftSandbox, showrooms } from './loft/index.ts';
import type { LoftClient } from './loft/types.ts';
import type { LanguageModel } from 'ai';

export interface AppDeps {
  config: Config;
  database: Database;
  logger?: Logger | false;
  /** replace the language model (tests use mock models) */
  model?: { model: LanguageModel; name: string };
  /** replace the LOFT client (tests use local fakes) */
  loft?: LoftClient;
  /** keep conversations enriched live (main.ts: true; tests opt in) */
  enrichment?: boolean;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const app: FastifyInstance = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger as FastifyBaseLogger } : { logger: deps.logger === false ? false : loggerOptions(config.LOG_LEVEL) }),
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: 256 * 1024,
    // Requests finish before close resolves; keep-alive sockets are closed promptly on shutdown.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // Errors Fastify raises before any route runs (a malformed percent-encoding in the path, a
    // path parameter over maxParamLength) are client mistakes too: problem+json like the rest,
    // not Fastify's own JSON shape.
    frameworkErrors: (error, _req, reply) => {
      const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : error.code === 'FST_ERR_BAD_URL' ? 400 : (error.statusCode ?? 500);
      const code = status === 414 ? 'uri_too_long' : status === 400 ? 'bad_url' : 'internal_error';
      const detail = status === 414 ? 'A path segment is too long' : status === 400 ? 'The URL is not valid (malformed percent-encoding)' : 'Internal error';
      (reply as FastifyReply).code(status).type('application/problem+json').send(JSON.stringify(problem(status, code, detail)));
    },
    // Errors Node's HTTP parser raises (headers or URL over 16 KiB, a malformed request line)
    // never reach a route: answer them in problem+json on the raw socket, then close it, as
    // Fastify's default handler does with its own JSON.
    clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      const p = err.code === 'HPE_HEADER_OVERFLOW' ? problem(431, 'headers_too_large', 'The request line and headers exceed 16 KiB')
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? problem(408, 'request_timeout', 'The request took too long to arrive')
        : problem(400, 'bad_request', 'The request is not valid HTTP');
      const body = JSON.stringify(p);
      if (socket.writable) {
        socket.write(`HTTP/1.1 ${p.status} ${p.title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      }
      socket.destroy(err);
    },
  });

  // An empty JSON body (e.g. POST .../mark-read with a JSON content type) is "no body", not an
  // error; anything else goes through Fastify's own safe parser.
  const jsonParser = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    jsonParser(req, text, done);
  });
  // PostgreSQL text cannot hold U+0000, so a NUL character anywhere in the input is refused
  // (400 validation_failed naming the field) before validation, instead of failing as a 500 when
  // it reaches the database. Authentication still comes first.
  app.addHook('preValidation', async (req) => {
    rejectNul(req.params, 'params');
    rejectNul(req.query, 'querystring');
    rejectNul(req.body, 'body');
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', deps);

  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-request-id', req.id);
    // Every error is problem+json, including those answered without a body by a plugin: a plain
    // GET (no Upgrade) to a WebSocket route gets @fastify/websocket's bare 404, which becomes a
    // 426 saying how to connect.
    if (reply.statusCode >= 400 && (payload === undefined || payload === null || payload === '')) {
      const route = req.routeOptions.url;
      if (reply.statusCode === 404 && route && webSocketRoutes.has(route) && !req.headers.upgrade) {
        reply.code(426).header('upgrade', 'websocket');
        reply.type('application/problem+json');
        return JSON.stringify(problem(426, 'websocket_required', `${route} is a WebSocket endpoint: connect with a WebSocket client (Upgrade: websocket)`));
      }
      reply.type('application/problem+json');
      return JSON.stringify(problem(reply.statusCode, codeFor(reply.statusCode), `${req.method} ${req.url.split('?')[0]} failed with status ${reply.statusCode}`));
    }
    return payload;
  });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof AppError) {
      return reply.status(error.status).type('application/problem+json').send(problem(error.status, error.code, error.message, error.extra));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        location: error.validationContext ?? 'request',
        path: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
        message: v.message ?? 'invalid',
      }));
      const detail = issues.map((i) => `${i.location}${i.path ? `.${i.path}` : ''}: ${i.message}`).join('; ');
      return reply.status(400).type('application/problem+json').send(problem(400, 'validation_failed', detail, { issues }));
    }
    if (isResponseSerializationError(error)) {
      req.log.error({ err: error }, 'response did not match its schema');
      return reply.status(500).type('application/problem+json').send(problem(500, 'internal_error', 'Internal error'));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).type('application/problem+json').send(problem(status, codeFor(status), error.message));
    }
    if (isDatabaseUnavailable(error)) {
      req.log.warn({ err: { message: error.message } }, 'database unavailable');
      return reply.status(503).header('retry-after', '2').type('application/problem+json')
        .send(problem(503, 'service_unavailable', 'The database is unreachable; try again shortly'));
    }
    req.log.error({ err: error }, 'unhandled error');
    return reply.status(500).type('application/problem+json').send(problem(500, 'internal_error', 'Internal error'));
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).type('application/problem+json').send(problem(404, 'route_not_found', `No route ${req.method} ${req.url.split('?')[0]}`));
  });

  registerMetrics(app, database);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Woodstock Outlet assistant and inbox API',
        version: '1.0.0',
        description: 'Customer chat (OpenAI-compatible), the inbox REST API, events and webhooks. Errors are application/problem+json.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An inbox API key' } },
      },
      // WebSocket routes are hidden by @fastify/websocket; they are documented here by hand.
      paths: {
        '/ws/inbox': {
          get: {
            tags: ['Events'],
            summary: 'WebSocket: every event live; subscribe with a cursor to replay what you missed',
            description: 'Upgrade to a WebSocket. Auth: `?token=<api key>` or `Authorization: Bearer <key>`. Server frames: `{"type":"event", id, event_type, conversation_id, data, occurred_at}`, `{"type":"new_message", conversation_id, message}`, `{"type":"ping"}`, `{"type":"reset", oldest_id}`, `{"type":"subscribed", after}`. Client frame: `{"type":"subscribe", "after": <id|null>, "conversation_id"?, "types"?}` (or connect with `?after=<id>`). A client that subscribes counts events from its `subscribed` acknowledgement on: from there every event after the cursor exactly once, in order. A fresh connection that does not subscribe within 250 ms gets every event from the moment it connected.',
            security: [{ apiKey: [] }],
            parameters: [
              { name: 'token', in: 'query', required: false, schema: { type: 'string' }, description: 'API key (browsers cannot set headers on a WebSocket)' },
              { name: 'after', in: 'query', required: false, schema: { type: 'integer', minimum: 0 }, description: 'resume after this event id' },
            ],
            responses: {
              '101': { description: 'Switching protocols' },
              '401': { description: 'Missing or invalid API key', content: { 'application/problem+json': { schema: { type: 'object' }, example: { type: 'https://woodstock.example/problems/unauthorized', title: 'Unauthorized', status: 401, detail: 'A valid API key is required: Authorization: Bearer <key>', code: 'unauthorized' } } } },
            },
          },
        },
        '/ws/chat': {
          get: {
            tags: ['Customer chat'],
            summary: "WebSocket: human agents' replies for a session, live",
            description: 'Frames: `{"type":"message", id, message}` for an agent reply (never internal notes), `{"type":"handoff", status}`, `{"type":"ping"}`.',
            security: [],
            parameters: [
              { name: 'session_id', in: 'query', required: true, schema: { type: 'string' } },
              { name: 'after', in: 'query', required: false, schema: { type: 'integer', minimum: 0 } },
            ],
            responses: {
              '101': { description: 'Switching protocols' },
              '404': { description: 'No conversation for this session', content: { 'application/problem+json': { schema: { type: 'object' }, example: { type: 'https://woodstock.example/problems/session_not_found', title: 'Not Found', status: 404, detail: 'No conversation for this session', code: 'session_not_found' } } } },
            },
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    // named schemas (.meta({ id })) become components/schemas entries that routes $ref
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const zapp = app.withTypeProvider<ZodTypeProvider>();
  zapp.get('/health', {
    schema: {
      tags: ['Operations'],
      summary: 'Liveness: the process is up',
      response: { 200: z.object({ status: z.literal('ok'), version: z.string(), database: z.enum(['postgres', 'pglite']), uptime_s: z.number() }) },
    },
  }, async () => ({ status: 'ok' as const, version: '1.0.0', database: database.kind, uptime_s: Math.round(process.uptime()) }));

  zapp.get('/ready', {
    schema: {
      tags: ['Operations'],
      summary: 'Readiness: 200 while the database answers, 503 otherwise',
      response: { 200: z.object({ status: z.literal('ready'), database: z.string() }), 503: problemSchema },
    },
  }, async (_req, reply) => {
    if (await database.ping()) return { status: 'ready' as const, database: database.kind };
    return reply.status(503).type('application/problem+json').send(problem(503, 'not_ready', 'The database is unreachable'));
  });

  await registerWeb(app);

  // The live side of the event log (WebSocket, the customer's live channel).
  const feed = new EventFeed(database, { logger: app.log });
  await feed.start();
  app.decorate('feed', feed);
  app.addHook('onClose', async () => feed.stop());

  await app.register(rateLimit, { global: false, errorResponseBuilder: (_req, ctx) => {
    const err = new AppError('rate_limited', `Too many requests: at most ${ctx.max} per ${ctx.after}. Try again shortly.`, 429);
    return err;
  } });

  // LOFT: the retailer's API when configured, else the built-in sandbox through the same HTTP client.
  const sandboxToken = randomBytes(24).toString('base64url');
  await registerLoftSandbox(app, {
    database,
    accessToken: sandboxToken,
    isStaffKey: async (key) => !!(await authenticateApiKey(database.db, key, config.INBOX_API_KEY)),
  });
  const onCall = (i: { call: string; ms: number; outcome: string }) => loftCalls.observe({ call: i.call, outcome: i.outcome }, i.ms / 1000);
  const loft = deps.loft ?? (config.LOFT_BASE_URL
    ? createLoftHttpClient({ baseUrl: config.LOFT_BASE_URL, timeoutMs: config.LOFT_TIMEOUT_MS, logger: app.log, onCall })
    : createSandboxLoftClient(app, { timeoutMs: config.LOFT_TIMEOUT_MS, logger: app.log, onCall, accessToken: sandboxToken }));
  app.decorate('loft', loft);
  const catalog = createSandboxCatalog();
  const chosen = deps.model ?? chooseModel(config);
  await registerChatRoutes(app, { config, database, model: chosen.model, modelName: chosen.name, loft, catalog, showrooms, feed });
  await registerInboxRoutes(app, { config, database });
  await registerWebhookRoutes(app, { config, database }); // also installs the outbox hook
  await registerRealtime(app, { config, database, feed, heartbeatMs: config.WS_HEARTBEAT_MS, loft });

  if (deps.enrichment) {
    const enrichment = startEnrichment({ database, feed, loft, config, logger: app.log });
    app.decorate('enrichment', enrichment);
    app.addHook('onClose', async () => enrichment.stop());
  }
  return app;
}

/** The problem code of a 4xx raised by Fastify or a plugin (ours carry their own). */
function codeFor(status: number): string {
  return status === 413 ? 'payload_too_large'
    : status === 415 ? 'unsupported_media_type'
    : status === 429 ? 'rate_limited'
    : status === 404 ? 'not_found'
    : 'bad_request';
}

/** The WebSocket routes (they answer a plain GET without a body; see the onSend hook). */
const webSocketRoutes = new Set(['/ws/inbox', '/ws/chat']);

/**
 * Throws 400 validation_failed when a string (or an object key) in a parsed request part holds
 * U+0000. Iterative: a body may nest deeper than the call stack allows.
 */
function rejectNul(value: unknown, location: string): void {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) throw nulError(location, path);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const child = path ? `${path}.${k}` : k;
        if (k.includes('\u0000')) throw nulError(location, child);
        stack.push([x, child]);
      }
    }
  }
}

function nulError(location: string, path: string): AppError {
  const message = 'must not contain the NUL character (U+0000)';
  return new AppError('validation_failed', `${location}${path ? `.${path}` : ''}: ${message}`, 400, { issues: [{ location, path, message }] });
}

/** Connection-level failures (server down, restarting, refused): 503, never a 500. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string; cause?: unknown };
  if (!e) return false;
  const codes = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004'];
  if (e.code && codes.includes(e.code)) return true;
  const msg = e.message ?? '';
  if (/Connection terminated|timeout exceeded when trying to connect|the database system is (shutting down|starting up)|Client has encountered a connection error|PGlite is closed/i.test(msg)) return true;
  return e.cause ? isDatabaseUnavailable(e.cause) : false;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    feed: EventFeed;
    /** the LOFT client the app uses (the retailer's API, or the built-in sandbox) */
    loft: LoftClient;
    enrichment?: ReturnType<typeof startEnrichment>;
  }
}

