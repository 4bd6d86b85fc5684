// Webhook endpoints and deliveries as the API shows them.
import { z } from 'zod';
import { eventTypes } from '../event-log.ts';
import type { EndpointRow } from './endpoint-store.ts';

const when = (v: Date | string | null): string | null => {
  if (v === null) return null;
  const d = v instanceof Date ? v : new Date(v.includes('T') ? v : v.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  return d.toISOString();
};

const endpointExample = {
  id: '6f1d1c9e-3b8a-4f7e-9a51-0c2f4d7e8b10',
  url: 'https://inbox.example.com/hooks/woodstock',
  description: 'Inbox team',
  event_types: ['message.created', 'conversation.handoff_requested'],
  enabled: true,
  disabled_reason: null,
  source: 'api' as const,
  previous_secret_expires_at: null,
  created_at: '2026-11-25T14:03:07.000Z',
  updated_at: '2026-11-25T14:03:07.000Z',
};

const endpointFields = {
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  event_types: z.array(z.string()).nullable().meta({ description: 'The event types sent to this endpoint; null: all of them' }),
  enabled: z.boolean(),
  disabled_reason: z.string().nullable().meta({ description: 'Why it is disabled (through the API or the CLI, or after a 410 Gone answer)' }),
  source: z.enum(['api', 'env']).meta({ description: '`env`: the operator\'s endpoint from WEBHOOK_URL' }),
  previous_secret_expires_at: z.string().nullable().meta({ description: 'During a secret rotation: until when the previous secret also signs' }),
  created_at: z.string(),
  updated_at: z.string(),
};

export const endpointSchema = z
  .object(endpointFields)
  .meta({ id: 'WebhookEndpoint', description: 'A webhook endpoint (its secret is never shown again after creation or rotation)', examples: [endpointExample] });

export const endpointWithSecretSchema = z
  .object({
    ...endpointFields,
    secret: z.string().meta({ description: 'The Standard Webhooks signing secret (whsec_…). Shown only now: store it.' }),
  })
  .meta({
    id: 'WebhookEndpointWithSecret',
    description: 'A webhook endpoint with its signing secret, shown only when created or rotated',
    examples: [{ ...endpointExample, event_types: null, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }],
  });

export const endpointListSchema = z
  .object({ data: z.array(endpointSchema) })
  .meta({ description: 'Every webhook endpoint, oldest first', examples: [{ data: [endpointExample] }] });

export function presentEndpoint(e: EndpointRow) {
  const prevUntil = when(e.previous_secret_expires_at);
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    event_types: e.event_types,
    enabled: e.enabled,
    disabled_reason: e.disabled_reason,
    source: e.source,
    previous_secret_expires_at: e.previous_secret && prevUntil && Date.parse(prevUntil) > Date.now() ? prevUntil : null,
    created_at: when(e.created_at)!,
    updated_at: when(e.updated_at)!,
  };
}

export const attemptSchema = z.object({
  attempt_no: z.number().int(),
  started_at: z.string(),
  duration_ms: z.number().int(),
  status_code: z.number().int().nullable(),
  error: z.string().nullable(),
  response_excerpt: z.string().nullable().meta({ description: 'The first 500 characters of the answer' }),
});

const deliveryExample = {
  id: 4812,
  endpoint_id: '6f1d1c9e-3b8a-4f7e-9a51-0c2f4d7e8b10',
  event_id: 90211,
  event_type: 'message.created',
  webhook_id: '90211',
  origin: 'event' as const,
  status: 'succeeded' as const,
  attempt_count: 2,
  next_attempt_at: null,
  last_status_code: 200,
  last_error: null,
  created_at: '2026-11-25T14:03:07.120Z',
  completed_at: '2026-11-25T14:03:12.411Z',
  attempts: [
    { attempt_no: 1, started_at: '2026-11-25T14:03:07.125Z', duration_ms: 31, status_code: 503, error: 'HTTP 503', response_excerpt: 'upstream unavailable' },
    { attempt_no: 2, started_at: '2026-11-25T14:03:12.380Z', duration_ms: 28, status_code: 200, error: null, response_excerpt: 'ok' },
  ],
};

export const deliverySchema = z
  .object({
    id: z.number().int(),
    endpoint_id: z.string(),
    event_id: z.number().int().nullable().meta({ description: 'null for a test delivery' }),
    event_type: z.string().nullable(),
    webhook_id: z.string().meta({ description: 'The webhook-id header: the event id (test deliveries: test_…)' }),
    origin: z.enum(['event', 'replay', 'resend', 'test']).meta({ description: 'What queued it: the event itself, a replay, the seed\'s re-send path, or a test-fire' }),
    status: z.enum(['pending', 'succeeded', 'dead', 'cancelled']).meta({
      description: '`pending`: waiting for an attempt or a retry; `succeeded`: a 2xx answer; `dead`: every attempt failed (or 410); `cancelled`: the endpoint was disabled first. Dead and cancelled deliveries can be replayed.',
    }),
    attempt_count: z.number().int(),
    next_attempt_at: z.string().nullable().meta({ description: 'While pending: when the next attempt is due' }),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    completed_at: z.string().nullable(),
    attempts: z.array(attemptSchema),
  })
  .meta({ id: 'WebhookDelivery', description: 'One delivery of an event to an endpoint, with every attempt', examples: [deliveryExample] });

export const deliveryPageSchema = z
  .object({
    data: z.array(deliverySchema),
    next_before: z.number().int().nullable().meta({ description: 'Pass as `before` for the next (older) page; null on the last page' }),
  })
  .meta({ description: 'Deliveries, newest first', examples: [{ data: [deliveryExample], next_before: null }] });

export const eventTypeSchema = z.enum(eventTypes as [string, ...string[]]);
