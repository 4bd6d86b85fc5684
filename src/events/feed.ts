// The live side of the event log, one per process. It tails inbox_events in id order (ids are
// in commit order, so "everything after my last id" never skips a late commit), woken by
// LISTEN/NOTIFY on PostgreSQL (any instance's commits) or in-process on PGlite, with polling as
// the backstop. Subscribers resume from a cursor: replay from the table, then live, with no gap
// and no duplicate at the seam.
import type { Database } from '../db/client.ts';
import { EVENTS_CHANNEL, latestEventId, readEvents, type StoredEvent } from './event-log.ts';

export interface Subscription {
  close(): void;
}

export interface SubscribeOptions {
  /** deliver events with id > after; null = only new events */
  after: number | null;
  filter?: (e: StoredEvent) => boolean;
  onEvent: (e: StoredEvent) => void;
  /** replay failed (database down): the subscriber should retry or close */
  onError?: (err: unknown) => void;
  /** awaited between replay batches, so a long replay goes at the client's pace */
  pace?: () => Promise<void>;
}

export class EventFeed {
  private lastId = 0;
  private listeners = new Set<(e: StoredEvent) => void>();
  private pumping = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private started = false;

  constructor(
    private readonly database: Database,
    private readonly opts: { pollMs?: number; logger?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void } } = {},
  ) {}

  get position(): number {
    return this.lastId;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.lastId = await latestEventId(this.database.db);
    this.unlisten = await this.database.listen(EVENTS_CHANNEL, () => this.wake());
    this.timer = setInterval(() => this.wake(), this.opts.pollMs ?? 1_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.unlisten?.();
    this.listeners.clear();
    this.started = false;
  }

  /** Something committed (or may have): read what is new. */
  wake(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      do {
        this.again = false;
        for (;;) {
          const batch = await readEvents(this.database.db, { after: this.lastId, limit: 500 });
          for (const e of batch) {
            this.lastId = e.id;
            for (const l of this.listeners) {
              try {
                l(e);
              } catch (err) {
                this.opts.logger?.error({ err }, 'event listener failed');
              }
            }
          }
          if (batch.length < 500) break;
        }
      } while (this.again);
    } catch (err) {
      // Database unavailable: the next wake or poll retries from the same position.
      this.opts.logger?.warn({ err: { message: (err as Error).message } }, 'event feed read failed');
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Delivers every event after `after` exactly once, in order: live events are buffered while the
   * backlog is replayed from the table, then the buffer is drained skipping what was replayed.
   */
  subscribe(opts: SubscribeOptions): Subscription {
    let closed = false;
    let lastSent = opts.after ?? this.lastId;
    let replaying = true;
    const buffer: StoredEvent[] = [];
    const deliver = (e: StoredEvent) => {
      if (closed || e.id <= lastSent) return;
      lastSent = e.id;
      if (!opts.filter || opts.filter(e)) opts.onEvent(e);
    };
    const live = (e: StoredEvent) => {
      if (replaying) buffer.push(e);
      else deliver(e);
    };
    this.listeners.add(live);
    const replay = async () => {
      try {
        // Read the table until we reach what the live feed has already seen.
        for (;;) {
          const target = this.lastId;
          if (lastSent >= target) break;
          const batch = await readEvents(this.database.db, { after: lastSent, limit: 500 });
          if (closed) return;
          for (const e of batch) deliver(e);
          if (batch.length === 0) break;
          if (opts.pace) await opts.pace();
        }
        replaying = false;
        for (const e of buffer.splice(0)) deliver(e);
      } catch (err) {
        // The backlog has a gap now: this subscription must never go live past it. It ends here,
        // and the subscriber retries from its last event (or closes).
        const wasClosed = closed;
        closed = true;
        this.listeners.delete(live);
        buffer.length = 0;
        if (!wasClosed) opts.onError?.(err);
      }
    };
    void replay();
    return {
      close: () => {
        closed = true;
        this.listeners.delete(live);
      },
    };
  }
}
