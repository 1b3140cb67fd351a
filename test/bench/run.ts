/**
 * `pnpm bench [funnel|experiment ...] [--events N] [--runs R]`: benchmarks that print figures and
 * compare against a baseline measured in the same run (all of them without a name). Never part
 * of the test suite.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { tempDir } from '../helpers/tmp.ts';
import { benchExperiment } from './experiment.ts';
import { benchFunnel } from './funnel.ts';

const { values, positionals } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { events: { type: 'string', default: '10000000' }, runs: { type: 'string', default: '5' } },
  allowPositionals: true,
});
const CASES = { funnel: benchFunnel, experiment: benchExperiment } as const;
const chosen = positionals.length > 0 ? positionals : Object.keys(CASES);
for (const name of chosen) {
  const bench = CASES[name as keyof typeof CASES];
  if (!bench) {
    console.error(`unknown benchmark ${name}; choose from ${Object.keys(CASES).join(', ')}`);
    process.exit(2);
  }
  // Each case in its own data directory: one embedded engine holds one directory at a time.
  const dir = tempDir(`funnelhouse-bench-${name}-`);
  try {
    await bench({ events: Number(values.events), runs: Number(values.runs), dataDir: dir.path });
  } finally {
    rmSync(dir.path, { recursive: true, force: true });
  }
}
