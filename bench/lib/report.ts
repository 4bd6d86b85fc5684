// The results: one row per bar (measured, target, pass), printed as a table and written as JSON
// with the machine it ran on.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, freemem, hostname } from 'node:os';
import { dirname } from 'node:path';

export interface BarResult {
  section: string;
  bar: string;
  measured: string;
  target: string;
  /** null: informational, no target */
  pass: boolean | null;
  /** the numbers behind `measured`, in ms unless named otherwise */
  values?: Record<string, unknown>;
}

export interface SectionReport {
  section: string;
  startedAt: string;
  loadAtStart: number[];
  seconds: number;
  bars: BarResult[];
  details?: Record<string, unknown>;
  error?: string;
}

export interface MachineInfo {
  hostname: string;
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  freeMemoryGiB: number;
  node: string;
  postgres: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export function machineInfo(postgres: string): MachineInfo {
  const c = cpus();
  return {
    hostname: hostname(),
    cores: c.length,
    cpuModel: c[0]?.model ?? 'unknown',
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    freeMemoryGiB: Number((freemem() / 2 ** 30).toFixed(1)),
    node: process.version,
    postgres,
    loadAverageAtStart: loadavg().map((v) => Number(v.toFixed(2))),
  };
}

export function printTable(sections: SectionReport[]): void {
  const rows = sections.flatMap((s) =>
    s.error ? [{ section: s.section, bar: `${s.section} failed`, measured: s.error.split('\n')[0]!.slice(0, 120), target: '', pass: false as boolean | null }] : s.bars,
  );
  const head = ['bar', 'measured', 'target', 'pass'];
  const cells = rows.map((r) => [r.bar, r.measured, r.target, r.pass === null ? '—' : r.pass ? 'pass' : 'FAIL']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  console.log('');
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
  console.log('');
}

export function writeJson(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}
