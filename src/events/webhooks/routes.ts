// /api/webhooks: endpoints, their delivery log, test-fire, replay and secret rotation; and the
// seed's POST /webhook/inbox/new-message. Every route needs an API key. Routes parse, call one
// store function and shape the answer; a change that queues deliveries wakes the workers.
import { parseClientTime } from '../../shared/time.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticateApiKey, bearerToken } from '../../auth/index.ts';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { AppError, unauthorized } from '../../shared/errors.ts';
import { problemResponse, problemResponses } from '../../shared/problem-schema.ts';
import {
  DELIVERIES_CHANNEL,
  getDelivery,
  listDeliveries,
  queueTestDelivery,
  replayDelivery,
  replaySince,
  resendMessageEvent,
} from './delivery-store.ts';
import { createEndpoint, deleteEndpoint, listEndpoints, requireEndpoint, rotateSecret, updateEndpoint } from './endpoint-store.ts';
import { installWebhookOutbox } from './outbox.ts';
import { deliveryPageSchema, deliverySchema, endpointListSchema, endpointSchema, endpointWithSecretSchema, eventTypeSchema, presentEndpoint } from './presenters.ts';
import { checkEndpointUrl } from './url-policy.ts';

export interface WebhookRouteDeps {
  config: Config;
  database: Database;
}

const uuid = z.string().uuid({ message: 'must be a UUID' });
const endpointId = uuid.meta({ description: 'The webhook endpoint id (a UUID)', example: '6f1d1c9e-3b8a-4f7e-9a51-0c2f4d7e8b10' });
const idParams = z.object({ id: endpointId });
// A real calendar time (2026-02-30 is refused here as a 400, not passed to SQL to fail as a 500).
const isoDate = z.string().refine((s) => parseClientTime(s) !== null, 'must be an ISO 8601 date-time (a real calendar date, years 1–9999)');
const eventTypesField = z
  .array(eventTypeSchema)
  .min(1, 'give at least one event type, or null for all')
  .max(20)
  .transform((list) => [...new Set(list)]);

const createBody = z
  .object({
    url: z.string().min(1).max(2000).meta({ description: 'http(s) URL that receives POSTs; private and loopback addresses are refused unless WEBHOOK_ALLOW_PRIVATE=true' }),
    event_types: eventTypesField.nullable().optional().meta({ description: 'Omit or null: every event type' }),
    description: z.string().trim().max(500).nullable().optional(),
  })
  .strict()
  .meta({ example: { url: 'https://inbox.example.com/hooks/woodstock', event_types: ['message.created', 'conversation.handoff_requested'], description: 'Inbox team' } });

