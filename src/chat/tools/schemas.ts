// Zod pieces shared by the tools' input schemas. Models sometimes send null for an optional field,
// a number for an id, or "#1042" for an order: all are accepted and normalised here.
import { z } from 'zod';

/** A LOFT id: text or a number, trimmed, without a leading "#". */
export const loftId = (description: string) =>
  z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim().replace(/^#/, ''))
    .pipe(z.string().min(1, 'must not be empty').max(64))
    .describe(description);

export const optionalLoftId = (description: string) =>
  z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (v === null || v === undefined ? undefined : String(v).trim().replace(/^#/, '') || undefined))
    .pipe(z.string().max(64).optional())
    .describe(description);

export const requiredText = (max: number, description: string) =>
  z.string().trim().min(1, 'must not be empty').max(max).describe(description);

/** Optional text: null, missing and blank all mean "not given". */
export const optionalText = (max: number, description: string) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => v || undefined)
    .describe(description);

export const optionalEnum = <const T extends readonly [string, ...string[]]>(values: T, description: string) =>
  z
    .enum(values)
    .nullish()
    .transform((v) => v ?? undefined)
    .describe(description);

export const optionalPrice = (description: string) =>
  z
    .number()
    .positive()
    .max(100_000)
    .nullish()
    .transform((v) => v ?? undefined)
    .describe(description);
