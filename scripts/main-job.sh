#!/usr/bin/env bash
# npm run main: the README's main job end to end through vsh — the commands of
# scripts/main-job.vsh (shared with the test that replays them through real virsh).
# With QEMU installed it boots a real VM on a fresh `qemu:///embed` root (destroyed at the end);
# otherwise it runs on the embedded test driver. MAIN_JOB_URI and MAIN_JOB_XML force a
# connection and a domain definition.
set -euo pipefail
cd "$(dirname "$0")/.."
uri="${MAIN_JOB_URI:-}"
xml="${MAIN_JOB_XML:-}"
finish=""
if [ -z "$uri" ] && command -v qemu-system-x86_64 >/dev/null && command -v qemu-img >/dev/null; then
  root="$(mktemp -d "${TMPDIR:-/tmp}/virtkit-main.XXXXXX")"
  trap 'rm -rf "$root"' EXIT
  qemu-img create -q -f qcow2 "$root/demo.qcow2" 64M
  sed "s|@DISK@|$root/demo.qcow2|" test/fixtures/main/demo-qemu.xml >"$root/demo.xml"
  uri="qemu:///embed?root=$root"
  xml="$root/demo.xml"
  finish=$'\ndestroy demo'
fi
[ -n "${MAIN_JOB_URI:-}" ] || echo "main job on ${uri:-test:///default}" >&2
uri="${uri:-test:///default}"
xml="${xml:-test/fixtures/main/demo.xml}"
script="$(<scripts/main-job.vsh)"
bin/vsh -c "$uri" "${script//@DOMAIN_XML@/$xml}$finish"
