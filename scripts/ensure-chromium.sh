# Sourced: finds Chromium for the browser tests, installing Debian's package when run as root.
# Playwright's own browser download is not used (it cannot download here).
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then
  :
elif [ -x /usr/bin/chromium ]; then
  export CHROMIUM_PATH=/usr/bin/chromium
elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium not found: installing Debian's chromium package" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  export CHROMIUM_PATH=/usr/bin/chromium
else
  cat >&2 <<'MSG'
Chromium is needed for the browser tests and was not found.
  Debian/Ubuntu:  sudo apt-get install -y chromium
  or point at an existing Chromium/Chrome binary:  CHROMIUM_PATH=/path/to/chromium npm test
MSG
  exit 1
fi
