// The problem+json schema every route documents for its errors.
import { z } from 'zod';

const problemObject = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
  })
  .passthrough();

// The document states the error media type: the zod type provider can only describe a response
// as application/json, but @fastify/swagger takes a response's `content` as given, so the JSON
// Schema travels in the metadata (documentation only: validation and serialisation use the zod
// schema itself).
const { $schema: _drop, ...problemJsonSchema } = z.toJSONSchema(problemObject, { io: 'output', target: 'draft-2020-12' });

const validationExample = { type: 'https://woodstock.example/problems/validation_failed', title: 'Bad Request', status: 400, detail: 'querystring.limit: Too big: expected number to be <=200', code: 'validation_failed' };

/** A problem+json error response, documented with one example. */
export function problemResponse(example: { status: number; code: string; detail: string; title?: string }, description = 'Error (RFC 9457 problem details)') {
  const full = { type: `https://woodstock.example/problems/${example.code}`, title: example.title ?? 'Error', ...example };
  return problemObject.meta({
    description,
    content: { 'application/problem+json': { schema: { ...problemJsonSchema, description: 'RFC 9457 problem details; `code` is stable' }, example: full } },
  });
}

export const problemSchema = problemResponse({ ...validationExample }, 'RFC 9457 problem details');

/** The usual error responses, each with a typical example. */
export const problemResponses = {
  400: problemResponse({ status: 400, title: 'Bad Request', code: 'validation_failed', detail: validationExample.detail }, 'Bad input (problem+json; code `validation_failed` or a more specific one)'),
  401: problemResponse({ status: 401, title: 'Unauthorized', code: 'unauthorized', detail: 'A valid API key is required: Authorization: Bearer <key>' }, 'Missing or invalid API key (problem+json, code `unauthorized`)'),
  404: problemResponse({ status: 404, title: 'Not Found', code: 'conversation_not_found', detail: 'Conversation 6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b not found' }, 'Not found (problem+json; e.g. `conversation_not_found`, `message_not_found`)'),
  413: problemResponse({ status: 413, title: 'Payload Too Large', code: 'payload_too_large', detail: 'Request body is too large' }, 'Body over 256 KiB (problem+json)'),
  429: problemResponse({ status: 429, title: 'Too Many Requests', code: 'rate_limited', detail: 'Too many requests: at most 120 per 1 minute. Try again shortly.' }, 'Rate limited (problem+json, code `rate_limited`)'),
  503: problemResponse({ status: 503, title: 'Service Unavailable', code: 'service_unavailable', detail: 'The database is unreachable; try again shortly' }, 'The database is unreachable (problem+json, code `service_unavailable`; retry after `Retry-After`)'),
} as const;
