#!/usr/bin/env bash
# Builds the snippet and the dashboard, runs vitest then Playwright (both even when the first fails), and ends with
# one "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
rm -f .tmp/vitest.json .tmp/playwright.json
pnpm --filter @funnelhouse/sdk build || exit 1
pnpm --filter @funnelhouse/dashboard build || exit 1
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json
v=$?
PLAYWRIGHT_JSON_OUTPUT_FILE="$PWD/.tmp/playwright.json" pnpm exec playwright test -c test/playwright.config.ts --reporter=list,json
p=$?
node scripts/summarize-tests.mjs
s=$?
[ $v -eq 0 ] && [ $p -eq 0 ] && [ $s -eq 0 ]
