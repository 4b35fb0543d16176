#!/usr/bin/env bash
# Runs libvirt 9.0's own virsh tests (test/fixtures/libvirt-virsh: the 16 tests/virsh-* scripts and
# the cases of tests/virshtest.c) against PROGRAM (default bin/vsh; /usr/bin/virsh is the reference),
# through a tree whose tools/virsh execs PROGRAM. Prints each failure, then "N passed, N failed"
# for the scripts and for the cases. An optional REGEX limits the run to matching names.
#   scripts/virsh-tests.sh [PROGRAM [REGEX]]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec node --import tsx "$root/packages/testkit/src/libvirt-virsh-tests.ts" "$@"
