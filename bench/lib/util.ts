// Small helpers shared by the benchmark sections: timing, percentiles, ports, progress lines.
import { createServer as createNetServer } from 'node:net';
import { loadavg } from 'node:os';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Nearest-rank percentile (p in 0–100) of unsorted samples; NaN for none. */
export function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))]!;
}

export const median = (xs: number[]) => pct(xs, 50);

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(xs: number[]): Summary {
  const mean = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
  return { n: xs.length, p50: pct(xs, 50), p95: pct(xs, 95), p99: pct(xs, 99), max: xs.length ? Math.max(...xs) : NaN, mean };
}

/** Milliseconds with a precision that suits the size: 0.84, 12.3, 145. */
export function ms(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (v < 10) return `${v.toFixed(2)} ms`;
  if (v < 100) return `${v.toFixed(1)} ms`;
  return `${Math.round(v)} ms`;
}

export const round = (v: number, digits = 2) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

/** Milliseconds since `t0` from the monotonic clock. */
export const since = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
export const now = () => process.hrtime.bigint();

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const started = Date.now();
/** A progress line: elapsed time of the whole run, and the 1-minute load average (the machine is shared). */
export function log(msg: string): void {
  const t = ((Date.now() - started) / 1000).toFixed(1).padStart(7);
  console.log(`[${t}s load ${loadavg()[0]!.toFixed(2)}] ${msg}`);
}

/** Progress every `everyPct` percent (or every `everyMs`), whichever comes later; no TTY tricks so logs stay readable. */
export function progress(label: string, total: number, everyPct = 10, everyMs = 3000) {
  let lastPct = -everyPct;
  let lastAt = 0;
  const t0 = Date.now();
  return (done: number) => {
    const p = Math.floor((done / Math.max(1, total)) * 100);
    if (done >= total || (p >= lastPct + everyPct && Date.now() - lastAt >= everyMs)) {
      lastPct = p;
      lastAt = Date.now();
      log(`${label}: ${p}% (${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
  };
}
