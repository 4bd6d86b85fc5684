import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { Logger } from '../shared/logger.ts';
import { seedDemoData } from './seed.ts';

export { seedDemoData, demoAgents, rankOf, type SeedOptions, type SeedResult } from './seed.ts';

export const DEMO_DEFAULTS = { conversations: 221, messages: 86_420, seed: 42 };

/**
 * Seeds the demo data into an empty database (no conversations yet); a second start reuses it.
 * Returns true when it seeded.
 */
export async function ensureDemoData(database: Database, logger: Logger): Promise<boolean> {
  const [row] = await database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM chatbot_conversations`);
  if ((row?.n ?? 0) > 0) return false;
  logger.info(DEMO_DEFAULTS, 'empty database: seeding demo data');
  let lastLogged = 0;
  const result = await seedDemoData(database, {
    ...DEMO_DEFAULTS,
    onProgress: (done, total) => {
      const pct = Math.floor((done / total) * 100);
      if (pct >= lastLogged + 10 || done === total) {
        lastLogged = pct;
        logger.info({ done, total }, `seeding demo data: ${pct}%`);
      }
    },
  });
  logger.info(result, 'demo data ready');
  return true;
}
