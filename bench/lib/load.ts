// HTTP load with autocannon: N connections, each sending its next request as soon as the previous
// answer arrives (closed loop), paths chosen round-robin from a list. Latencies are collected from
// autocannon's per-response event with sub-millisecond precision (its own histogram keeps whole
// milliseconds, too coarse for a 10 ms bar and a ratio against direct SQL).
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { authHeaders } from './server.ts';
import { log, now, since, sleep, summarize, type Summary } from './util.ts';

export interface LoadResult {
  /** all 2xx latencies, ms */
  latencies: number[];
  /** 2xx latencies per path */
  byPath: Map<string, number[]>;
  summary: Summary;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  rps: number;
}

interface PathContext {
  path?: string;
}

export async function load(opts: {
  base: string;
  paths: string[];
  connections: number;
  seconds: number;
  label: string;
  quiet?: boolean;
}): Promise<LoadResult> {
  let i = 0;
  const latencies: number[] = [];
  const byPath = new Map<string, number[]>();
  let non2xx = 0;
  const t0 = Date.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: opts.base,
        connections: opts.connections,
        duration: opts.seconds,
        headers: authHeaders,
        timeout: 30,
        requests: [
          {
            method: 'GET',
            setupRequest: (req, context) => {
              const path = opts.paths[i++ % opts.paths.length]!;
              (context as PathContext).path = path;
              return { ...req, path };
            },
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    // The context of the request that just completed is still the client's current one when
    // 'response' fires (the next request is set up right after), so it names the path.
    instance.on('response', (client: unknown, status: number, _bytes: number, responseTime: number) => {
      if (status < 200 || status > 299) {
        non2xx++;
        return;
      }
      latencies.push(responseTime);
      const path = (client as { requestIterator?: { context?: PathContext } }).requestIterator?.context?.path ?? '?';
      let list = byPath.get(path);
      if (!list) byPath.set(path, (list = []));
      list.push(responseTime);
    });
    if (!opts.quiet) {
      let ticks = 0;
      instance.on('tick', () => {
        ticks++;
        if (ticks % 5 === 0) log(`${opts.label}: ${ticks}/${opts.seconds} s, ${latencies.length} answers`);
      });
    }
  });
  const seconds = (Date.now() - t0) / 1000;
  return {
    latencies,
    byPath,
    summary: summarize(latencies),
    requests: latencies.length + non2xx,
    non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds,
    rps: latencies.length / seconds,
  };
}

/**
 * Paced load: `clients` clients, each sending a request at random (Poisson) moments so that all
 * together send about `rate` per second, and waiting for the answer before its next one. Unlike
 * autocannon's rate option (every connection fires at the top of each second, a burst), arrivals
 * are spread out: this shows the latency of a request when the server is not saturated.
 */
export async function paced(opts: { base: string; paths: string[]; clients: number; rate: number; seconds: number }): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.clients });
  const latencies: number[] = [];
  const byPath = new Map<string, number[]>();
  let non2xx = 0;
  let errors = 0;
  let i = 0;
  const meanGapMs = (opts.clients / opts.rate) * 1000;
  const deadline = Date.now() + opts.seconds * 1000;
  const get = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(`${opts.base}${path}`, { agent, headers: authHeaders }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  try {
    await Promise.all(
      Array.from({ length: opts.clients }, async () => {
        for (;;) {
          const gap = -Math.log(1 - Math.random()) * meanGapMs;
          if (Date.now() + gap >= deadline) return;
          await sleep(gap);
          const path = opts.paths[i++ % opts.paths.length]!;
          const t = now();
          try {
            const status = await get(path);
            const d = since(t);
            if (status < 200 || status > 299) {
              non2xx++;
              continue;
            }
            latencies.push(d);
            let list = byPath.get(path);
            if (!list) byPath.set(path, (list = []));
            list.push(d);
          } catch {
            errors++;
          }
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  // Requests start only within the window, so the rate is over the window.
  const seconds = opts.seconds;
  return { latencies, byPath, summary: summarize(latencies), requests: latencies.length + non2xx, non2xx, errors, timeouts: 0, seconds, rps: latencies.length / seconds };
}
