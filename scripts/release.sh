#!/usr/bin/env bash
# Publishes a release: exactly the tarballs the consumer smoke test installed (RELEASING.md).
#   scripts/release.sh            check, build, pack, smoke-test, then `npm publish --dry-run` each tarball
#   scripts/release.sh --publish  the same, then publish each tarball and tag vVERSION
set -euo pipefail
cd "$(dirname "$0")/.."
publish=0
[ "${1:-}" = "--publish" ] && publish=1
node scripts/check-versions.mjs
pending=$(find .changeset -name '*.md' ! -name README.md)
if [ -n "$pending" ]; then
  echo "release: changesets not yet applied (run npx changeset version first):" >&2
  echo "$pending" >&2
  exit 1
fi
npx -y pnpm@9 -s build
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bash scripts/pack-all.sh "$out" >/dev/null
node scripts/consumer-smoke.mjs --tarballs "$out"
version=$(node -p 'require("./packages/core/package.json").version')
for tgz in "$out"/*.tgz; do
  if [ "$publish" = 1 ]; then npm publish "$tgz" --access public; else npm publish "$tgz" --access public --dry-run; fi
done
if [ "$publish" = 1 ]; then git tag "v$version"; else echo "release: dry run of $version done; publish with scripts/release.sh --publish"; fi
