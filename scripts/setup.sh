#!/usr/bin/env bash
# npm run setup: idempotent install, generated-code check and build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh runtime
pnpm() { npx -y pnpm@9 "$@"; }
if [ -f pnpm-lock.yaml ]; then pnpm install --frozen-lockfile --reporter=silent; else pnpm install --reporter=silent; fi
pnpm -s generate --check
pnpm -s build >/dev/null
echo "setup: done (bin/vsh, bin/virtkitd and bin/corpus are ready)"
