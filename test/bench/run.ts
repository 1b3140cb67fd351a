/**
 * `pnpm bench [--events N] [--runs R] [--only funnel|carts]`: benchmarks that print figures and compare against a
 * baseline measured in the same run. Never part of the test suite.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { tempDir } from '../helpers/tmp.ts';
import { benchCarts } from './carts.ts';
import { benchFunnel } from './funnel.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    events: { type: 'string', default: '10000000' },
    runs: { type: 'string', default: '5' },
    only: { type: 'string', default: '' },
  },
});
const cases = { funnel: benchFunnel, carts: benchCarts };
// One data directory for the run (chdb holds one per process); each case writes its own site.
const dir = tempDir('funnelhouse-bench-');
try {
  for (const [name, run] of Object.entries(cases)) {
    if (values.only && values.only !== name) continue;
    console.log(`== ${name}`);
    await run({ events: Number(values.events), runs: Number(values.runs), dataDir: dir.path });
  }
} finally {
  rmSync(dir.path, { recursive: true, force: true });
}
