#!/usr/bin/env bash
# Interrupted snapshot creates: kill -9 an embed `vsh snapshot-create-as` as soon as the new
# internal snapshot shows in the image (before its metadata is written); the next opener must
# show the snapshot complete (metadata + image) or not at all, its name reusable.
# Usage: probe-snap.sh [N] (OFFLINE=1: the domain stays shut off, qemu-img makes the snapshot)
set -u
V=${VSH:-$(cd "$(dirname "$0")/../.." && pwd)/bin/vsh}; N=${1:-5}; R=$(mktemp -d /tmp/vkprobe-XXXX)
qemu-img create -q -f qcow2 $R/vm.qcow2 16M
echo "<domain type='qemu'><name>s</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$R/vm.qcow2'/><target dev='hda' bus='ide'/></disk></devices></domain>" > $R/d.xml
U="qemu:///embed?root=$R"
$V -c "$U" define $R/d.xml >/dev/null; [ "${OFFLINE:-0}" = 1 ] || $V -c "$U" start s >/dev/null
ok=0; hit=0
for i in $(seq 1 $N); do
  $V -c "$U" snapshot-create-as s n$i >/dev/null 2>&1 & p=$!
  while kill -0 $p 2>/dev/null && ! qemu-img info -U --output=json $R/vm.qcow2 2>/dev/null | grep -q "\"name\": \"n$i\""; do sleep 0.01; done
  kill -9 $p 2>/dev/null || { wait $p; continue; }   # the create returned first: not an interrupted one
  wait $p 2>/dev/null; hit=$((hit+1))
  # The next opener: the snapshot must be either listed (and in the image) or gone (and creatable).
  listed=$($V -c "$U" snapshot-list s --name 2>&1 | grep -cx "n$i")
  inimage=$(qemu-img info -U --output=json $R/vm.qcow2 | grep -c "\"name\": \"n$i\"")
  if [ "$listed" = 1 ] && [ "$inimage" = 1 ]; then ok=$((ok+1))
  elif [ "$listed" = 0 ] && out=$($V -c "$U" snapshot-create-as s n$i 2>&1); then ok=$((ok+1))
  else echo "  run $i: listed=$listed in-image=$inimage ${out:-}"; fi
  out=
done
echo "consistent after $ok of $hit interrupted creates (listed with its image snapshot, or gone and its name reusable; $N tries)"
$V -c "$U" destroy s >/dev/null 2>&1; rm -rf $R
