#!/usr/bin/env bash
# Packs every public workspace package into OUTDIR with `pnpm pack`, which rewrites `workspace:`
# ranges to the real versions (npm pack would leave them in). Each tarball gets the licence text
# (the root COPYING, as LICENSE) and the package's own README. Packs the built dist/ as it is: run
# `pnpm build` first. Prints the absolute path of each tarball, one a line.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: scripts/pack-all.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Resolve pnpm once: each `npx pnpm` costs seconds.
pnpm=$(npx -y -p pnpm@9 -c 'command -v pnpm')

# The packages that are not private, as their folders under packages/.
public_packages() {
  node -e '
    const fs = require("fs"), path = require("path");
    const dir = path.join(process.argv[1], "packages");
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name, "package.json");
      if (fs.existsSync(file) && !JSON.parse(fs.readFileSync(file, "utf8")).private) console.log(name);
    }' "$root"
}

# The licence copy exists only while the package is packed; the repo keeps one COPYING.
pkgs=$(public_packages)
trap 'for pkg in $pkgs; do rm -f "$root/packages/$pkg/LICENSE"; done' EXIT
for pkg in $pkgs; do
  [ -d "$root/packages/$pkg/dist" ] || { echo "pack-all: $pkg has no dist/ (run pnpm build)" >&2; exit 1; }
  cp "$root/COPYING" "$root/packages/$pkg/LICENSE"
done
# Packed side by side: each pnpm start costs seconds.
logs=$(mktemp -d)
for pkg in $pkgs; do
  (cd "$root/packages/$pkg" && "$pnpm" pack --pack-destination "$out" >"$logs/$pkg" 2>&1) &
done
failed=0
for job in $(jobs -p); do wait "$job" || failed=1; done
for pkg in $pkgs; do
  if [ "$failed" = 1 ]; then cat "$logs/$pkg" >&2; else tail -1 "$logs/$pkg"; fi
done
rm -rf "$logs"
exit "$failed"
