/**
 * The small VM the runtime tests start, with no dependency on testkit, so child-process fixtures
 * run as ES modules (through tsx) can build it too.
 */
export const QEMU = '/usr/bin/qemu-system-x86_64';

/** QEMU's argv for a 64 MiB q35 machine with `disk` as a virtio disk, accelerated by `accel`. */
export function bareVmArgv(disk: string, accel: string, extra: string[] = []): string[] {
  return [
    QEMU,
    '-machine',
    `q35,accel=${accel}`,
    '-m',
    '64',
    '-nodefaults',
    '-display',
    'none',
    '-no-user-config',
    '-blockdev',
    JSON.stringify({ driver: 'file', filename: disk, 'node-name': 'f0' }),
    '-blockdev',
    JSON.stringify({ driver: 'qcow2', file: 'f0', 'node-name': 'd0' }),
    '-device',
    'virtio-blk-pci,drive=d0,id=vd0',
    '-device',
    'virtio-scsi-pci,id=scsi0',
    ...extra,
  ];
}
