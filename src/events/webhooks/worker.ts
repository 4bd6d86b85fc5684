// The delivery worker, one per process. It leases due deliveries (FOR UPDATE SKIP LOCKED, so any
// number of instances share the work and each delivery is attempted by one at a time), sends
// them, and records each attempt. Woken by NOTIFY after every event commit (PostgreSQL; in-process
// on PGlite), by its own timers for scheduled retries, and by a 1 s poll as the backstop.
//
// Isolation: each endpoint gets at most `perEndpoint` attempts at once and the process at most
// `maxInFlight`; an endpoint that hangs holds only its own slot until the timeout, so it never
// delays another endpoint. A slot that finishes leases its endpoint's next due delivery in the
// same statement that records the attempt (one round trip per delivery); when endpoints are
// waiting for a free slot, it hands the slot back instead, so a backlog cannot starve the others.
//
// One attempt at a time per endpoint (the default) keeps deliveries to an endpoint in event order
// and bounds duplicates after a crash: a process killed mid-attempt re-sends at most that one
// delivery per endpoint (the receiver may have taken it before we could record the answer).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { EVENTS_CHANNEL } from '../event-log.ts';
import {
  claimDue,
  DELIVERIES_CHANNEL,
  finishAttempt,
  msUntilNextDue,
  releaseLeases,
  type ClaimedDelivery,
  type ClaimOptions,
  type Finish,
} from './delivery-store.ts';
import { disableGoneEndpoint } from './endpoint-store.ts';
import { nextAttempt, parseRetryAfter } from './retry.ts';
import { sendAttempt, type AttemptResult } from './sender.ts';
import { signHeaders } from './signing.ts';

export interface WorkerLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WebhookWorkerOptions {
  database: Database;
  config: Pick<Config, 'WEBHOOK_RETRY_SCHEDULE' | 'WEBHOOK_TIMEOUT_MS' | 'WEBHOOK_ALLOW_PRIVATE'>;
  logger?: WorkerLogger;
  /** names this process in leased_by; default host-pid-random */
  instanceId?: string;
  /** attempts at once per endpoint in this process (default 1: in order, ≤ 1 re-send per endpoint after a crash) */
  perEndpoint?: number;
  /** attempts at once in this process (default 64) */
  maxInFlight?: number;
  /** rows leased per claim query (default 50) */
  claimBatch?: number;
  /** backstop poll (default 1000 ms) */
  pollMs?: number;
  /** at most one claim query per this many ms when nothing is backed up (default 10 ms) */
  minClaimGapMs?: number;
  /** how long a lease lasts; default WEBHOOK_TIMEOUT_MS + 10 s (an attempt plus recording it) */
  leaseMs?: number;
  /** how long stop() waits for running attempts (default 5000 ms) */
  stopTimeoutMs?: number;
  /** called after every attempt (metrics): succeeded, retry (failed, will retry) or dead */
  onAttempt?: (outcome: 'succeeded' | 'retry' | 'dead', durationMs: number) => void;
}

export interface WebhookWorker {
  readonly instanceId: string;
  /** something may be due: claim now */
  wake(): void;
  /** stops claiming, waits for running attempts (bounded), gives back the leases it did not finish */
  stop(): Promise<void>;
  /** counters, for tests and /metrics */
  stats(): { inFlight: number; attempts: number; succeeded: number; failed: number; claimQueries: number; chained: number };
}

const quiet: WorkerLogger = { debug() {}, info() {}, warn() {}, error() {} };

