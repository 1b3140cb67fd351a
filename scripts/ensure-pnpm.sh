# Sourced: makes sure pnpm 10 is on PATH (corepack is not relied on).
if ! command -v pnpm >/dev/null 2>&1; then
  echo "pnpm not found: installing pnpm@10 with npm" >&2
  npm i -g pnpm@10 >/dev/null
fi
