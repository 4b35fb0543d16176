/**
 * The domain capabilities of `xen:///system` (libvirt's libxlMakeDomainCapabilities and
 * virDomainCapsFormat): what a guest of each Xen machine type may use. Xen reports no per-type
 * vCPU limit, so libvirt's fixed ones apply: HVM_MAX_VCPUS from Xen's public headers, and a PV
 * figure libvirt chose.
 */
import { ErrorNumber } from '@virtkit/core';
import { XmlWriter } from '@virtkit/xml';
import { libxlError } from '../errors';

const HVM_MAX_VCPUS = 128;
const PV_MAX_VCPUS = 512;
const MACHINES = ['xenpv', 'xenpvh', 'xenfv'];

/** virArchFromString's names (virarch.c); any other text is an unknown architecture. */
const ARCHES = new Set(
  (
    'alpha armv6l armv7l armv7b aarch64 cris i686 ia64 lm32 m68k microblaze microblazeel mips mipsel mips64 mips64el ' +
    'openrisc parisc parisc64 ppc ppcle ppc64 ppc64le ppcemb riscv32 riscv64 s390 s390x sh4 sh4eb sparc sparc64 ' +
    'unicore32 x86_64 xtensa xtensaeb'
  ).split(' '),
);

export interface XenDomainCapsQuery {
  emulator: string | null;
  arch: string | null;
  machine: string | null;
  virttype: string | null;
}

const invalidArg = (detail: string) => libxlError(ErrorNumber.VIR_ERR_INVALID_ARG, detail);

/**
 * The document for one query. `firmwares` are the HVM loaders the driver offers (its firmware
 * directory's ovmf.bin and hvmloader); `hostArch` answers a query naming no architecture.
 */
export function xenDomainCapabilitiesXml(q: XenDomainCapsQuery, hostArch: string, firmwares: string[]): string {
  if (q.virttype !== null && q.virttype !== 'xen') throw invalidArg(`unknown virttype: ${q.virttype}`);
  if (q.arch !== null && !ARCHES.has(q.arch)) throw invalidArg(`unknown architecture: ${q.arch}`);
  const machine = q.machine ?? 'xenpv';
  if (!MACHINES.includes(machine)) throw invalidArg("Xen only supports 'xenpv', 'xenpvh' and 'xenfv' machines");
  const hvm = machine === 'xenfv';
  const no = (name: string) => w.empty(name, [['supported', 'no']]);
  const enumOf = (name: string, values: string[]) =>
    values.length
      ? w.element('enum', [['name', name]], () => values.forEach((v) => w.leaf('value', v)))
      : w.empty('enum', [['name', name]]);

  const w = new XmlWriter();
  w.open('domainCapabilities');
  w.leaf('path', q.emulator ?? '/usr/bin/qemu-system-x86_64');
  w.leaf('domain', 'xen');
  w.leaf('machine', machine);
  w.leaf('arch', q.arch ?? hostArch);
  w.empty('vcpu', [['max', hvm ? HVM_MAX_VCPUS : PV_MAX_VCPUS]]);
  no('iothreads');
  w.open('os', [['supported', 'yes']]);
  if (hvm) {
    w.open('loader', [['supported', 'yes']]);
    firmwares.forEach((f) => w.leaf('value', f));
    enumOf('type', ['rom', 'pflash']);
    enumOf('readonly', ['yes']);
    w.close('loader');
  } else {
    no('loader');
  }
  w.close('os');
  w.open('cpu');
  for (const mode of ['host-passthrough', 'maximum', 'host-model', 'custom'])
    w.empty('mode', [
      ['name', mode],
      ['supported', 'no'],
    ]);
  w.close('cpu');
  w.open('devices');
  w.open('disk', [['supported', 'yes']]);
  enumOf('diskDevice', ['disk', 'cdrom']);
  enumOf('bus', ['ide', 'scsi', 'xen']);
  enumOf('model', []);
  w.close('disk');
  w.open('graphics', [['supported', 'yes']]);
  enumOf('type', ['sdl', 'vnc', 'spice']);
  w.close('graphics');
  w.open('video', [['supported', 'yes']]);
  enumOf('modelType', ['vga', 'cirrus', 'xen']);
  w.close('video');
  // PVH guests get no device passthrough from libxl.
  if (machine !== 'xenpvh') {
    w.open('hostdev', [['supported', 'yes']]);
    enumOf('mode', ['subsystem']);
    enumOf('startupPolicy', ['default', 'mandatory', 'requisite', 'optional']);
    enumOf('subsysType', ['usb', 'pci']);
    enumOf('capsType', []);
    enumOf('pciBackend', ['xen']);
    w.close('hostdev');
  }
  w.close('devices');
  w.open('features');
  for (const feature of ['gic', 'vmcoreinfo', 'genid', 'sev', 'sgx']) no(feature);
  w.close('features');
  w.close('domainCapabilities');
  return w.toString();
}
