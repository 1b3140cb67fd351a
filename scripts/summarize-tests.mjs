// Prints one closing line, "N passed, N failed", over the vitest and Playwright JSON reports, so a
// CI log says plainly how many tests ran. Exits non-zero when a report is missing or a test failed.
import { existsSync, readFileSync } from 'node:fs';

const reports = { vitest: '.tmp/vitest.json', playwright: '.tmp/playwright.json' };
let passed = 0;
let failed = 0;
let skipped = 0;
let missing = false;
for (const [name, path] of Object.entries(reports)) {
  if (!existsSync(path)) {
    console.error(`${name}: no report at ${path}`);
    missing = true;
    continue;
  }
  const r = JSON.parse(readFileSync(path, 'utf8'));
  if (name === 'vitest') {
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    if (r.numFailedTestSuites > 0 && r.numFailedTests === 0) failed += r.numFailedTestSuites;
  } else {
    passed += r.stats.expected + r.stats.flaky;
    failed += r.stats.unexpected;
    skipped += r.stats.skipped;
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(missing || failed > 0 || passed === 0 ? 1 : 0);
