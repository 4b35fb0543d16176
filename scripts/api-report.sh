#!/usr/bin/env bash
# The reviewed public TS surface of every package, as api-extractor reports in packages/*/etc/.
#   scripts/api-report.sh          fail when a report differs from the committed one (CI)
#   scripts/api-report.sh --update rewrite the reports after a reviewed API change
set -euo pipefail
cd "$(dirname "$0")/.."
mode=()
[ "${1:-}" = "--update" ] && mode=(--local)
status=0
for dir in packages/*/; do
  [ -f "$dir/api-extractor.json" ] || continue
  mkdir -p "$dir/etc"
  if ! (cd "$dir" && ../../node_modules/.bin/api-extractor run "${mode[@]}" >/tmp/api-extractor.$$.log 2>&1); then
    echo "api-extractor: the public API of ${dir%/} changed (see below); review it and run 'npm run api-report -- --update'"
    grep -E 'Warning|Error|changed' /tmp/api-extractor.$$.log | head -20
    status=1
  fi
done
rm -f /tmp/api-extractor.$$.log
exit $status
