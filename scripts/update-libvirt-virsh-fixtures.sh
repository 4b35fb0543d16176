#!/usr/bin/env bash
# Refreshes test/fixtures/libvirt-virsh from Debian's libvirt 9.0 source package: libvirt's own
# virsh tests (tests/virsh-*, tests/test-lib.sh, tests/virshtest.c) and the test driver's node
# files they connect to (examples/xml/test/). They are copied unmodified and committed, so the
# tests run without network; the source comes from scripts/fetch-libvirt-source.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(bash scripts/fetch-libvirt-source.sh)
dest=test/fixtures/libvirt-virsh
mkdir -p "$dest/tests" "$dest/examples/xml/test"
cp "$src"/tests/virsh-* "$src/tests/test-lib.sh" "$src/tests/virshtest.c" "$dest/tests/"
cp "$src"/examples/xml/test/*.xml "$dest/examples/xml/test/"
echo "$dest: $(ls "$dest/tests" | wc -l) test files, $(ls "$dest/examples/xml/test" | wc -l) node files from $(basename "$src")"
