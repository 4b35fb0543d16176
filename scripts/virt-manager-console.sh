#!/usr/bin/env bash
# virt-manager's console through virtkitd, under Xvfb: starts a private virtkitd (QEMU root and
# sockets in a temporary folder), boots the tiny guest with a pty serial console, opens
# virt-manager on the guest's console window and saves a screenshot of the X screen.
#
#   scripts/virt-manager-console.sh [OUT.png]     (default: ./virt-manager-console.png)
#
# The evidence is the PNG: the console tab shows the guest's serial output ("tiny-guest: tick N"),
# which virt-manager reads through virDomainOpenConsole (remote procedure 201) from virtkitd.
# Needs: virt-manager (with Debian's python3-gi, also used for the screenshot), Xvfb, QEMU.
# Everything it starts is stopped at exit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "${1:-virt-manager-console.png}")
for c in virt-manager Xvfb; do command -v "$c" >/dev/null || { echo "missing: $c" >&2; exit 1; }; done

guest=$(bash "$here/tiny-guest.sh")
work=$(mktemp -d /tmp/virt-manager-console.XXXXXX)
pids=()
cleanup() {
  # Children first: dbus-run-session leaves its bus daemon behind when it is killed itself.
  for p in "${pids[@]}"; do
    pkill -TERM -P "$p" 2>/dev/null || true
    kill "$p" 2>/dev/null || true
  done
  # QEMU outlives virtkitd by design: stop the guest by the pid its status file names.
  for f in "$work"/root/run/*.json; do
    [ -f "$f" ] && kill "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$f")" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

"$here/../bin/virtkitd" --socket-dir "$work/run" --qemu-root "$work/root" --log-level info 2>"$work/virtkitd.log" &
pids+=($!)
for _ in $(seq 100); do grep -q ready "$work/virtkitd.log" && break; sleep 0.2; done
uri="qemu+unix:///system?socket=$work/run/virtkit-sock"

cat >"$work/demo.xml" <<EOF
<domain type='qemu'><name>console-demo</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type><kernel>$guest/vmlinuz</kernel><initrd>$guest/initrd.gz</initrd>
<cmdline>console=ttyS0 tg.dhcp=0</cmdline></os><features><acpi/></features>
<devices><serial type='pty'/><console type='pty'/></devices></domain>
EOF
virsh -c "$uri" create "$work/demo.xml"

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1024x768x24 -nolisten tcp 2>/dev/null &
pids+=($!)
sleep 2
# A private settings store and session bus: nothing of the host user's GNOME state is read or written.
DISPLAY=$display NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache \
  dbus-run-session -- virt-manager --no-fork --connect "$uri" --show-domain-console console-demo 2>"$work/virt-manager.log" &
pids+=($!)
# The guest boots in 15-40 s under TCG and then prints a tick each second.
sleep "${WAIT_S:-60}"
# The X screen as a PNG, through GDK (the toolkit virt-manager itself runs on).
DISPLAY=$display /usr/bin/python3 -c '
import sys, gi
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk
root = Gdk.get_default_root_window()
Gdk.pixbuf_get_from_window(root, 0, 0, root.get_width(), root.get_height()).savev(sys.argv[1], "png", [], [])
' "$out"
echo "screenshot: $out"
echo "virt-manager log (last lines):"
tail -n 5 "$work/virt-manager.log" || true
echo "virtkitd log (last lines):"
tail -n 5 "$work/virtkitd.log"
