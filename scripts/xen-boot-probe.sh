#!/usr/bin/env bash
# Boots Debian's Xen 4.17 hypervisor under QEMU (TCG) with the tiny guest's Debian kernel as its
# PV dom0 and reports how far it got: the first step towards running the Xen driver's lifecycle
# on a real Xen (docs/xen.md). Downloads xen-hypervisor-4.17-amd64 with apt-get download.
#   scripts/xen-boot-probe.sh [SECONDS]   (default 120; prints the milestones and the verdict)
set -euo pipefail
limit=${1:-120}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
guest=$("$root/scripts/tiny-guest.sh")
(cd "$work" && apt-get download -qq xen-hypervisor-4.17-amd64 >/dev/null 2>&1)
dpkg-deb -x "$work"/xen-hypervisor-*.deb "$work/x"
# QEMU's multiboot loader takes the hypervisor uncompressed (an ELF32 multiboot image).
zcat "$work"/x/boot/xen-4.17-amd64.gz >"$work/xen"
# SMAP, SMEP and PCID off: with QEMU's "max" CPU the PV dom0 kernel faults (#PF) on its first
# instructions under TCG; a Haswell model without them boots.
timeout "$limit" qemu-system-x86_64 -machine q35 -cpu Haswell-noTSX-IBRS,-smap,-smep,-pcid -m 1024 -smp 2 \
  -nographic -no-reboot -kernel "$work/xen" \
  -append "console=com1 com1=115200,8n1 dom0_mem=512M" \
  -initrd "$guest/vmlinuz console=hvc0 panic=-1,$guest/initrd.gz" >"$work/boot.log" 2>&1 || true
grep -aoE '\(XEN\) Xen version [0-9.]+|\*\*\* Building a PV Dom0 \*\*\*|Linux version [^ ]+|Run /init as init process|Hardware Dom0 crashed' \
  "$work/boot.log" | sed 's/^/milestone: /'
if grep -aq 'Run /init as init process' "$work/boot.log"; then
  echo "verdict: Xen booted and its PV dom0 reached userspace"
else
  echo "verdict: dom0 did not reach userspace within ${limit}s"
  exit 1
fi
