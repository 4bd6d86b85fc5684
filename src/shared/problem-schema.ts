// The problem+json schema every route documents for its errors.
import { z } from 'zod';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
  })
  .passthrough()
  .meta({ description: 'RFC 9457 problem details', example: { type: 'https://woodstock.example/problems/validation_failed', title: 'Bad Request', status: 400, detail: 'limit: must be at most 200', code: 'validation_failed' } });
