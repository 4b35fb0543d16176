/**
 * The host and guest capabilities of a Xen host, from `xl info`, in the shape libvirt's libxl
 * driver gives them (libxlCapsInitHost/libxlCapsInitGuests): one guest per `xen_caps` entry,
 * PV (`xen`, machine `xenpv`) or HVM (`hvm`, machine `xenfv`, with hvmloader), plus PVH on x86_64.
 */
import { CapabilitiesBuilder, formatCapabilitiesXml, type Capabilities } from '@virtkit/xml';
import type { XenCaps } from '../xl';
import type { XlInfo } from '../toolstack/xl-output';

/** Where Debian's Xen keeps the device model and firmware libxl uses. */
const XEN_EMULATOR = '/usr/lib/xen/bin/qemu-system-i386';
const XEN_FIRMWARE_DIR = '/usr/lib/xen/boot';

/** One `xen_caps` word: `xen-3.0-x86_64`, `hvm-3.0-x86_32p`, ... */
interface XenGuestArch {
  hvm: boolean;
  arch: string;
  pae: boolean;
  nonpae: boolean;
}

const CAPS_WORD = /^(xen|hvm)-\d+\.\d+-(x86_32|x86_64|aarch64|armv7l)(p|be)?$/;

function guestArches(xenCaps: string): XenGuestArch[] {
  const out: XenGuestArch[] = [];
  for (const word of xenCaps.split(/\s+/)) {
    const m = CAPS_WORD.exec(word);
    if (!m) continue;
    const arch = m[2] === 'x86_32' ? 'i686' : m[2];
    const hvm = m[1] === 'hvm';
    const pae = m[3] === 'p' || (hvm && arch === 'i686');
    const known = out.find((g) => g.hvm === hvm && g.arch === arch);
    // HVM i686 guests run with and without PAE: libvirt merges the two words into one guest.
    if (known) {
      known.pae ||= pae;
      known.nonpae ||= !pae;
      continue;
    }
    out.push({ hvm, arch, pae, nonpae: arch === 'i686' && !pae });
  }
  return out;
}

/**
 * Virtualization extensions named in `hw_caps`: Xen's featureset words, in its order (word 1 is
 * CPUID leaf 1 ECX, where bit 5 is VMX; word 3 is leaf 0x80000001 ECX, where bit 2 is SVM).
 */
function hostCpuFeatures(hwCaps: string | undefined): string[] {
  const words = (hwCaps ?? '').split(':').map((w) => parseInt(w, 16));
  const features: string[] = [];
  if ((words[1] ?? 0) & (1 << 5)) features.push('vmx');
  if ((words[3] ?? 0) & (1 << 2)) features.push('svm');
  return features;
}

function num(info: XlInfo, key: string): number {
  const v = Number(info.get(key));
  return Number.isFinite(v) ? v : 0;
}

export function xenCapabilities(info: XlInfo): Capabilities {
  const cores = num(info, 'cores_per_socket') || 1;
  const threads = num(info, 'threads_per_core') || 1;
  const nodes = num(info, 'nr_nodes') || 1;
  const sockets = Math.max(1, Math.floor(num(info, 'nr_cpus') / (cores * threads * nodes)));
  const builder = new CapabilitiesBuilder({
    cpu: {
      arch: info.get('machine') || 'x86_64',
      hostFeatures: hostCpuFeatures(info.get('hw_caps')),
      topology: { sockets, dies: 1, cores, threads },
    },
    powerManagement: [],
    migration: { live: true, uriTransports: ['xenmigr'] },
  });
  for (const g of guestArches(info.get('xen_caps') ?? '')) {
    const guest = builder
      .addGuest(g.hvm ? 'hvm' : 'xen', g.arch, {
        emulator: XEN_EMULATOR,
        loader: g.hvm ? `${XEN_FIRMWARE_DIR}/hvmloader` : undefined,
        machines: [g.hvm ? 'xenfv' : 'xenpv'],
      })
      .addDomain('xen');
    if (g.pae) guest.addFeature('pae');
    if (g.nonpae) guest.addFeature('nonpae');
    if (g.hvm) {
      guest.addFeature('acpi', { default: 'on', toggle: 'yes' });
      guest.addFeature('apic', { default: 'on', toggle: 'no' });
      guest.addFeature('hap', { default: 'on', toggle: 'yes' });
      if (g.arch === 'x86_64') {
        builder.addGuest('xenpvh', g.arch, { emulator: XEN_EMULATOR, machines: ['xenpvh'] }).addDomain('xen');
      }
    }
  }
  return builder.build();
}

/** The HVM loaders the driver offers, in libvirt's order (libxlDriverConfigInit: OVMF, then hvmloader). */
export const XEN_FIRMWARES = [`${XEN_FIRMWARE_DIR}/ovmf.bin`, `${XEN_FIRMWARE_DIR}/hvmloader`];

export function xenCapabilitiesXml(info: XlInfo): string {
  return formatCapabilitiesXml(xenCapabilities(info));
}

/** What the xl.cfg conversions need of these capabilities. */
export function conversionCaps(caps: Capabilities): XenCaps {
  return {
    hostArch: caps.host.cpu.arch,
    hostCpuFeatures: new Set(caps.host.cpu.hostFeatures ?? []),
    firmwareDir: XEN_FIRMWARE_DIR,
    // A lookup naming no architecture prefers the host's (virCapabilitiesDomainDataLookup).
    guests: [...caps.guests]
      .sort((a, b) => Number(b.arch === caps.host.cpu.arch) - Number(a.arch === caps.host.cpu.arch))
      .map((g) => ({
        osType: g.osType as XenCaps['guests'][number]['osType'],
        arch: g.arch,
        machine: g.machines[0]?.name ?? '',
        loader: g.loader,
      })),
  };
}
