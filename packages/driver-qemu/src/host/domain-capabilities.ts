import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { XmlWriter } from '@virtkit/xml';
import type { QemuCaps, QemuMachineType } from '../caps/types';
import { kvmAvailable } from '../caps/probe';

export interface DomainCapsQuery {
  emulator: string | null;
  arch: string | null;
  machine: string | null;
  virttype: string | null;
}

function invalidArg(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU, detail);
}

/** The virt type, architecture and machine a query names, checked against the binary (libvirt's lookup rules). */
export function resolveDomainCapsQuery(
  caps: QemuCaps,
  q: DomainCapsQuery,
): { virttype: 'kvm' | 'qemu'; arch: string; machine: QemuMachineType } {
  const kvm = kvmAvailable() && caps.machines.kvm.length > 0;
  const virttype = q.virttype ?? (kvm ? 'kvm' : 'qemu');
  if (virttype !== 'kvm' && virttype !== 'qemu') throw invalidArg(`unknown virttype: ${virttype}`);
  if (virttype === 'kvm' && !kvm) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      ErrorDomain.VIR_FROM_QEMU,
      `KVM is not supported by '${caps.emulator}' on this host`,
    );
  }
  if (q.emulator !== null && q.emulator !== caps.emulator) throw invalidArg(`emulator '${q.emulator}' is not served by this driver`);
  const arch = q.arch ?? caps.arch;
  if (arch !== caps.arch && !(caps.arch === 'x86_64' && arch === 'i686')) {
    throw invalidArg(`architecture from emulator '${caps.emulator}' doesn't match given architecture '${arch}'`);
  }
  const list = caps.machines[virttype === 'kvm' ? 'kvm' : 'tcg'];
  const machine =
    q.machine === null ? (list.find((m) => m.isDefault) ?? list[0]) : list.find((m) => m.name === q.machine || m.alias === q.machine);
  if (!machine) throw invalidArg(`the machine '${q.machine}' is not supported by emulator '${caps.emulator}'`);
  return { virttype, arch, machine };
}

function enumOf(w: XmlWriter, name: string, values: string[]): void {
  if (!values.length) {
    w.empty('enum', [['name', name]]);
    return;
  }
  w.element('enum', [['name', name]], (c) => values.forEach((v) => c.leaf('value', v)));
}

/** Values whose capability flag (or `true`) is present. */
function present(caps: QemuCaps, table: Array<[string, string | true]>): string[] {
  return table.filter(([, flag]) => flag === true || caps.flags.has(flag)).map(([v]) => v);
}

function supported(w: XmlWriter, name: string, yes: boolean): void {
  w.empty(name, [['supported', yes ? 'yes' : 'no']]);
}

export function domainCapabilitiesXml(caps: QemuCaps, q: DomainCapsQuery): string {
  const { virttype, arch, machine } = resolveDomainCapsQuery(caps, q);
  const accel = virttype === 'kvm' ? 'kvm' : 'tcg';
  const w = new XmlWriter();
  w.open('domainCapabilities');
  w.leaf('path', caps.emulator);
  w.leaf('domain', virttype);
  w.leaf('machine', machine.name);
  w.leaf('arch', arch);
  w.empty('vcpu', [['max', machine.maxCpus]]);
  supported(w, 'iothreads', caps.flags.has('iothread'));
  w.open('os', [['supported', 'yes']]);
  w.open('loader', [['supported', 'yes']]);
  enumOf(w, 'type', ['rom', 'pflash']);
  enumOf(w, 'readonly', ['yes', 'no']);
  enumOf(w, 'secure', ['no']);
  w.close('loader');
  w.close('os');
  w.open('cpu');
  w.empty('mode', [
    ['name', 'host-passthrough'],
    ['supported', virttype === 'kvm' ? 'yes' : 'no'],
  ]);
  w.element(
    'mode',
    [
      ['name', 'maximum'],
      ['supported', 'yes'],
    ],
    (c) => enumOf(c, 'maximumMigratable', ['on', 'off']),
  );
  const hostModel = caps.hostCpuModel[accel];
  if (hostModel) {
    w.element(
      'mode',
      [
        ['name', 'host-model'],
        ['supported', 'yes'],
      ],
      (c) => c.leaf('model', hostModel, [['fallback', 'forbid']]),
    );
  } else
    w.empty('mode', [
      ['name', 'host-model'],
      ['supported', 'no'],
    ]);
  w.element(
    'mode',
    [
      ['name', 'custom'],
      ['supported', 'yes'],
    ],
    (c) => {
      for (const m of caps.cpuModels[accel]) {
        if (m.name === 'host' || m.name === 'max') continue;
        c.leaf('model', m.name, [
          ['usable', m.usable],
          ['deprecated', m.deprecated ? 'yes' : undefined],
        ]);
      }
    },
  );
  w.close('cpu');
  w.element('memoryBacking', [['supported', 'yes']], (c) =>
    enumOf(
      c,
      'sourceType',
      present(caps, [
        ['file', true],
        ['anonymous', true],
        ['memfd', 'memory-backend-memfd'],
      ]),
    ),
  );
  w.open('devices');
  w.element('disk', [['supported', 'yes']], (c) => {
    enumOf(c, 'diskDevice', ['disk', 'cdrom', 'floppy', 'lun']);
    enumOf(
      c,
      'bus',
      present(caps, [
        ['ide', true],
        ['fdc', true],
        ['scsi', true],
        ['virtio', true],
        ['usb', 'usb-storage'],
        ['sata', 'ich9-ahci'],
      ]),
    );
    enumOf(c, 'model', ['virtio', 'virtio-transitional', 'virtio-non-transitional']);
  });
  w.element('graphics', [['supported', 'yes']], (c) =>
    enumOf(
      c,
      'type',
      present(caps, [
        ['sdl', 'sdl'],
        ['vnc', 'vnc'],
        ['spice', 'spice'],
        ['egl-headless', 'egl-headless'],
        ['dbus', 'display-dbus'],
      ]),
    ),
  );
  w.element('video', [['supported', 'yes']], (c) =>
    enumOf(
      c,
      'modelType',
      present(caps, [
        ['vga', 'VGA'],
        ['cirrus', 'cirrus-vga'],
        ['vmvga', 'vmware-svga'],
        ['qxl', 'qxl'],
        ['virtio', 'virtio-gpu'],
        ['none', true],
        ['bochs', 'bochs-display'],
        ['ramfb', 'ramfb'],
      ]),
    ),
  );
  w.element('hostdev', [['supported', 'yes']], (c) => {
    enumOf(c, 'mode', ['subsystem']);
    enumOf(c, 'startupPolicy', ['default', 'mandatory', 'requisite', 'optional']);
    enumOf(c, 'subsysType', ['usb', 'pci', 'scsi']);
  });
  w.close('devices');
  w.open('features');
  supported(w, 'gic', false);
  supported(w, 'vmcoreinfo', caps.flags.has('vmcoreinfo'));
  supported(w, 'genid', caps.flags.has('vmgenid'));
  supported(w, 'backingStoreInput', true);
  supported(w, 'backup', caps.flags.has('incremental-backup'));
  supported(w, 'sev', false);
  w.close('features');
  w.close('domainCapabilities');
  return w.toString();
}
