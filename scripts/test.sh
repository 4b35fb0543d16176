#!/usr/bin/env bash
# npm test: sets up (idempotent), installs the test-only reference packages, then runs every
# suite — checks, jest (TypeScript), unittest (Python) — and ends with one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
npm run -s setup || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
bash scripts/system-packages.sh test
out=$(mktemp -d)
check() {
  local name=$1; shift
  if "$@" >"$out/$name.log" 2>&1; then echo "pass $name" >>"$out/checks"; else
    echo "fail $name" >>"$out/checks"; echo "--- check $name failed:"; tail -40 "$out/$name.log"; fi
}
check generate-check npx -y pnpm@9 -s generate --check
check typecheck node_modules/.bin/tsc -p tsconfig.json
check lint node_modules/.bin/eslint --max-warnings 0 .
check format node_modules/.bin/prettier --check .
check api-report bash scripts/api-report.sh
check versions node scripts/check-versions.mjs
check api-docs bash scripts/api-docs.sh --check
check links node scripts/check-links.mjs
check python-lint bash scripts/python-checks.sh
# The CI slice of the soak probes (bench/soak/run.ts); bounds still waiting for their issue-12 fix are reported, not enforced.
check soak-ci npx tsx bench/soak/run.ts --ci
node_modules/.bin/jest --ci --json --outputFile="$out/jest.json" 2>&1 | grep -vE '^\s*$' | tail -60
python3 scripts/run-python-tests.py "$out/python.json" 2>&1 | tail -40
node scripts/summary.js "$out/jest.json" "$out/python.json" "$out/checks"
status=$?
rm -rf "$out"
exit $status
