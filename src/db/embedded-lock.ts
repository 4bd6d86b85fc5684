// The embedded database serves one process. The server records its pid in DATA_DIR while it
// runs, so the CLI can refuse to open the same files underneath it (and say what to do).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const file = (dataDir: string) => join(dataDir, 'server.pid');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function claimEmbedded(dataDir: string, who: string): void {
  mkdirSync(dataDir, { recursive: true });
  const f = file(dataDir);
  if (existsSync(f)) {
    const pid = Number(readFileSync(f, 'utf8').trim());
    if (pid && pid !== process.pid && alive(pid)) {
      throw new Error(`The embedded database in ${dataDir} is in use by process ${pid} (the server). Stop it first, or use DATABASE_URL to share a PostgreSQL between the server and ${who}.`);
    }
  }
  writeFileSync(f, String(process.pid));
}

export function releaseEmbedded(dataDir: string): void {
  const f = file(dataDir);
  try {
    if (existsSync(f) && Number(readFileSync(f, 'utf8').trim()) === process.pid) rmSync(f);
  } catch {
    // best effort
  }
}
