/** qemu.conf's defaults for the settings the command line reads besides directories. */
import type { QemuDriverConfig } from './types';

export const QEMU_CONF_DEFAULTS = {
  spiceTLS: false,
  spiceTLSx509certdir: '/etc/pki/libvirt-spice',
  vncTLS: false,
  vncSASL: false,
  spiceSASL: false,
  chardevTLS: false,
  dumpGuestCore: false,
  defaultTLSx509certdir: '/etc/pki/qemu',
} as const satisfies Partial<QemuDriverConfig>;
