// When the next attempt happens. WEBHOOK_RETRY_SCHEDULE lists the seconds to wait before each
// attempt: the first value before attempt 1 (0: at once), the second after attempt 1 failed, and
// so on; its length is the number of attempts. Waits get ±10% jitter so a recovering receiver is
// not hit by every retry in the same instant. A Retry-After answer is honoured when it asks for
// more time than the schedule, up to a cap, so one header cannot park a delivery for days.

export const JITTER = 0.1;
export const RETRY_AFTER_CAP_MS = 3_600_000;

export type Outcome = { kind: 'retry'; delayMs: number } | { kind: 'dead' };

/**
 * After attempt `attemptNo` (1-based) failed: retry after a delay, or give up.
 * `retryAfterMs` is the receiver's Retry-After, if it sent one.
 */
export function nextAttempt(opts: { schedule: number[]; attemptNo: number; retryAfterMs?: number | null; random?: () => number }): Outcome {
  const { schedule, attemptNo } = opts;
  if (attemptNo >= schedule.length) return { kind: 'dead' };
  const scheduled = withJitter(schedule[attemptNo]! * 1000, opts.random ?? Math.random);
  const asked = opts.retryAfterMs == null ? 0 : Math.min(Math.max(0, opts.retryAfterMs), RETRY_AFTER_CAP_MS);
  return { kind: 'retry', delayMs: Math.round(Math.max(scheduled, asked)) };
}

export function withJitter(ms: number, random: () => number = Math.random): number {
  return ms * (1 - JITTER + 2 * JITTER * random());
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). Null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return null;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/^[A-Za-z]{3},? /.test(v)) return null; // an HTTP date starts with the day name
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}
