/**
 * The device commands against libvirt's test driver, byte for byte with virsh 9.0: the XML
 * attach-disk, detach-disk and change-media build (--print-xml), their option rules and errors,
 * and the failures of calls the test driver (libvirt's and virtkit's alike) does not implement.
 */
import { compareAll } from './harness';

const CD = 'define cdrom-domain.xml';

compareAll({
  'attach-disk --print-xml with defaults': { script: 'attach-disk test /tmp/hp/disk.qcow2 vdb --print-xml' },
  'attach-disk --print-xml with driver, cache, bus, mode and serial': {
    script:
      'attach-disk test /tmp/d.qcow2 vdb --targetbus virtio --driver qemu --subdriver qcow2 --cache none --mode readonly --serial abc --print-xml',
  },
  'attach-disk --print-xml of a CD-ROM on a character device': {
    script: 'attach-disk test /dev/null sdc --type cdrom --mode shareable --print-xml',
  },
  'attach-disk --print-xml with only a subdriver': { script: 'attach-disk test /tmp/d.qcow2 vdb --subdriver qcow2 --print-xml' },
  'attach-disk refuses an unknown mode': { script: 'attach-disk test /tmp/d.img vdb --mode bogus' },
  'attach-disk --persistent --current are exclusive': { script: 'attach-disk test /tmp/d.img vdb --persistent --current' },
  'attach-disk without driver support': { script: 'attach-disk test /tmp/d.img vdb' },
  'attach-device without driver support': { script: 'attach-device test disk-vdb.xml --config' },
  'detach-device from a missing file': { script: 'detach-device test no-such.xml' },
  'update-device --live --current are exclusive': { script: 'update-device test disk-vdb.xml --live --current' },
  'detach-device-alias without driver support': { script: 'detach-device-alias test ua-x' },
  'detach-disk --print-xml dumps the disk as libxml2 does': { script: 'detach-disk test vda --print-xml' },
  'detach-disk by source path': { script: 'detach-disk test /guest/diskimage1 --print-xml' },
  'detach-disk of a missing target': { script: 'detach-disk test vdz' },
  'blockresize without driver support': { script: 'blockresize test vda 10M' },
  'change-media replaces a medium': { script: `${CD}; change-media cdt hdc /tmp/new.iso --print-xml` },
  'change-media --eject': { script: `${CD}; change-media cdt hdc --eject --print-xml` },
  'change-media --insert into an empty drive': { script: `${CD}; change-media cdt hdd /tmp/new.iso --insert --print-xml` },
  'change-media --block source': { script: `${CD}; change-media cdt /tmp/old.iso /tmp/y.iso --block --print-xml` },
  'change-media errors': {
    script: `${CD}; change-media cdt hdd --eject; change-media cdt hdc /tmp/n.iso --insert; change-media cdt hdc; change-media cdt hdd --update; change-media cdt hdc --eject --insert; change-media test vda /tmp/a.iso`,
  },
  'change-media without driver support': { script: `${CD}; change-media cdt hdc /tmp/x.iso --update` },
  'console without a terminal': { script: 'console test' },
  'managedsave-remove without an image': { script: 'managedsave-remove test' },
  'console of a shut-off domain': { script: 'destroy test; console test' },
});
