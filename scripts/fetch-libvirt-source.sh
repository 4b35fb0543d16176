#!/usr/bin/env bash
# Fetches Debian's libvirt 9.0 source package (a test fixture for libvirt's own virsh tests, never
# committed) into .cache/libvirt-src (gitignored), or $VIRTKIT_LIBVIRT_SRC_CACHE. Idempotent: a second
# run finds the unpacked tree and prints its path. Adds a deb-src entry mirroring the deb entries of
# /etc/apt/sources.list.d/debian.sources when apt has none. Prints the unpacked tree's path; exits 1
# with a reason on stderr when the source cannot be fetched.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${VIRTKIT_LIBVIRT_SRC_CACHE:-$PWD/.cache/libvirt-src}
found() { find "$cache" -maxdepth 1 -type d -name 'libvirt-9.0.0*' 2>/dev/null | head -1 || true; }
tree=$(found)
if [ -n "$tree" ] && [ -f "$tree/tests/virshtest.c" ]; then echo "$tree"; exit 0; fi
command -v apt-get >/dev/null || { echo "apt-get is missing: cannot fetch libvirt's source" >&2; exit 1; }
command -v dpkg-source >/dev/null || { echo "dpkg-source is missing (Debian: dpkg-dev)" >&2; exit 1; }
sources=/etc/apt/sources.list.d/debian.sources
srcfile=/etc/apt/sources.list.d/debian-src.sources
has_deb_src() { grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; }
if ! has_deb_src; then
  [ -f "$sources" ] || { echo "no deb-src entry and no $sources to derive one from" >&2; exit 1; }
  [ "$(id -u)" = 0 ] || { echo "no deb-src entry, and adding one needs root" >&2; exit 1; }
  # The same stanzas with Types: deb-src; comments dropped.
  sed -e 's/^Types:.*/Types: deb-src/' -e '/^#/d' "$sources" >"$srcfile.tmp"
  mv "$srcfile.tmp" "$srcfile"
  flock /tmp/apt.lock apt-get update -qq >/dev/null
fi
mkdir -p "$cache"
(cd "$cache" && flock /tmp/apt.lock apt-get source -qq libvirt >/dev/null 2>"$cache/apt-source.log") || {
  echo "apt-get source libvirt failed: $(tail -3 "$cache/apt-source.log")" >&2; exit 1; }
tree=$(found)
[ -n "$tree" ] && [ -f "$tree/tests/virshtest.c" ] || { echo "apt-get source libvirt gave no libvirt-9.0.0 tree in $cache" >&2; exit 1; }
echo "$tree"
