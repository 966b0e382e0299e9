#!/usr/bin/env bash
# Runs native-heavy scripts under valgrind memcheck (slow: several minutes; not in the default
# test suite). Usage: bash native/scripts/valgrind.sh   — exits non-zero on definite errors.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
status=0
for cycles in 3; do
  valgrind --error-exitcode=99 --errors-for-leak-kinds=definite --leak-check=full \
    --show-leak-kinds=definite --num-callers=30 --suppressions=native/scripts/node.supp \
    --log-file="$out/leak.log" \
    node --expose-gc --import tsx src/speech/testing/leak-cycles.ts "$cycles" >/dev/null || status=$?
done
# Only report errors whose stacks pass through Deskline's addon or the engines it wraps.
if grep -E "deskline_native|libpocketsphinx|libsphinxbase" "$out/leak.log" >/dev/null; then
  grep -B2 -A25 -E "Invalid|uninitialised|definitely lost" "$out/leak.log" | grep -E -B5 -A20 "deskline_native" || true
fi
grep -E "ERROR SUMMARY|definitely lost" "$out/leak.log"
echo "full log: $out/leak.log"
exit $status
