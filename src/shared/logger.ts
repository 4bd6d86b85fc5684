// pino with redaction: API keys, secrets and tokens never reach the log.
import { pino, type LoggerOptions } from 'pino';

export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  '*.secret',
  '*.apiKey',
  '*.api_key',
  '*.identity_token',
  '*.key',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
      // Never log the query string: ?token= carries an API key on WebSocket upgrades.
      req(req: { method: string; url: string; id: string }) {
        return { method: req.method, url: req.url.split('?')[0], id: req.id };
      },
    },
  };
}

export const createLogger = (level = 'info') => pino(loggerOptions(level));
export type Logger = ReturnType<typeof createLogger>;
