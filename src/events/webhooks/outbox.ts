// Wires the outbox into the event log: every appendEvents() call also queues the deliveries of
// its events, inside the same transaction (see event-log.ts onEventsAppended). Any process that
// writes events (the server, the CLI) installs it once.
import { onEventsAppended } from '../event-log.ts';
import { insertOutboxRows } from './delivery-store.ts';

let installed = false;
let firstDelayMs = 0;

/** Idempotent. `retrySchedule[0]` is the wait before the first attempt (0 by default: at once). */
export function installWebhookOutbox(opts: { retrySchedule?: number[] } = {}): void {
  firstDelayMs = Math.round((opts.retrySchedule?.[0] ?? 0) * 1000);
  if (installed) return;
  installed = true;
  onEventsAppended((tx, events) => insertOutboxRows(tx, events, firstDelayMs));
}
