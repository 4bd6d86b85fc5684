// Benchmark: commit → WebSocket latency with 1,000 connected clients (and the server's memory),
// commit → first webhook attempt latency, and sustained webhook deliveries per second.
// Real server process (src/main.ts) on a fresh PostgreSQL database; clients and the receiver are
// in this process. Run: npx tsx bench/realtime.ts [--clients 1000] [--events 200] [--burst 3000]
// (also part of `npm run bench`, section `realtime`; the logic is in bench/lib/realtime.ts).
import { parseArgs } from 'node:util';
import { runRealtime } from './lib/realtime.ts';
import { printTable } from './lib/report.ts';

const { values } = parseArgs({ options: { clients: { type: 'string', default: '1000' }, events: { type: 'string', default: '200' }, burst: { type: 'string', default: '3000' } } });
const t0 = Date.now();
const r = await runRealtime({ clients: Number(values.clients), events: Number(values.events), burst: Number(values.burst) });
printTable([{ section: 'realtime', startedAt: new Date(t0).toISOString(), loadAtStart: [], seconds: (Date.now() - t0) / 1000, bars: r.bars }]);
