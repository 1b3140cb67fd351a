#!/usr/bin/env bash
# Installs what Funnelhouse needs (pnpm, packages), builds the snippet and starts the server with
# embedded ClickHouse, the dashboard, the snippet and the demo shop. Prints URLs and keys.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-pnpm.sh
pnpm install --frozen-lockfile
# The demo trusts X-Forwarded-For so that `pnpm seed` can show several countries; behind a real
# proxy keep it on, exposed directly to the internet set FUNNELHOUSE_TRUST_PROXY=0.
export FUNNELHOUSE_TRUST_PROXY="${FUNNELHOUSE_TRUST_PROXY:-1}"
exec pnpm run serve
