/**
 * libvirt 9.0's disk rules on hand-written definitions: disk order (virDomainDiskInsert),
 * domain_validate.c and qemu_validate.c refusals with libvirt's code and text, and the
 * -blockdev / -device properties qemu_block.c and qemu_command.c give a disk.
 */
import * as path from 'node:path';
import { ErrorNumber, VirError } from '@virtkit/core';
import { domainXmlToQemuArgv } from '@virtkit/driver-qemu';
import { latestCaps, testHostContext } from '@virtkit/testkit';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');

const domain = (devices: string) => `<domain type='kvm'>
  <name>disks</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='MiB'>256</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    ${devices}
    <memballoon model='none'/>
  </devices>
</domain>`;

const argv = (devices: string) => domainXmlToQemuArgv(domain(devices), latestCaps(FIXTURES), testHostContext(FIXTURES));

function refusal(devices: string): [number, string] {
  try {
    argv(devices);
  } catch (e) {
    return [(e as VirError).code, (e as VirError).message];
  }
  throw new Error('expected the definition to be refused');
}

const disk = (inner: string, type = 'file', device = 'disk') => `<disk type='${type}' device='${device}'>${inner}</disk>`;

test('disks are ordered per bus by target index, each after the last of its bus (virDomainDiskInsert)', () => {
  const out = argv(
    disk(`<source file='/b.img'/><target dev='vdb' bus='virtio'/>`) +
      disk(`<source file='/hd.img'/><target dev='hda' bus='ide'/>`) +
      disk(`<source file='/a.img'/><target dev='vda' bus='virtio'/>`),
  );
  const order = [...out.matchAll(/"filename":"([^"]+)"/g)].map((m) => m[1]);
  expect(order).toEqual(['/a.img', '/b.img', '/hd.img']);
  expect(out).toContain('"id":"virtio-disk0"');
});

test.each([
  [
    'a cow image',
    disk(`<driver name='qemu' type='cow'/><source file='/a'/><target dev='vda' bus='virtio'/>`),
    "'cow' storage format is not supported",
  ],
  [
    'a shared qcow2 image',
    disk(`<driver name='qemu' type='qcow2'/><source file='/a'/><target dev='vda' bus='virtio'/><shareable/>`),
    "shared access for disk 'vda' requires use of supported storage format",
  ],
  [
    'a LUN on a file',
    disk(`<source file='/a'/><target dev='sda' bus='scsi'/>`, 'file', 'lun'),
    "disk device='lun' is only valid for block type disk source",
  ],
  [
    'vendor on a virtio disk',
    disk(`<source file='/a'/><target dev='vda' bus='virtio'/><vendor>V</vendor>`),
    'Only scsi disk supports vendor and product',
  ],
  [
    'an iSCSI source with a ceph secret',
    disk(
      `<source protocol='iscsi' name='iqn.1992-01.com.example/1'><host name='h'/><auth username='u'><secret type='ceph' usage='x'/></auth></source><target dev='vda' bus='virtio'/>`,
      'network',
    ),
    "invalid secret type 'ceph'",
  ],
  [
    'two disks on one drive address',
    disk(`<source file='/a'/><target dev='sda' bus='scsi'/><address type='drive' controller='0' bus='0' target='0' unit='0'/>`) +
      disk(`<source file='/b'/><target dev='sdb' bus='scsi'/><address type='drive' controller='0' bus='0' target='0' unit='0'/>`),
    "Found duplicate drive address for disk with target name 'sda' controller='0' bus='0' target='0' unit='0'",
  ],
  [
    'metadata cache on a raw image',
    disk(
      `<driver name='qemu' type='raw'><metadata_cache><max_size unit='KiB'>1</max_size></metadata_cache></driver><source file='/a'/><target dev='vda' bus='virtio'/>`,
    ),
    'metadata cache max size control is supported only with qcow2 images',
  ],
  [
    'an unsafe serial',
    disk(`<source file='/a'/><target dev='vda' bus='virtio'/><serial>a,b</serial>`),
    "driver serial 'a,b' contains unsafe characters",
  ],
])('refuses %s', (_what, devices, message) => {
  const [code, text] = refusal(devices);
  expect(code).not.toBe(ErrorNumber.VIR_ERR_OK);
  expect(text).toContain(message);
});

