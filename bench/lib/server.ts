// The real server (src/main.ts) as a child process, as production runs it: its own Node process,
// its own pg pool, on a database the benchmark prepared.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort, log, sleep } from './util.ts';

export const API_KEY = 'bench-bootstrap-key-0123456789abcdef';

/** Servers started and not yet stopped, so an interrupted run can stop them. */
export const runningServers = new Set<ChildProcess>();

export interface RunningServer {
  base: string;
  pid: number;
  process: ChildProcess;
  /** resident memory of the server process, MB */
  rss(): number;
  stop(): Promise<void>;
}

export async function startServer(opts: { databaseUrl: string; env?: Record<string, string>; label?: string; readyTimeoutMs?: number }): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      // The benchmark seeds beforehand; main.ts seeds only an empty embedded database anyway.
      DEMO_DATA: 'false',
      INBOX_API_KEY: API_KEY,
      LOG_LEVEL: 'warn',
      // The chat route is rate limited per client address (120/min by default); every turn of the
      // benchmark comes from 127.0.0.1.
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...opts.env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  let exited = false;
  runningServers.add(child);
  child.on('exit', () => {
    exited = true;
    runningServers.delete(child);
  });
  const t0 = Date.now();
  const deadline = t0 + (opts.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (exited) throw new Error(`server ${opts.label ?? ''} exited before /ready`);
    if (await fetch(`${base}/ready`).then((r) => r.ok).catch(() => false)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server ${opts.label ?? ''} not ready after ${opts.readyTimeoutMs ?? 120_000} ms`);
    }
    await sleep(100);
  }
  log(`server${opts.label ? ` (${opts.label})` : ''} ready on ${base} in ${((Date.now() - t0) / 1000).toFixed(1)} s (pid ${child.pid})`);
  return {
    base,
    pid: child.pid!,
    process: child,
    rss() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(t);
    },
  };
}

export const authHeaders = { authorization: `Bearer ${API_KEY}` };

/** GET with the API key; throws on a non-2xx answer. */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: authHeaders });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}
