import { describe, expect, it } from 'vitest';
import { nextAttempt, parseRetryAfter, RETRY_AFTER_CAP_MS } from './retry.ts';

describe('retry schedule', () => {
  const schedule = [0, 5, 300];
  it('waits the next value of the schedule, with at most ±10% jitter', () => {
    expect(nextAttempt({ schedule, attemptNo: 1, random: () => 0.5 })).toEqual({ kind: 'retry', delayMs: 5000 });
    expect(nextAttempt({ schedule, attemptNo: 1, random: () => 0 })).toEqual({ kind: 'retry', delayMs: 4500 });
    expect(nextAttempt({ schedule, attemptNo: 2, random: () => 1 })).toEqual({ kind: 'retry', delayMs: 330_000 });
  });
  it('is dead after as many attempts as the schedule has values', () => {
    expect(nextAttempt({ schedule, attemptNo: 3 })).toEqual({ kind: 'dead' });
    expect(nextAttempt({ schedule: [0], attemptNo: 1 })).toEqual({ kind: 'dead' });
  });
  it('honours a longer Retry-After, up to the cap; a shorter one does not hurry the schedule', () => {
    expect(nextAttempt({ schedule, attemptNo: 1, retryAfterMs: 60_000, random: () => 0.5 })).toEqual({ kind: 'retry', delayMs: 60_000 });
    expect(nextAttempt({ schedule, attemptNo: 1, retryAfterMs: 1_000, random: () => 0.5 })).toEqual({ kind: 'retry', delayMs: 5_000 });
    expect(nextAttempt({ schedule, attemptNo: 1, retryAfterMs: 10 * 86_400_000, random: () => 0.5 })).toEqual({ kind: 'retry', delayMs: RETRY_AFTER_CAP_MS });
  });
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
  });
});
