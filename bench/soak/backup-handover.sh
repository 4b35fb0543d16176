#!/usr/bin/env bash
# Push backups begun by one embed process and finished after it exited: N rounds of
# `vsh backup-begin` (each in a new process, each exiting at once) on a running domain. Prints
# how many rounds could begin (the previous round's nodes cleaned up by the next opener) and
# how many backup images came out complete.
# Usage: backup-handover.sh [N]
set -u
V=${VSH:-$(cd "$(dirname "$0")/../.." && pwd)/bin/vsh}; N=${1:-5}; R=$(mktemp -d /tmp/vkprobe-XXXX)
qemu-img create -q -f qcow2 $R/vm.qcow2 32M
qemu-io -f qcow2 -c 'write -P 0x5a 0 8M' $R/vm.qcow2 >/dev/null
echo "<domain type='qemu'><name>b</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$R/vm.qcow2'/><target dev='hda' bus='ide'/></disk></devices></domain>" > $R/d.xml
U="qemu:///embed?root=$R"
$V -c "$U" define $R/d.xml >/dev/null; $V -c "$U" start b >/dev/null
began=0; good=0
for i in $(seq 1 $N); do
  echo "<domainbackup><disks><disk name='hda' type='file'><driver type='qcow2'/><target file='$R/b$i.qcow2'/></disk></disks></domainbackup>" > $R/bk.xml
  if out=$($V -c "$U" backup-begin b --backupxml $R/bk.xml 2>&1); then began=$((began+1)); else echo "  round $i: $out"; fi
  sleep 1
done
$V -c "$U" domjobinfo b --completed >/dev/null 2>&1  # one more opener, after the last round
for i in $(seq 1 $N); do
  [ -f $R/b$i.qcow2 ] && qemu-img compare -U $R/vm.qcow2 $R/b$i.qcow2 >/dev/null 2>&1 && good=$((good+1))
done
echo "began $began of $N backups from new processes; $good complete backup images"
$V -c "$U" destroy b >/dev/null 2>&1; rm -rf $R