export async function startWebhookWorker(opts: WebhookWorkerOptions): Promise<WebhookWorker> {
  const { database, config } = opts;
  const log = opts.logger ?? quiet;
  const instanceId = opts.instanceId ?? `${hostname().slice(0, 30)}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const perEndpoint = opts.perEndpoint ?? 1;
  const maxInFlight = opts.maxInFlight ?? 64;
  const claimBatch = opts.claimBatch ?? 50;
  const pollMs = opts.pollMs ?? 1_000;
  const minClaimGapMs = opts.minClaimGapMs ?? 10;
  const leaseMs = opts.leaseMs ?? config.WEBHOOK_TIMEOUT_MS + 10_000;
  const schedule = config.WEBHOOK_RETRY_SCHEDULE;

  const busy = new Map<string, number>(); // endpoint id → attempts running
  const running = new Set<number>(); // delivery ids being attempted
  const slots = new Set<Promise<void>>();
  const abort = new AbortController();
  let stopping = false;
  let claiming = false;
  let claimAgain = false;
  let lastClaimAt = 0;
  let gapTimer: NodeJS.Timeout | undefined;
  let pollDue = false;
  /** the last claim filled every free slot: endpoints may be waiting for one */
  let saturated = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryAt = Infinity;
  /** local times at which retries this process scheduled fall due, ascending */
  const wakeTimes: number[] = [];
  const counters = { attempts: 0, succeeded: 0, failed: 0, claimQueries: 0, chained: 0 };

  const claimOptions = (limit: number): ClaimOptions => ({ instanceId, leaseMs, perEndpoint, busy, exclude: [...running], limit });

  /** Claims soon: at once, or after the claim gap when the last claim was moments ago. */
  function wake(): void {
    if (stopping) return;
    if (claiming) {
      claimAgain = true;
      return;
    }
    const since = Date.now() - lastClaimAt;
    if (since < minClaimGapMs) {
      gapTimer ??= setTimeout(() => {
        gapTimer = undefined;
        wake();
      }, minClaimGapMs - since);
      return;
    }
    void claimLoop();
  }

  /** Claims again `ms` from now, when a scheduled retry falls due. */
  function wakeIn(ms: number): void {
    if (stopping) return;
    const at = Date.now() + Math.max(0, ms) + 2;
    // Keep the list short: a time within 5 ms of one already there is covered by it.
    let i = wakeTimes.length;
    while (i > 0 && wakeTimes[i - 1]! > at) i--;
    if ((i > 0 && at - wakeTimes[i - 1]! < 5) || wakeTimes.length >= 10_000) return;
    wakeTimes.splice(i, 0, at);
    armRetryTimer();
  }

  function armRetryTimer(): void {
    const first = wakeTimes[0];
    if (first === undefined || first >= retryAt) return;
    if (retryTimer) clearTimeout(retryTimer);
    retryAt = first;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      retryAt = Infinity;
      const now = Date.now();
      while (wakeTimes.length > 0 && wakeTimes[0]! <= now) wakeTimes.shift();
      armRetryTimer();
      wake();
    }, Math.max(0, first - Date.now()));
    retryTimer.unref();
  }

  async function claimLoop(): Promise<void> {
    claiming = true;
    let more = false;
    try {
      do {
        claimAgain = false;
        lastClaimAt = Date.now();
        const free = maxInFlight - slots.size;
        if (free <= 0) {
          saturated = true;
          break;
        }
        counters.claimQueries++;
        const claimed = await claimDue(database, claimOptions(Math.min(free, claimBatch)));
        saturated = claimed.length >= Math.min(free, claimBatch);
        for (const d of claimed) startSlot(d);
        more = saturated; // a full batch: more may be due right now
      } while (more && !stopping);
      if (pollDue && !stopping) {
        // Once a second: sleep until the next scheduled retry, including ones this process did
        // not schedule itself (another instance's, or from before a restart).
        pollDue = false;
        const fullEndpoints = [...busy].filter(([, n]) => n >= perEndpoint).map(([id]) => id);
        const wait = await msUntilNextDue(database.db, { busyEndpoints: fullEndpoints });
        if (wait !== null && wait < pollMs) wakeIn(Math.max(wait, 5));
      }
    } catch (err) {
      // Database unavailable: the poll retries.
      log.warn({ err: { message: (err as Error).message } }, 'webhook claim failed');
    } finally {
      claiming = false;
    }
    if (claimAgain) wake();
  }

  function startSlot(first: ClaimedDelivery): void {
    busy.set(first.endpointId, (busy.get(first.endpointId) ?? 0) + 1);
    running.add(first.id);
    const slot = (async () => {
      let d: ClaimedDelivery | null = first;
      try {
        while (d && !stopping) {
          const current: ClaimedDelivery = d;
          running.add(current.id);
          try {
            d = await attempt(current);
          } finally {
            running.delete(current.id);
          }
        }
      } catch (err) {
        log.warn({ err: { message: (err as Error).message }, endpoint_id: first.endpointId }, 'webhook delivery slot failed');
      } finally {
        running.delete(first.id);
        const n = (busy.get(first.endpointId) ?? 1) - 1;
        if (n <= 0) busy.delete(first.endpointId);
        else busy.set(first.endpointId, n);
      }
    })();
    slots.add(slot);
    void slot.finally(() => {
      slots.delete(slot);
      // A slot is free: others may be waiting for it.
      wake();
    });
  }

  /** One attempt; returns the endpoint's next leased delivery, if the slot keeps going. */
  async function attempt(d: ClaimedDelivery): Promise<ClaimedDelivery | null> {
    // A lease that (nearly) ran out may already belong to another worker: let it go.
    if (Date.now() > d.leaseEndsAt - config.WEBHOOK_TIMEOUT_MS - 1_000) {
      await releaseLeases(database.db, instanceId, [d.id]).catch(() => {});
      return null;
    }
    const attemptNo = d.attemptCount + 1;
    const startedAt = new Date();
    let result: AttemptResult;
    if (d.body === null) {
      result = { ok: false, statusCode: null, durationMs: 0, error: 'event no longer retained: nothing to send', responseExcerpt: null, retryAfter: undefined };
    } else {
      const headers = signHeaders({ id: d.webhookId, body: d.body, secrets: d.secrets, at: startedAt });
      result = await sendAttempt({
        url: d.url,
        body: d.body,
        headers: { 'content-type': 'application/json', 'user-agent': 'WoodstockOutlet-Webhooks/1.0', ...headers },
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        publicOnly: d.source === 'api' && !config.WEBHOOK_ALLOW_PRIVATE,
        signal: abort.signal,
      });
    }
    // Stopped mid-attempt: the outcome is unknown, the lease is given back in stop().
    if (stopping && abort.signal.aborted && !result.ok) return null;
    counters.attempts++;

    let finish: Finish;
    const gone = result.statusCode === 410;
    if (result.ok) {
      finish = { status: 'succeeded' };
      counters.succeeded++;
    } else {
      counters.failed++;
      const next = gone || d.body === null ? ({ kind: 'dead' } as const) : nextAttempt({ schedule, attemptNo, retryAfterMs: parseRetryAfter(result.retryAfter) });
      finish = next.kind === 'dead' ? { status: 'dead' } : { status: 'pending', delayMs: next.delayMs };
    }
    const keepGoing = !stopping && !gone && !saturated;
    const next = await finishAttempt(database, {
      delivery: d,
      instanceId,
      attempt: { attemptNo, startedAt, durationMs: result.durationMs, statusCode: result.statusCode, error: result.error, responseExcerpt: result.responseExcerpt },
      finish,
      next: keepGoing ? { leaseMs, exclude: [...running] } : undefined,
    });
    if (next) counters.chained++;
    opts.onAttempt?.(finish.status === 'succeeded' ? 'succeeded' : finish.status === 'dead' ? 'dead' : 'retry', result.durationMs);
    if (finish.status === 'pending') {
      log.debug({ delivery_id: d.id, endpoint_id: d.endpointId, attempt: attemptNo, status: result.statusCode, error: result.error, retry_in_ms: finish.delayMs }, 'webhook attempt failed; will retry');
      wakeIn(finish.delayMs);
    } else if (finish.status === 'dead') {
      log.warn({ delivery_id: d.id, endpoint_id: d.endpointId, webhook_id: d.webhookId, attempts: attemptNo, status: result.statusCode, error: result.error }, 'webhook delivery is dead');
    }
    if (gone) {
      await disableGoneEndpoint(database, d.endpointId, `the endpoint answered 410 Gone on ${startedAt.toISOString()}`);
      log.warn({ endpoint_id: d.endpointId }, 'webhook endpoint answered 410 Gone: disabled');
    }
    return next;
  }

  const unlisteners = [
    await database.listen(EVENTS_CHANNEL, () => wake()),
    await database.listen(DELIVERIES_CHANNEL, () => wake()),
  ];
  const poll = setInterval(() => {
    pollDue = true;
    wake();
  }, pollMs);
  poll.unref();
  wake();
  log.info({ instance_id: instanceId, per_endpoint: perEndpoint, max_in_flight: maxInFlight, lease_ms: leaseMs }, 'webhook worker started');

  return {
    instanceId,
    wake,
    stats: () => ({ inFlight: slots.size, ...counters }),
    async stop() {
      if (stopping) return;
      stopping = true;
      clearInterval(poll);
      if (retryTimer) clearTimeout(retryTimer);
      if (gapTimer) clearTimeout(gapTimer);
      for (const u of unlisteners) await u().catch(() => {});
      // Wait for a claim in progress, so the slots it starts are waited for too.
      for (let i = 0; claiming && i < 250; i++) await new Promise((r) => setTimeout(r, 20));
      const pending = [...slots];
      let timer: NodeJS.Timeout | undefined;
      const waited = await Promise.race([
        Promise.allSettled(pending).then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), opts.stopTimeoutMs ?? 5_000);
        }),
      ]);
      if (timer) clearTimeout(timer);
      if (!waited) {
        abort.abort();
        await Promise.race([Promise.allSettled(pending), new Promise((r) => setTimeout(r, 500))]);
      }
      const released = await releaseLeases(database.db, instanceId).catch(() => 0);
      log.info({ instance_id: instanceId, released }, 'webhook worker stopped');
    },
  };
}
