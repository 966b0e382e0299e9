#!/usr/bin/env bash
# Quick start, command 2 (and what CI runs): install what is needed, type-check, then run every
# test — unit tests beside the code and integration tests against the real sandbox Asterisk.
# Ends with a line "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
bash deploy/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
[ -x /opt/deskline/node/bin/node ] && export PATH=/opt/deskline/node/bin:$PATH

echo "test: type-check (tsc --noEmit)"
if ! npx --no-install tsc --noEmit; then echo "0 passed, 1 failed"; exit 1; fi

mkdir -p .cache
tap=.cache/test-results.tap
echo "test: ava (unit + integration)"
npx --no-install ava --tap "$@" | tee "$tap"
status=${PIPESTATUS[0]}
# Files that need the machine to themselves (test/ava-alone.config.js) run after the rest.
if [ $# -eq 0 ]; then
  echo "test: ava (files that run alone: live speech with several calls)"
  npx --no-install ava --tap --config test/ava-alone.config.js | tee -a "$tap"
  alone=${PIPESTATUS[0]}
  [ "$status" = 0 ] && status=$alone
fi
passed=$(grep -cE '^ok [0-9]+' "$tap" || true)
failed=$(grep -cE '^not ok [0-9]+' "$tap" || true)
skipped=$(grep -cE '^ok [0-9]+ .*# SKIP' "$tap" || true)
passed=$((passed - skipped))
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
