#!/usr/bin/env bash
# Installs what Funnelhouse needs (pnpm, packages), builds the snippet and starts the server with
# embedded ClickHouse, the dashboard, the snippet and the demo shop. Prints URLs and keys.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-pnpm.sh
pnpm install --frozen-lockfile
# The demo reads X-Forwarded-For from loopback peers only, so that `pnpm seed` (posting from this
# machine) can show several countries while a client connecting directly cannot forge its address.
# Behind a reverse proxy, set FUNNELHOUSE_TRUST_PROXY to the proxy's address or a hop count.
export FUNNELHOUSE_TRUST_PROXY="${FUNNELHOUSE_TRUST_PROXY:-loopback}"
exec pnpm run serve
