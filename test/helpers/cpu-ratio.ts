/**
 * How much more CPU time `a` takes than `b`, measured in the same process: the ratio of the
 * medians of interleaved samples. Cost tests compare two inputs this way instead of asserting a
 * time, so that a slow or busy machine (other workers share its cores) slows both sides alike.
 * Each sample repeats its function until the baseline's sample lasts at least `minSampleMs`, so
 * the timer's resolution does not matter.
 */
export function medianRatio(
  a: () => unknown,
  b: () => unknown,
  opts: { samples?: number; minSampleMs?: number } = {},
): number {
  const samples = opts.samples ?? 15;
  const minUs = (opts.minSampleMs ?? 4) * 1000;
  let reps = 1;
  while (cpuUs(b, reps) < minUs && reps < 1 << 20) reps *= 2;
  cpuUs(a, reps); // warm-up: the first run of `a` also compiles it
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < samples; i++) {
    // Alternate which side runs first, so neither always follows a garbage collection.
    if (i % 2 === 0) {
      as.push(cpuUs(a, reps));
      bs.push(cpuUs(b, reps));
    } else {
      bs.push(cpuUs(b, reps));
      as.push(cpuUs(a, reps));
    }
  }
  return median(as) / Math.max(median(bs), 1);
}

/** User + system CPU microseconds of `reps` calls of `fn`. */
function cpuUs(fn: () => unknown, reps: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < reps; i++) fn();
  const d = process.cpuUsage(start);
  return d.user + d.system;
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[s.length >> 1] as number;
}
