#!/usr/bin/env bash
# The Xen driver's lifecycle on a real Xen: run by scripts/xen-real.sh (which points VIRTKIT_XL and
# VIRTKIT_XENSTORE_READ at the booted dom0), it drives a PV guest (the tiny guest's kernel) through
# vsh on xen:///system and prints each command with its output. Exits non-zero at the first failure.
#   scripts/xen-real.sh scripts/xen-dom0/lifecycle.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export VIRTKIT_XEN_ROOT=$work/xen
cat >"$work/domu.xml" <<'XML'
<domain type='xen'>
  <name>domu</name>
  <uuid>6c1f3e5a-3c7b-4d47-9d3e-1c0ab2f0e001</uuid>
  <memory unit='MiB'>128</memory>
  <vcpu current='1'>2</vcpu>
  <os>
    <type arch='x86_64' machine='xenpv'>linux</type>
    <kernel>/boot/domu-vmlinuz</kernel>
    <initrd>/boot/domu-initrd.gz</initrd>
    <cmdline>console=hvc0 tg.dhcp=0</cmdline>
  </os>
</domain>
XML
vsh() { echo "\$ vsh $*"; "$root/bin/vsh" -c xen:///system "$@"; }
vsh version
vsh nodeinfo
vsh define "$work/domu.xml"
vsh start domu
vsh list --all
vsh dominfo domu
vsh dumpxml domu | grep -A2 "<console"
"$VIRTKIT_XL" list -v
vsh suspend domu
vsh domstate --reason domu
vsh resume domu
vsh setvcpus domu 2 --live
vsh vcpucount domu
vsh domjobinfo domu
# Last before destroy: here xl mem-set has been seen to wait without end (see docs/xen.md).
echo "\$ vsh setmem domu 98304 --live"
"$root/bin/vsh" -c xen:///system setmem domu 98304 --live || "$VIRTKIT_XL" -vvv mem-set domu 96m || true
"$VIRTKIT_XL" list
vsh destroy domu
vsh domstate --reason domu
"$VIRTKIT_XL" list
vsh undefine domu
vsh list --all
