// The real server as its own process, exactly as `npm start` runs it (src/main.ts), for the tests
// that kill it, restart it or need its heartbeats and back-pressure to behave as in production.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  readonly base: string;
  readonly port: number;
  /** the running child (undefined between stop/kill and the next start) */
  readonly child: ChildProcess | undefined;
  /** the last ~200 chunks of its output, for failure messages */
  readonly logs: string[];
  /** starts it (again, on the same port) and resolves once /ready answers 200 */
  start(): Promise<void>;
  /** SIGKILL: no chance to finish anything */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs` */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A server process on a free port with the given environment on top of this one's (DEMO_DATA off,
 * LOG_LEVEL warn, TEST_DB cleared unless `env` says otherwise). Call start() to run it.
 */
export async function serverProcess(env: Record<string, string>, opts: { entry?: string; readyTimeoutMs?: number } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logs: string[] = [];
  let child: ChildProcess | undefined;

  const exited = (proc: ChildProcess) => new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
  });

  return {
    base,
    port,
    logs,
    get child() {
      return child;
    },
    async start() {
      const proc = spawn(process.execPath, ['--import', 'tsx', opts.entry ?? 'src/main.ts'], {
        env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DEMO_DATA: 'false', LOG_LEVEL: 'warn', TEST_DB: '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const keep = (b: Buffer) => {
        logs.push(b.toString());
        if (logs.length > 200) logs.shift();
      };
      proc.stdout!.on('data', keep);
      proc.stderr!.on('data', keep);
      child = proc;
      const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
      for (;;) {
        if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}):\n${logs.join('')}`);
        if (await fetch(`${base}/ready`).then((r) => r.status === 200).catch(() => false)) return;
        if (Date.now() > deadline) throw new Error(`server not ready:\n${logs.join('')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill() {
      const proc = child;
      child = undefined;
      if (!proc) return;
      const done = exited(proc);
      proc.kill('SIGKILL');
      await done;
    },
    async stop(graceMs = 10_000) {
      const proc = child;
      child = undefined;
      if (!proc) return;
      const done = exited(proc);
      const force = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      proc.kill('SIGTERM');
      await done;
      clearTimeout(force);
    },
  };
}
