// `npm start` on a fresh clone, after install, to the first 200 from /ready with the demo data
// (embedded database, fresh DATA_DIR): the first start seeds 221 conversations / 86,420 messages
// before it listens, so /ready answering means the demo data is in.
//
// Install: by default node_modules is copied from this checkout with hard links (`cp -al`): the
// same files `npm ci` would produce from the same lockfile, in a second instead of a minute or
// more, and without the network. `--start-install ci` runs a real `npm ci` instead (timed and
// reported, not counted in the bar). tsx's transform cache lives in the temp directory, so the
// start runs with a fresh TMPDIR: nothing compiled by an earlier run of this checkout helps it.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BarResult } from './report.ts';
import { freePort, log, sleep } from './util.ts';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

async function timeStart(dir: string, dataDir: string, tmp: string, logPath: string): Promise<{ ms: number; ok: boolean }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, TMPDIR: tmp, LOG_LEVEL: 'info' };
  // The embedded database: no DATABASE_URL, demo data on by default.
  for (const k of ['DATABASE_URL', 'DEMO_DATA', 'INBOX_API_KEY', 'WEBHOOK_URL', 'LLM_BASE_URL', 'LOFT_BASE_URL']) delete env[k];
  const out = createWriteStream(logPath, { flags: 'a' });
  const t0 = Date.now();
  // Its own process group, so the stop reaches npm, tsx and node together.
  const child = spawn('npm', ['start'], { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let exited = false;
  const gone = new Promise<void>((r) => child.once('exit', () => {
    exited = true;
    r();
  }));
  // Its own process group does not get the terminal's Ctrl-C: pass it on.
  const onInterrupt = () => {
    if (!exited) process.kill(-child.pid!, 'SIGKILL');
  };
  process.on('SIGINT', onInterrupt);
  let ms = NaN;
  try {
    while (!exited && Date.now() - t0 < 180_000) {
      const ok = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.status === 200).catch(() => false);
      if (ok) {
        ms = Date.now() - t0;
        break;
      }
      await sleep(50);
    }
  } finally {
    if (!exited) {
      process.kill(-child.pid!, 'SIGTERM');
      const t = setTimeout(() => {
        if (!exited) process.kill(-child.pid!, 'SIGKILL');
      }, 20_000);
      await gone;
      clearTimeout(t);
    }
    process.off('SIGINT', onInterrupt);
    out.end();
  }
  return { ms, ok: Number.isFinite(ms) };
}

export async function runStart(o: { install: 'link' | 'ci'; keep: boolean }): Promise<{ bars: BarResult[]; details: Record<string, unknown> }> {
  const root = mkdtempSync(join(tmpdir(), 'bench-start-'));
  const dir = join(root, 'repo');
  const logPath = join(root, 'start.log');
  try {
    log(`start: git clone -q ${repoRoot} ${dir}`);
    execFileSync('git', ['clone', '-q', repoRoot, dir], { stdio: 'inherit' });
    const ti = Date.now();
    if (o.install === 'ci') {
      log('start: npm ci');
      execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
    } else {
      log('start: node_modules hard-linked from this checkout (cp -al)');
      execFileSync('cp', ['-al', join(repoRoot, 'node_modules'), join(dir, 'node_modules')]);
    }
    const installMs = Date.now() - ti;
    const tmp = join(root, 'tmp');
    mkdirSync(tmp);
    const dataDir = join(root, 'data');
    log('start: npm start (fresh DATA_DIR, fresh TMPDIR) → first 200 from /ready');
    const first = await timeStart(dir, dataDir, tmp, logPath);
    log(`start: ${first.ok ? `ready after ${(first.ms / 1000).toFixed(1)} s` : `not ready (see ${logPath})`}`);
    // For reference: a second start over the same data and cache (no seeding).
    const second = first.ok ? await timeStart(dir, dataDir, tmp, logPath) : { ms: NaN, ok: false };
    if (second.ok) log(`start: second start ready after ${(second.ms / 1000).toFixed(1)} s`);
    const s = (v: number) => `${(v / 1000).toFixed(1)} s`;
    return {
      bars: [
        { section: 'start', bar: 'npm start on a fresh clone → /ready with the demo data (embedded)', measured: first.ok ? s(first.ms) : 'not ready', target: '≤ 30 s', pass: first.ok && first.ms <= 30_000, values: { ms: first.ms } },
        { section: 'start', bar: 'second npm start (data and cache in place) → /ready', measured: second.ok ? s(second.ms) : 'n/a', target: '—', pass: null, values: { ms: second.ms } },
      ],
      details: { install: o.install === 'ci' ? 'npm ci' : 'cp -al node_modules (hard links)', install_ms: installMs, first_ms: first.ms, second_ms: second.ms, log: o.keep ? logPath : undefined },
    };
  } finally {
    if (o.keep) log(`start: kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}
