// Background work that runs beside the HTTP server in every process: snoozed conversations wake
// up, old events are cleaned up. Each job is safe to run in several instances at once.
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { wakeSnoozed } from './conversations/triage.ts';
import { cleanupEvents } from './events/event-log.ts';

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface Workers {
  stop(): Promise<void>;
}

export function startWorkers(opts: { database: Database; config: Config; logger: Log; snoozeEveryMs?: number; cleanupEveryMs?: number }): Workers {
  const { database, config, logger } = opts;
  const timers: NodeJS.Timeout[] = [];
  let running = 0;
  const every = (ms: number, name: string, job: () => Promise<unknown>) => {
    let busy = false;
    const tick = async () => {
      if (busy) return;
      busy = true;
      running++;
      try {
        await job();
      } catch (err) {
        logger.warn({ err: { message: (err as Error).message }, job: name }, 'background job failed; will retry');
      } finally {
        busy = false;
        running--;
      }
    };
    const t = setInterval(() => void tick(), ms);
    t.unref();
    timers.push(t);
    void tick();
  };
  every(opts.snoozeEveryMs ?? 15_000, 'wake-snoozed', async () => {
    const n = await wakeSnoozed(database);
    if (n > 0) logger.info({ woken: n }, 'snoozed conversations woke up');
  });
  every(opts.cleanupEveryMs ?? 3_600_000, 'event-retention', async () => {
    const n = await cleanupEvents(database.db, config.EVENT_RETENTION_DAYS);
    if (n > 0) logger.info({ deleted: n, retention_days: config.EVENT_RETENTION_DAYS }, 'old events removed');
  });
  return {
    async stop() {
      for (const t of timers) clearInterval(t);
      for (let i = 0; i < 100 && running > 0; i++) await new Promise((r) => setTimeout(r, 50));
    },
  };
}
