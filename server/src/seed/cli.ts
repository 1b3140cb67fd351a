import { runSeed } from './run.ts';

// `pnpm seed`: see run.ts for the flags.
process.exitCode = await runSeed(
  process.argv.slice(2),
  (line) => process.stdout.write(`${line}\n`),
  process.env,
);
