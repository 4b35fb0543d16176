#!/usr/bin/env bash
# Builds the tiny guest: Debian's distribution kernel and an initramfs made of busybox-static, the
# few kernel modules a QEMU guest needs and the init in scripts/tiny-guest/. See docs/tiny-guest.md.
#
#   scripts/tiny-guest.sh [--agent] [OUTDIR]
#
# Writes OUTDIR/vmlinuz and OUTDIR/initrd.gz (OUTDIR/initrd-agent.gz with --agent: the same plus
# this host's qemu-ga and the libraries it links) and prints OUTDIR. Downloads (apt-get download,
# nothing is installed) and builds are cached under ~/.cache/virtkit/tiny-guest/ (or
# $VIRTKIT_CACHE/tiny-guest), keyed by the content of the scripts, so a second run does nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
agent=0
if [ "${1:-}" = --agent ]; then agent=1; shift; fi
cache=${VIRTKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/virtkit}/tiny-guest
out=${1:-$cache/out}

# Modules, by file name without .ko; their dependencies are added from modinfo. ext4 (and the
# crc32c it loads by name): a disk the guest agent tests mount, freeze and list (GetFSInfo).
MODULES=(virtio_pci virtio_net virtio_blk virtio_console virtio_scsi virtio_balloon sd_mod
  e1000 e1000e 8139cp 8139too button evdev ext4 crc32c_generic)

need() { command -v "$1" >/dev/null || { echo "tiny-guest: $1 is missing (Debian: $2)" >&2; exit 1; }; }
need apt-get apt
need dpkg-deb dpkg
need cpio cpio
need modinfo kmod
need gzip gzip

inputs=$(cat "$here"/tiny-guest/* "$0" | sha256sum | cut -c1-16)
initrd=initrd.gz
((agent)) && initrd=initrd-agent.gz
# Built from these scripts already: done, without asking apt (slow on a loaded machine). A newer
# kernel package is picked up when the scripts change or the cache is removed.
if [ -f "$out/$initrd" ] && [ -f "$out/vmlinuz" ] && [ "$(cat "$out/.$initrd.key" 2>/dev/null)" = "$inputs" ]; then
  echo "$out"
  exit 0
fi

# One build at a time per cache (parallel test workers call this too).
mkdir -p "$cache/debs" "$out"
exec 9>"$cache/lock"
flock 9
if [ -f "$out/$initrd" ] && [ "$(cat "$out/.$initrd.key" 2>/dev/null)" = "$inputs" ]; then
  echo "$out"
  exit 0
fi

# The kernel package the linux-image-amd64 metapackage points at.
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n 1)
[ -n "$kpkg" ] || { echo "tiny-guest: apt knows no linux-image-amd64 (run apt-get update)" >&2; exit 1; }
kver=${kpkg#linux-image-}
((agent)) && ! [ -x /usr/sbin/qemu-ga ] && { echo "tiny-guest: --agent needs qemu-guest-agent installed" >&2; exit 1; }

(cd "$cache/debs" && for p in "$kpkg" busybox-static; do
  ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download -q "$p" >&2
done)
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The kernel's files are unpacked once per kernel version (unpacking 70 MB of xz is the slow part).
kernel="$cache/kernel-$kver"
if ! [ -f "$kernel/.done" ]; then
  rm -rf "$kernel"
  dpkg-deb --fsys-tarfile "$(ls "$cache/debs/${kpkg}"_*.deb | tail -n 1)" |
    tar -x -C "$work" --wildcards './boot/vmlinuz-*' './lib/modules/*'
  mv "$work" "$kernel.tmp" && mkdir "$work" && mv "$kernel.tmp" "$kernel" && touch "$kernel/.done"
fi
dpkg-deb -x "$(ls "$cache/debs"/busybox-static_*.deb | tail -n 1)" "$work/busybox"
moddir="$kernel/lib/modules/$kver"

# Resolve the module list to files in dependency order (dependencies first).
declare -A seen=()
order=()
add_module() {
  local name=$1 file dep
  [ -n "${seen[$name]:-}" ] && return
  seen[$name]=1
  file=$(find "$moddir/kernel" \( -name "$name.ko*" -o -name "${name//_/-}.ko*" \) | head -n 1)
  if [ -z "$file" ]; then
    # Built into the kernel: nothing to load.
    grep -q "/$name.ko$" "$moddir/modules.builtin" && return
    echo "tiny-guest: module $name is not in $kpkg" >&2; exit 1
  fi
  for dep in $(modinfo -F depends "$file" | tr ',' ' '); do add_module "$dep"; done
  order+=("$file")
}
for m in "${MODULES[@]}"; do add_module "$m"; done

fs="$work/fs"
mkdir -p "$fs"/{bin,sbin,usr/bin,usr/sbin,etc/acpi/PWRF,lib/modules,proc,sys,dev,run,tmp,root}
cp "$work/busybox/bin/busybox" "$fs/bin/busybox"
# --list names busybox itself: linking that would replace the binary with a link to itself.
for applet in $("$fs/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$fs/bin/$applet"
done
# qemu-ga's guest-set-time runs /sbin/hwclock by that path.
ln -sf ../bin/busybox "$fs/sbin/hwclock"
for f in "${order[@]}"; do
  base=${f##*/}
  case "$base" in
    *.xz) xz -dc "$f" >"$fs/lib/modules/${base%.xz}"; base=${base%.xz} ;;
    *.zst) zstd -qdc "$f" >"$fs/lib/modules/${base%.zst}"; base=${base%.zst} ;;
    *) cp "$f" "$fs/lib/modules/$base" ;;
  esac
  echo "$base" >>"$fs/etc/modules.order"
done
install -m 755 "$here/tiny-guest/init" "$fs/init"
install -m 755 "$here/tiny-guest/udhcpc.script" "$fs/etc/udhcpc.script"
install -m 755 "$here/tiny-guest/power-button" "$fs/etc/acpi/PWRF/00000080"
install -m 755 "$here/tiny-guest/shutdown" "$fs/sbin/shutdown"
install -m 755 "$here/tiny-guest/chpasswd" "$fs/usr/sbin/chpasswd"
echo 'root:x:0:0:root:/root:/bin/sh' >"$fs/etc/passwd"
echo 'root:x:0:' >"$fs/etc/group"
echo tiny-guest >"$fs/etc/hostname"

if ((agent)); then
  # The host's qemu-ga (same Debian release as the kernel) and every library ldd names.
  install -D -m 755 /usr/sbin/qemu-ga "$fs/usr/sbin/qemu-ga"
  for lib in $(ldd /usr/sbin/qemu-ga | grep -o '/[^ ]*'); do
    install -D -m 755 "$(readlink -f "$lib")" "$fs$lib"
  done
fi

(cd "$fs" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) | gzip -6 >"$work/$initrd"
cp "$kernel/boot/vmlinuz-$kver" "$work/vmlinuz"
mv -f "$work/vmlinuz" "$out/vmlinuz"
mv -f "$work/$initrd" "$out/$initrd"
echo "$inputs" >"$out/.$initrd.key"
echo "$out"
