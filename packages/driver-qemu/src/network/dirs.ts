/**
 * Where the network driver of a QEMU root keeps its files (libvirt's network driver: definitions
 * in /etc/libvirt/qemu/networks with autostart links below, status XML and pid files in
 * /run/libvirt/network, dnsmasq configuration and lease files in /var/lib/libvirt/dnsmasq).
 */
import * as path from 'node:path';
import type { QemuPaths } from '../paths';

export interface NetworkDriverDirs {
  /** Persistent definitions, `NAME.xml`. */
  configDir: string;
  /** Autostart links, `NAME.xml` → `../NAME.xml`. */
  autostartDir: string;
  /** Running networks' status XML (`NAME.xml`, read by guest NICs) and dnsmasq pid files. */
  stateDir: string;
  /** dnsmasq's configuration, hosts and lease files. */
  dnsmasqDir: string;
}

export function networkDriverDirs(paths: QemuPaths): NetworkDriverDirs {
  // libvirt's dnsmasq directory is a sibling of its qemu one under /var/lib/libvirt.
  const lib = paths.kind === 'embed' ? paths.libDir : path.dirname(paths.libDir);
  return {
    configDir: paths.networkConfigDir,
    autostartDir: path.join(paths.networkConfigDir, 'autostart'),
    stateDir: paths.networkStateDir,
    dnsmasqDir: path.join(lib, 'dnsmasq'),
  };
}
