// The only reader of process.env. Parsed once with zod; a bad value stops start-up
// with a message that names the variable, so an operator never runs on a guess.
import { z } from 'zod';

const bool = (fallback: boolean | undefined) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1' || v === 'yes'));

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const optionalUrl = optionalString.refine((v) => v === undefined || URL.canParse(v), {
  message: 'expected a URL such as http://host:port/path',
});

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: optionalString.refine(
    (v) => v === undefined || /^postgres(ql)?:\/\//.test(v),
    { message: 'expected a postgres:// or postgresql:// URL' },
  ),
  DATA_DIR: z.string().min(1).default('./data'),
  DEMO_DATA: bool(undefined),
  INBOX_API_KEY: optionalString.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters',
  }),
  LOFT_BASE_URL: optionalUrl,
  LOFT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  WEBHOOK_URL: optionalUrl,
  WEBHOOK_SECRET: optionalString.refine((v) => v === undefined || v.startsWith('whsec_'), {
    message: 'must be a Standard Webhooks secret starting with whsec_',
  }),
  WEBHOOK_ALLOW_PRIVATE: bool(false),
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .default('0,5,300,1800,7200,18000,36000,50400,72000,86400')
    .transform((s, ctx) => {
      const parts = s.split(',').map((p) => Number(p.trim()));
      if (parts.length === 0 || parts.some((n) => !Number.isFinite(n) || n < 0)) {
        ctx.addIssue({ code: 'custom', message: 'expected comma-separated seconds, e.g. 0,5,300' });
        return z.NEVER;
      }
      return parts;
    }),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  // Attempts in flight per endpoint per process. 1 keeps each endpoint's deliveries in event order
  // and bounds re-deliveries after a crash to one; more trades both for throughput.
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  EVENT_RETENTION_DAYS: z.coerce.number().min(0.0001).max(3650).default(30),
  IDENTITY_SECRET: optionalString,
  WS_HEARTBEAT_MS: z.coerce.number().int().min(50).max(600_000).default(25_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
});

export type Config = Omit<z.infer<typeof envSchema>, 'DEMO_DATA'> & {
  DEMO_DATA: boolean;
  /** true when DATABASE_URL is unset and the embedded PGlite database is used */
  embedded: boolean;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const embedded = parsed.data.DATABASE_URL === undefined;
  return {
    ...parsed.data,
    DEMO_DATA: parsed.data.DEMO_DATA ?? embedded,
    embedded,
  };
}
