#!/usr/bin/env bash
# Runs every test: typecheck, lint, unit + integration (vitest, embedded ClickHouse) and browser
# tests (Playwright, Debian Chromium). Installs pnpm, packages and Chromium when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-pnpm.sh
pnpm install --frozen-lockfile
source scripts/ensure-chromium.sh
pnpm run typecheck
pnpm run lint
pnpm run test:all
