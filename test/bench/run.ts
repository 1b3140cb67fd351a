/**
 * `pnpm bench [--events N] [--runs R]`: benchmarks that print figures and compare against a
 * baseline measured in the same run. Never part of the test suite.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { tempDir } from '../helpers/tmp.ts';
import { benchDashboard } from './dashboard.ts';
import { benchFunnel } from './funnel.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { events: { type: 'string', default: '10000000' }, runs: { type: 'string', default: '5' } },
});
await benchDashboard();
const dir = tempDir('funnelhouse-bench-');
try {
  await benchFunnel({ events: Number(values.events), runs: Number(values.runs), dataDir: dir.path });
} finally {
  rmSync(dir.path, { recursive: true, force: true });
}