describe('disk properties on the command line', () => {
  test('io mode goes on every local layer, and a writable shared disk runs uncached', () => {
    const out = argv(
      disk(`<driver name='qemu' type='raw' io='threads'/><source dev='/dev/sdz'/><target dev='vda' bus='virtio'/><shareable/>`, 'block'),
    );
    expect(out).toContain(`"filename":"/dev/sdz","aio":"threads","node-name":"libvirt-1-storage","cache":{"direct":true,"no-flush":false}`);
    expect(out).toContain('"share-rw":true');
    expect(out).toContain('"write-cache":"on"');
  });

  test('qcow2 metadata cache becomes cache-size in bytes', () => {
    const out = argv(
      disk(
        `<driver name='qemu' type='qcow2'><metadata_cache><max_size unit='KiB'>2</max_size></metadata_cache></driver><source file='/a.qcow2'/><target dev='vda' bus='virtio'/>`,
      ),
    );
    expect(out).toContain('"driver":"qcow2","cache-size":2048,"file":"libvirt-1-storage"');
  });

  test('a serial keeps its blanks escaped; an SD card is a -drive without a node name', () => {
    const out = argv(
      disk(`<source file='/a'/><target dev='vda' bus='virtio'/><serial> X Y</serial>`) +
        disk(`<driver name='qemu' type='raw'/><source file='/sd,card'/><target dev='sda' bus='sd'/>`),
    );
    expect(out).toContain('"serial":"\\\\ X\\\\ Y"');
    expect(out).toContain('-drive file=/sd,,card,format=raw,if=sd,index=0 ');
    expect(out).toContain('"node-name":"libvirt-1-storage"');
  });

  test('virtio-blk ioeventfd and event_idx follow the virtio options', () => {
    const out = argv(
      disk(`<driver name='qemu' type='raw' ioeventfd='on' event_idx='off'/><source file='/a'/><target dev='vda' bus='virtio'/>`),
    );
    expect(out).toContain('{"driver":"virtio-blk-pci","ioeventfd":true,"event_idx":false,"bus":"pci.0"');
  });

  test('a transient disk sharing its backing image is left for hotplug', () => {
    const out = argv(
      disk(`<driver name='qemu' type='qcow2'/><source file='/t.qcow2'/><target dev='vda' bus='virtio'/><transient shareBacking='yes'/>`),
    );
    expect(out).not.toContain('/t.qcow2');
  });

  test('a volume disk opens what its pool says, and an iSCSI pool in direct mode gives the LUN', () => {
    const out = argv(
      disk(`<source pool='pool-dir' volume='file+v1'/><target dev='vda' bus='virtio'/>`, 'volume') +
        disk(`<source pool='pool-iscsi' volume='unit:0:0:7' mode='direct'/><target dev='vdb' bus='virtio'/>`, 'volume'),
    );
    expect(out).toContain('"driver":"file","filename":"/some/file/device/v1"');
    expect(out).toContain('"driver":"iscsi","portal":"iscsi.example.com:3260","target":"demo-target","lun":7');
  });

  test.each([
    ['a missing pool', `<source pool='nope' volume='v'/>`, "no storage pool with matching name 'nope'"],
    ['an inactive pool', `<source pool='inactive' volume='v'/>`, "storage pool 'inactive' containing volume 'v' is not active"],
    [
      'a mode on a dir pool',
      `<source pool='pool-dir' volume='v' mode='host'/>`,
      'disk source mode is only valid when storage pool is of iscsi type',
    ],
  ])('refuses a volume disk with %s', (_what, source, message) => {
    expect(refusal(disk(`${source}<target dev='vda' bus='virtio'/>`, 'volume'))[1]).toContain(message);
  });

  test('librbd encryption is an encrypt object of the rbd node, its secret before it', () => {
    const out = argv(
      disk(
        `<driver name='qemu' type='raw'/><source protocol='rbd' name='pool/image'><host name='mon'/><encryption format='luks2' engine='librbd'><secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80f80'/></encryption></source><target dev='vda' bus='virtio'/>`,
        'network',
      ),
    );
    expect(out).toMatch(
      /"id":"libvirt-1-format-encryption-secret0".*-blockdev .*"encrypt":\{"format":"luks2","key-secret":"libvirt-1-format-encryption-secret0"\}/,
    );
  });
});
