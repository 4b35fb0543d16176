#!/usr/bin/env bash
# Boots a real Xen 4.17 (Debian's hypervisor) under QEMU/TCG with a PV dom0 that runs Xen's own
# toolstack (xl, xenstored, xenconsoled from xen-utils-4.17), then runs COMMAND on the host with
# VIRTKIT_XL and VIRTKIT_XENSTORE_READ pointing at the dom0 command channel (scripts/xen-dom0/),
# so virtkit's Xen driver drives the real toolstack. The tiny guest's kernel and initramfs are in
# dom0 at /boot/domu-vmlinuz and /boot/domu-initrd.gz for PV guests. Packages come from
# apt-get download (nothing is installed).
#   scripts/xen-real.sh [--limit SECONDS] COMMAND...   (default limit 900)
set -euo pipefail
limit=900
if [ "${1:-}" = --limit ]; then limit=$2; shift 2; fi
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${VIRTKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/virtkit}/xen
work=$(mktemp -d)
qemu_pid=
cleanup() { [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
guest=$("$root/scripts/tiny-guest.sh")
moddir=$(ls -d "$(dirname "$guest")"/kernel-*/lib/modules/* | head -n 1)

mkdir -p "$cache/debs"
(cd "$cache/debs" && for p in xen-hypervisor-4.17-amd64 xen-utils-4.17 xen-utils-common xenstore-utils libxenmisc4.17 libxencall1 libxendevicemodel1 \
  libxenevtchn1 libxenforeignmemory1 libxengnttab1 libxenhypfs1 libxenstore4 libxentoolcore1 libxentoollog1 libyajl2; do
  ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download -qq "$p" >/dev/null 2>&1
done)
for d in "$cache"/debs/*.deb; do dpkg-deb -x "$d" "$work/pkgs"; done
zcat "$work"/pkgs/boot/xen-4.17-amd64.gz >"$work/xen"

# The overlay: the toolstack, the libraries it links, the Xen modules and dom0's init.
o=$work/overlay
mkdir -p "$o/usr/lib/xen-4.17/bin" "$o/usr/lib/x86_64-linux-gnu" "$o/lib/modules/xen" "$o/etc/xen" "$o/boot" "$o/lib64"
for b in xl xenstored xenconsoled xen-init-dom0 libxl-save-helper; do cp "$work/pkgs/usr/lib/xen-4.17/bin/$b" "$o/usr/lib/xen-4.17/bin/"; done
cp -a "$work"/pkgs/usr/lib/x86_64-linux-gnu/*.so* "$o/usr/lib/x86_64-linux-gnu/"
mkdir -p "$o/usr/bin" && cp -a "$work"/pkgs/usr/bin/xenstore* "$o/usr/bin/"
cp "$work/pkgs/etc/xen/xl.conf" "$o/etc/xen/"
for b in "$o"/usr/lib/xen-4.17/bin/* "$o/usr/bin/xenstore"; do
  LD_LIBRARY_PATH="$o/usr/lib/x86_64-linux-gnu" ldd "$b" | awk '$3 ~ /^\// {print $3}'
done | sort -u | grep -v "$o" | while read -r lib; do cp -L "$lib" "$o/usr/lib/x86_64-linux-gnu/"; done
cp -L /lib64/ld-linux-x86-64.so.2 "$o/lib64/"
# glibc dlopens libgcc_s for pthread_cancel, which xl's domain-watching child calls; ldd misses it.
cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$o/usr/lib/x86_64-linux-gnu/"
for m in xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc; do cp "$(find "$moddir" -name "$m.ko" | head -n 1)" "$o/lib/modules/xen/"; done
cp "$root/scripts/xen-dom0/init" "$o/init"
cp "$guest/vmlinuz" "$o/boot/domu-vmlinuz"
cp "$guest/initrd.gz" "$o/boot/domu-initrd.gz"
(cd "$o" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/overlay.gz"
# The kernel unpacks concatenated archives in order: the overlay's /init replaces the tiny guest's.
cat "$guest/initrd.gz" "$work/overlay.gz" >"$work/dom0.gz"

sock=$work/xl.sock
qemu-system-x86_64 -machine q35 -cpu Haswell-noTSX-IBRS,-smap,-smep,-pcid -m 1536 -smp 2 \
  -display none -no-reboot -serial "file:$work/xen.log" -kernel "$work/xen" \
  -append "console=com1 com1=115200,8n1 dom0_mem=768M,max:768M" \
  -initrd "$guest/vmlinuz console=hvc0 panic=-1,$work/dom0.gz" \
  -device virtio-serial-pci -chardev "socket,id=xl,path=$sock,server=on,wait=off" \
  -device virtserialport,chardev=xl,name=xl &
qemu_pid=$!
start=$(date +%s)
until grep -aq 'xen-dom0: toolstack ready' "$work/xen.log" 2>/dev/null; do
  if ! kill -0 "$qemu_pid" 2>/dev/null || [ $(($(date +%s) - start)) -gt "$limit" ]; then
    echo "xen-real: dom0 did not get its toolstack ready" >&2
    grep -a 'xen-dom0:\|(XEN) Xen version\|Kernel panic\|crashed' "$work/xen.log" >&2 || true
    exit 1
  fi
  sleep 2
done
echo "xen-real: toolstack ready after $(($(date +%s) - start))s" >&2
grep -a 'xen-dom0:' "$work/xen.log" >&2
mkdir -p "$work/bin"
ln -s "$root/scripts/xen-dom0/xl-remote" "$work/bin/xl"
ln -s "$root/scripts/xen-dom0/xl-remote" "$work/bin/xenstore-read"
export XEN_DOM0_SOCKET=$sock VIRTKIT_XL=$work/bin/xl VIRTKIT_XENSTORE_READ=$work/bin/xenstore-read XEN_REAL_LOG=$work/xen.log
"$@"
