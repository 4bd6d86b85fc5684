// One error type with a stable code. The Fastify error handler (app.ts) turns it into
// application/problem+json (RFC 9457); anything else becomes a 500 without internals.
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string, code = `${what.replace(/\s+/g, '_')}_not_found`) =>
  new AppError(code, `${what[0]!.toUpperCase()}${what.slice(1)} not found`, 404);

export const validationFailed = (detail: string, issues?: unknown[]) =>
  new AppError('validation_failed', detail, 400, issues ? { issues } : {});

export const unauthorized = (detail = 'A valid API key is required: Authorization: Bearer <key>') =>
  new AppError('unauthorized', detail, 401);

export const serviceUnavailable = (detail = 'The database is unreachable; try again shortly') =>
  new AppError('service_unavailable', detail, 503);

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  [key: string]: unknown;
}

export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return {
    type: `https://woodstock.example/problems/${code}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    code,
    ...extra,
  };
}
