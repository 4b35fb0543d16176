#!/usr/bin/env bash
# Installs the Debian packages virtkit uses, when running as root on Debian and they are missing.
#   runtime: QEMU and qemu-img (the QEMU driver), dnsmasq, nftables and iproute2 (virtual
#            networks), LXC (the LXC driver), ethtool and pci.ids (host NIC offloads and PCI names in node device XML),
#            cpuid (the host CPU as user space sees it, for CompareCPU)
#   test:    runtime + libvirt 9.0 and its clients (the reference for compatibility tests),
#            virt-install, virt-manager (its console under Xvfb), Xvfb,
#            tmux (console tests under a pty), busybox-static, cpio and
#            qemu-guest-agent (the tiny guest), dpkg-dev (apt-get source for libvirt's own tests), cpp
#            (reads the cases of libvirt's tests/virshtest.c), python3-mypy (the Python bindings' stubs
#            under mypy --strict), python3-setuptools, python3-wheel and python3-venv (building the
#            bindings' wheel and installing it in a fresh venv), openssl (throw-away PKIs for the TLS
#            tests), openssh-server, openssh-client and netcat-openbsd (a private sshd the ssh transport
#            tests reach, with nc -U on the far side); and the accounts a privileged libvirtd's QEMU
#            driver looks up at start even when qemu.conf names others (Debian's libvirt-daemon-system
#            makes them; libvirt-daemon alone does not)
set -euo pipefail
kind=${1:-runtime}
pkgs=(qemu-system-x86 qemu-utils dnsmasq-base nftables iproute2 lxc ethtool pci.ids cpuid)
if [ "$kind" = test ]; then
  pkgs+=(libvirt-daemon libvirt-daemon-driver-qemu libvirt-daemon-driver-lxc libvirt-clients python3-libvirt
    virtinst virt-manager xvfb tmux busybox-static cpio kmod qemu-guest-agent dpkg-dev socat cpp ovmf python3-mypy
    python3-setuptools python3-wheel python3-venv openssl openssh-server openssh-client netcat-openbsd)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "note: not installing ${missing[*]} (needs root and apt-get); tests that need them will be skipped" >&2
    exit 0
  fi
  echo "installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ "$kind" = test ] && [ "$(id -u)" = 0 ]; then
  for g in kvm libvirt-qemu; do getent group "$g" >/dev/null || groupadd -r "$g"; done
  getent passwd libvirt-qemu >/dev/null || useradd -r -g kvm -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
fi
