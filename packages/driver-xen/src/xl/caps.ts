/**
 * What the conversion needs from the libxl capabilities: for each guest OS type, its
 * architecture, machine type and default loader (libvirt's virCapabilitiesDomainDataLookup).
 */
import type { XenOsType } from './model';

export interface XenGuestCaps {
  osType: XenOsType;
  arch: string;
  machine: string;
  loader?: string;
}

export interface XenCaps {
  hostArch: string;
  /** Host CPU features, to pick `vmx` or `svm` for nested HVM. */
  hostCpuFeatures: ReadonlySet<string>;
  guests: XenGuestCaps[];
  /** Directory of Xen's firmware (LIBXL_FIRMWARE_DIR). */
  firmwareDir: string;
}

/** The guests a 64-bit x86 Xen host with upstream QEMU offers, as libxl reports them. */
export function x86XenCaps(firmwareDir = '/usr/lib/xen/boot', hostCpuFeatures: Iterable<string> = ['vmx']): XenCaps {
  return {
    hostArch: 'x86_64',
    hostCpuFeatures: new Set(hostCpuFeatures),
    firmwareDir,
    guests: [
      { osType: 'hvm', arch: 'x86_64', machine: 'xenfv', loader: `${firmwareDir}/hvmloader` },
      { osType: 'xen', arch: 'x86_64', machine: 'xenpv' },
      { osType: 'xenpvh', arch: 'x86_64', machine: 'xenpvh' },
    ],
  };
}