const patchBody = z
  .object({
    url: z.string().min(1).max(2000).optional(),
    event_types: eventTypesField.nullable().optional(),
    description: z.string().trim().max(500).nullable().optional(),
    enabled: z.boolean().optional().meta({ description: 'false cancels what is still pending (replay brings it back); true clears disabled_reason' }),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'send at least one field to change')
  .meta({ example: { enabled: true, event_types: null } });

const replayBody = z
  .object({
    since: isoDate.optional().meta({ description: 'Re-send every retained event since this time that the endpoint subscribes to' }),
    delivery_id: z.number().int().positive().optional().meta({ description: 'Re-send one delivery (e.g. a dead one)' }),
  })
  .strict()
  .refine((b) => (b.since === undefined) !== (b.delivery_id === undefined), 'give either since or delivery_id')
  .meta({ example: { since: '2026-11-25T00:00:00Z' } });

const rotateBody = z
  .object({
    previous_secret_valid_for_s: z.number().int().min(0).max(7 * 86_400).optional().meta({ description: 'How long the old secret keeps signing too (default 86400: 24 hours; 0: stop at once)' }),
  })
  .strict()
  .nullish()
  .meta({ example: { previous_secret_valid_for_s: 86_400 } });

const newMessageBody = z
  .object({ conversation_id: uuid, message_id: uuid })
  .strict()
  .meta({ example: { conversation_id: '11111111-1111-4111-8111-111111111111', message_id: '8a6b7c2d-1e3f-4a5b-9c8d-7e6f5a4b3c2d' } });

const secured = { security: [{ apiKey: [] }] };
const notFound = problemResponse({ status: 404, title: 'Not Found', code: 'webhook_not_found', detail: 'Webhook endpoint 6f1d1c9e-3b8a-4f7e-9a51-0c2f4d7e8b10 not found' }, 'Not found (problem+json; `webhook_not_found`, `delivery_not_found`, `message_not_found`, `event_not_found`)');
const badUrl = problemResponse(
  { status: 400, title: 'Bad Request', code: 'invalid_webhook_url', detail: 'url: 127.0.0.1 resolves to 127.0.0.1, a loopback, private or link-local address; webhooks must reach a public address (the operator can set WEBHOOK_ALLOW_PRIVATE=true)' },
  'Bad input (problem+json; `validation_failed`, or `invalid_webhook_url` for a URL that is not http(s), carries credentials, or points at a private address)',
);
const conflict = problemResponse(
  { status: 409, title: 'Conflict', code: 'endpoint_disabled', detail: 'The endpoint is disabled: enable it first' },
  'Conflict (problem+json; `endpoint_disabled`, `endpoint_managed_by_env` for the WEBHOOK_URL endpoint, `event_expired` for an event past retention)',
);
const errors = { 400: problemResponses[400], 401: problemResponses[401], 404: notFound, 503: problemResponses[503] };
const tags = ['Webhooks'];

const replayResult = z
  .object({
    queued: z.number().int().meta({ description: 'Deliveries queued (events already waiting for this endpoint are not queued twice)' }),
    delivery_id: z.number().int().nullable().meta({ description: 'With `delivery_id`: the new (or already pending) delivery' }),
  })
  .meta({ id: 'WebhookReplayResult', description: 'What was queued', examples: [{ queued: 42, delivery_id: null }] });
const resendResult = z
  .object({
    event_id: z.number().int().meta({ description: 'The message.created event: the webhook-id of the re-sent deliveries' }),
    queued: z.number().int(),
    endpoints: z.number().int().meta({ description: 'Enabled endpoints that subscribe to message.created' }),
  })
  .meta({ description: 'The re-sent notification', examples: [{ event_id: 90211, queued: 1, endpoints: 1 }] });

export async function registerWebhookRoutes(appBase: FastifyInstance, deps: WebhookRouteDeps): Promise<void> {
  const { database, config } = deps;
  installWebhookOutbox({ retrySchedule: config.WEBHOOK_RETRY_SCHEDULE });
  const announce = () => database.notify(DELIVERIES_CHANNEL, '').catch(() => {});
  const checkUrl = (url: string) => checkEndpointUrl(url, { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE === true });

  await appBase.register(async (scope) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', async (req) => {
      const principal = await authenticateApiKey(database.db, bearerToken(req.headers), config.INBOX_API_KEY);
      if (!principal) throw unauthorized();
    });

    app.get('/api/webhooks', {
      schema: { tags, summary: 'Webhook endpoints', ...secured, response: { 200: endpointListSchema, 401: problemResponses[401], 503: problemResponses[503] } },
    }, async () => ({ data: (await listEndpoints(database.db)).map(presentEndpoint) }));

    app.post('/api/webhooks', {
      schema: {
        tags,
        summary: 'Add an endpoint (its signing secret is shown only in this answer)',
        description: 'Deliveries follow Standard Webhooks: headers `webhook-id` (the event id), `webhook-timestamp`, `webhook-signature`; body `{type, timestamp, data}`. Verify with the `standardwebhooks` library and the returned `secret`.',
        body: createBody,
        ...secured,
        response: { 201: endpointWithSecretSchema, ...errors, 400: badUrl },
      },
    }, async (req, reply) => {
      const url = await checkUrl(req.body.url);
      const created = await createEndpoint(database.db, { url, eventTypes: req.body.event_types ?? null, description: req.body.description ?? null });
      return reply.status(201).send({ ...presentEndpoint(created), secret: created.secret });
    });

    app.get('/api/webhooks/:id', {
      schema: { tags, summary: 'One endpoint', params: idParams, ...secured, response: { 200: endpointSchema, ...errors } },
    }, async (req) => presentEndpoint(await requireEndpoint(database.db, req.params.id)));

    app.patch('/api/webhooks/:id', {
      schema: {
        tags,
        summary: 'Change the URL, event types, description, or enable / disable',
        params: idParams,
        body: patchBody,
        ...secured,
        response: { 200: endpointSchema, ...errors, 400: badUrl, 409: conflict },
      },
    }, async (req) => {
      const existing = await requireEndpoint(database.db, req.params.id);
      const url = req.body.url !== undefined && req.body.url !== existing.url && existing.source !== 'env' ? await checkUrl(req.body.url) : req.body.url;
      const updated = await updateEndpoint(database, req.params.id, { url, eventTypes: req.body.event_types, description: req.body.description, enabled: req.body.enabled });
      return presentEndpoint(updated);
    });

    app.delete('/api/webhooks/:id', {
      schema: { tags, summary: 'Remove an endpoint and its delivery log', params: idParams, ...secured, response: { 204: z.null().meta({ description: 'Deleted' }), ...errors, 409: conflict } },
    }, async (req, reply) => {
      await deleteEndpoint(database, req.params.id);
      return reply.status(204).send(null);
    });

    app.get('/api/webhooks/:id/deliveries', {
      schema: {
        tags,
        summary: 'The delivery log, newest first, each delivery with its attempts',
        description: 'Page with `before` = `next_before` of the previous page. Filter with `status` (e.g. `dead`) or `event_id`.',
        params: idParams,
        querystring: z.object({
          status: z.enum(['pending', 'succeeded', 'dead', 'cancelled']).optional().meta({ description: 'Only deliveries in this state', example: 'dead' }),
          event_id: z.coerce.number().int().min(0).optional().meta({ description: 'Only deliveries of this event (webhook-id)', example: 90211 }),
          limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'Page size (1–200)', example: 50 }),
          before: z.coerce.number().int().min(1).optional().meta({ description: 'The `next_before` of the previous page', example: 4812 }),
        }),
        ...secured,
        response: { 200: deliveryPageSchema, ...errors },
      },
    }, async (req) => {
      await requireEndpoint(database.db, req.params.id);
      const { status, limit, before, event_id: eventId } = req.query;
      const page = await listDeliveries(database.db, { endpointId: req.params.id, status, limit, before, eventId });
      return { data: page.data, next_before: page.nextBefore };
    });

    app.get('/api/webhooks/:id/deliveries/:delivery_id', {
      schema: {
        tags,
        summary: 'One delivery with its attempts',
        params: z.object({ id: endpointId, delivery_id: z.coerce.number().int().min(1).meta({ description: 'The delivery id', example: 4812 }) }),
        ...secured,
        response: { 200: deliverySchema, ...errors },
      },
    }, async (req) => {
      const found = await getDelivery(database.db, req.params.id, req.params.delivery_id);
      if (!found) throw new AppError('delivery_not_found', `Delivery ${req.params.delivery_id} not found for this endpoint`, 404);
      return found;
    });

    app.post('/api/webhooks/:id/test', {
      schema: {
        tags,
        summary: 'Send a synthetic webhook.test delivery through the same pipeline',
        description: 'Sent even when the endpoint filters event types. Follow it in the delivery log.',
        params: idParams,
        ...secured,
        response: { 202: deliverySchema, ...errors, 409: conflict },
      },
    }, async (req, reply) => {
      const endpoint = await requireEndpoint(database.db, req.params.id);
      if (!endpoint.enabled) throw new AppError('endpoint_disabled', 'The endpoint is disabled: enable it first', 409);
      const delivery = await queueTestDelivery(database.db, endpoint);
      await announce();
      return reply.status(202).send(delivery);
    });

    app.post('/api/webhooks/:id/replay', {
      schema: {
        tags,
        summary: 'Re-send events since a time, or one delivery',
        description: 'Re-sent deliveries keep their webhook-id (the event id), so receivers that dedupe on it stay correct. Events already waiting for this endpoint are not queued twice.',
        params: idParams,
        body: replayBody,
        ...secured,
        response: { 202: replayResult, ...errors, 409: conflict },
      },
    }, async (req, reply) => {
      const endpoint = await requireEndpoint(database.db, req.params.id);
      if (!endpoint.enabled) throw new AppError('endpoint_disabled', 'The endpoint is disabled: enable it first', 409);
      let result: { queued: number; delivery_id: number | null };
      if (req.body.delivery_id !== undefined) {
        const r = await replayDelivery(database.db, endpoint, req.body.delivery_id);
        result = { queued: r.queued ? 1 : 0, delivery_id: r.delivery.id };
      } else {
        result = { queued: await replaySince(database.db, endpoint, parseClientTime(req.body.since!)!), delivery_id: null };
      }
      await announce();
      return reply.status(202).send(result);
    });

    app.post('/api/webhooks/:id/rotate-secret', {
      schema: {
        tags,
        summary: 'A new signing secret (shown only in this answer); the old one keeps signing during the window',
        description: 'During the window every delivery carries two `v1,` signatures in `webhook-signature`, one per secret, so receivers verify with either. The body is optional.',
        params: idParams,
        body: rotateBody,
        ...secured,
        response: { 200: endpointWithSecretSchema, ...errors, 409: conflict },
      },
    }, async (req) => {
      const rotated = await rotateSecret(database.db, req.params.id, { windowS: req.body?.previous_secret_valid_for_s });
      return { ...presentEndpoint(rotated), secret: rotated.secret };
    });

    app.post('/webhook/inbox/new-message', {
      schema: {
        tags,
        summary: "The seed's path: re-send the notification of an existing message",
        description: "Finds the message's `message.created` event and queues it again to every enabled endpoint that subscribes to it, with the same webhook-id.",
        body: newMessageBody,
        ...secured,
        response: { 202: resendResult, ...errors },
      },
    }, async (req, reply) => {
      const r = await resendMessageEvent(database.db, { conversationId: req.body.conversation_id, messageId: req.body.message_id });
      await announce();
      return reply.status(202).send({ event_id: r.eventId, queued: r.queued, endpoints: r.endpoints });
    });
  });
}
