#!/usr/bin/env bash
# Installs Deskline on a blank Debian 12 box (or a host with its own Asterisk >= 20, e.g.
# Ubuntu's package), as root, from this checkout (clone it to /opt/deskline/app first):
#   1. what deploy/setup.sh installs: Debian packages, Node.js 20, npm dependencies, the native
#      addon, the web UI, and, when the host has no Asterisk >= 20, Debian sid's Asterisk 22 in
#      its own root at /opt/deskline/asterisk-root;
#   2. `deskline provision SITE_FILE`: user, folders, secrets, Asterisk configs, first admin,
#      systemd units;
#   3. with --local-broker, a Mosquitto on this box for the fleet link (password + ACL);
#   4. starts Asterisk (the root's unit, or the host's) and Deskline, then runs `deskline doctor`.
# Idempotent: run it again after editing the site file.
# Usage: deploy/install.sh SITE_FILE [--local-broker]
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf 'install: %s\n' "$*"; }
usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }

site="" local_broker=0
for arg in "$@"; do
  case "$arg" in
    --local-broker) local_broker=1 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "install: unknown option $arg" >&2; usage >&2; exit 2 ;;
    *) site=$arg ;;
  esac
done
[ -n "$site" ] || { usage >&2; exit 2; }
[ -f "$site" ] || { echo "install: no site file at $site" >&2; exit 2; }
site=$(cd "$(dirname "$site")" && pwd)/$(basename "$site")
if [ "$(id -u)" != 0 ]; then echo "install: run as root" >&2; exit 1; fi

# 1. Software. Debian 12 ships no Asterisk: then the sid root is prepared (about 75 s, once).
major=$( (/usr/sbin/asterisk -V 2>/dev/null || true) | sed -n 's/^Asterisk \([0-9]*\)\..*/\1/p')
if [ -n "$major" ] && [ "$major" -ge 20 ]; then
  say "[1/4] software (the host's Asterisk $major is used)"
  DESKLINE_SKIP_ASTERISK_ROOT=1 bash deploy/setup.sh
else
  say "[1/4] software (Asterisk 22 from Debian sid in /opt/deskline/asterisk-root)"
  DESKLINE_ASTERISK_ROOT=/opt/deskline/asterisk-root bash deploy/setup.sh
fi
[ -x /opt/deskline/node/bin/node ] && export PATH=/opt/deskline/node/bin:$PATH
deskline() { node src/cli/deskline.js "$@"; }
deskline site validate "$site"

# 2. The box itself.
say "[2/4] deskline provision $site"
deskline provision "$site"

# 3. A local broker (after provision: the service user must exist to own its password file): the box's broker user and password, an ACL that keeps it to its own topics.
if [ "$local_broker" = 1 ]; then
  say "[3/4] local Mosquitto for the fleet link"
  bash deploy/mosquitto/local-broker.sh "$site"
else
  say "[3/4] no local broker (--local-broker adds one)"
fi

# 4. Start and check.
say "[4/4] starting"
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  if [ -f /etc/systemd/system/deskline-asterisk.service ]; then systemctl enable --now deskline-asterisk.service; fi
  systemctl enable --now deskline.service
  systemctl restart deskline.service
  # Readiness of a just-started service (not a test): up to 30 s for the control socket.
  for _ in $(seq 1 60); do deskline doctor --site "$site" >/dev/null 2>&1 && break; sleep 0.5; done
  deskline doctor --site "$site" || say "doctor found problems: each line above says how to fix it"
else
  say "systemd is not running here: start Asterisk and 'deskline serve --site $site' yourself"
fi
say "done: the web UI address and the first admin's password file are printed by provision above"
