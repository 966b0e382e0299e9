#!/usr/bin/env bash
# Quick start, command 1: install what is needed, then run the appliance with the demo site on
# the sandbox Asterisk. Prints the URL and how to call it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/setup.sh
[ -x /opt/deskline/node/bin/node ] && export PATH=/opt/deskline/node/bin:$PATH
exec node src/cli/deskline.js demo "$@"
