// A fetch that answers from a Fastify app through app.inject, without opening a socket. With
// LOFT_BASE_URL unset, the app's LoftClient uses it to call the built-in sandbox, so the very
// same HTTP client (parsing, retries, timeouts) runs against the sandbox as against LOFT.
import type { FastifyInstance } from 'fastify';

/** Any Fastify instance, whatever its logger and type provider (the app's is pino + zod). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFastify = FastifyInstance<any, any, any, any, any>;
import { createLoftHttpClient, type LoftHttpClientOptions } from './http-client.ts';
import { loftSandboxPrefix, sandboxTokenHeader } from './sandbox.ts';
import type { LoftClient } from './types.ts';

type InjectMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export function createInjectFetch(app: AnyFastify): typeof globalThis.fetch {
  const injectFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input));
    const signal = init?.signal ?? request?.signal ?? undefined;
    signal?.throwIfAborted();
    const headers: Record<string, string> = {};
    new Headers(init?.headers ?? request?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const injected = app.inject({
      method: ((init?.method ?? request?.method ?? 'GET').toUpperCase() as InjectMethod),
      url: url.pathname + url.search,
      headers,
      ...(typeof init?.body === 'string' ? { payload: init.body } : {}),
    });
    // inject cannot be cancelled; racing keeps the caller's timeout meaningful.
    const res = signal ? await raceAbort(injected, signal) : await injected;
    const out = new Headers();
    for (const [key, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) out.append(key, v);
      else out.set(key, String(value));
    }
    const noBody = res.statusCode === 204 || res.statusCode === 304;
    return new Response(noBody ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers: out });
  };
  return injectFetch as typeof globalThis.fetch;
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** The LoftClient the app uses when LOFT_BASE_URL is unset: the HTTP client over the in-app sandbox. */
export function createSandboxLoftClient(
  app: AnyFastify,
  opts: Omit<LoftHttpClientOptions, 'baseUrl' | 'fetch'> & { accessToken: string },
): LoftClient {
  const { accessToken, ...rest } = opts;
  const injectFetch = createInjectFetch(app);
  // The app's own calls carry the sandbox's per-process token (its personal-data routes need it).
  const withToken = ((input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set(sandboxTokenHeader, accessToken);
    return injectFetch(input, { ...init, headers });
  }) as typeof globalThis.fetch;
  return createLoftHttpClient({ ...rest, baseUrl: `http://loft-sandbox.internal${loftSandboxPrefix}`, fetch: withToken });
}
