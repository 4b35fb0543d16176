#!/usr/bin/python3
"""One contender's rounds of bench/save-hotplug.ts, run with python3-libvirt against a daemon.

    /usr/bin/python3 bench/save_hotplug.py URI ROUNDS KERNEL INITRD WORKDIR BOOT_TIMEOUT_SECONDS

Starts the tiny guest (256 MiB) on URI, waits until its console says it booted, then times ROUNDS of
  save:    dom.save(file)              (returns when the domain is shut off and the image is written)
  restore: conn.restore(file)          (returns when the domain runs again)
and ROUNDS of
  attach:  dom.attachDeviceFlags(virtio disk, LIVE)
  detach:  dom.detachDeviceFlags(the same, LIVE), then until the live XML no longer has it
Prints one JSON object of lists of milliseconds. The guest is destroyed at the end.
"""
import json
import os
import re
import select
import subprocess
import sys
import time

import libvirt

uri, rounds, kernel, initrd, work, boot = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], float(sys.argv[6])
NAME = "benchsave"
GUEST = f"""<domain type='qemu'><name>{NAME}</name><memory unit='MiB'>256</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type><kernel>{kernel}</kernel><initrd>{initrd}</initrd>
<cmdline>console=ttyS0 quiet tg.dhcp=0</cmdline></os><features><acpi/></features>
<devices><serial type='pty'/><memballoon model='none'/></devices></domain>"""

disk = os.path.join(work, "hot.qcow2")
subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", disk, "64M"], check=True)
DISK = f"""<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{disk}'/>
<target dev='vdb' bus='virtio'/></disk>"""
LIVE = libvirt.VIR_DOMAIN_AFFECT_LIVE


def ms(t0: float) -> float:
    return (time.monotonic() - t0) * 1000


def console_says(dom, text: str, timeout: float) -> None:
    """Read the guest's pty console until `text` appears (the guest has booted)."""
    pty = re.search(r"<source path='(/dev/pts/\d+)'/>", dom.XMLDesc(0)).group(1)
    fd = os.open(pty, os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    seen, deadline = b"", time.monotonic() + timeout
    try:
        while text.encode() not in seen:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the guest did not say {text!r}")
            r, _, _ = select.select([fd], [], [], 1)
            if r:
                seen = (seen + os.read(fd, 4096))[-4096:]
    finally:
        os.close(fd)


conn = libvirt.open(uri)
dom = conn.createXML(GUEST, 0)
console_says(dom, "acpid ready", boot)
out: dict[str, list[float]] = {"save": [], "restore": [], "attach": [], "detach": []}
image = os.path.join(work, "guest.save")
try:
    for _ in range(rounds):
        t0 = time.monotonic()
        dom.save(image)
        out["save"].append(ms(t0))
        t0 = time.monotonic()
        conn.restore(image)
        out["restore"].append(ms(t0))
        os.unlink(image)
        dom = conn.lookupByName(NAME)
    for _ in range(rounds):
        t0 = time.monotonic()
        dom.attachDeviceFlags(DISK, LIVE)
        out["attach"].append(ms(t0))
        # The guest's ACPI hotplug driver takes the new disk in before it can give it back.
        time.sleep(3)
        t0 = time.monotonic()
        dom.detachDeviceFlags(DISK, LIVE)
        while "dev='vdb'" in dom.XMLDesc(0):
            if ms(t0) > 30000:
                raise TimeoutError("the guest did not release the disk")
            time.sleep(0.01)
        out["detach"].append(ms(t0))
finally:
    try:
        conn.lookupByName(NAME).destroy()
    except libvirt.libvirtError:
        pass
print(json.dumps(out))
