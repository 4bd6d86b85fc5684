// Building ToolResults, and turning a LOFT failure into one.
import type { LoftResult } from '../../loft/index.ts';
import type { ToolResult } from './types.ts';

export type ToolFailure = Extract<ToolResult<never>, { ok: false }>;

export const ok = <T>(data: T): ToolResult<T> => ({ ok: true, data });

export const failure = (error: ToolFailure['error'], message: string): ToolFailure => ({ ok: false, error, message });

/** LOFT's failure codes are a subset of ours, so the message (written for customers) carries over. */
export function fromLoftFailure(result: Extract<LoftResult<unknown>, { ok: false }>): ToolFailure {
  return failure(result.error, result.message);
}

export const money = (n: number): string =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);

export function readableDate(isoDate: string): string {
  const d = new Date(isoDate.length === 10 ? `${isoDate}T00:00:00Z` : isoDate);
  if (Number.isNaN(d.getTime())) return isoDate;
  return new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(d);
}

/** "a, b and c" */
export function listWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
