/** vsh against virsh 9.0: the nodedev-* commands on the test driver's default devices, byte for byte. */
import { compareAll } from './harness';

compareAll({
  // virsh 9.0 always asks for active devices, a filter libvirt's test driver refuses.
  'nodedev-list and its option checks': {
    script:
      'nodedev-list; nodedev-list --all; nodedev-list --inactive; nodedev-list --tree; nodedev-list --cap scsi_host,fc_host; ' +
      "nodedev-list --cap ''; nodedev-list --cap bogus; nodedev-list --cap pci,; nodedev-list --tree --cap pci; " +
      'nodedev-list --tree --inactive; nodedev-list --all --inactive',
  },
  'nodedev-dumpxml and nodedev-info of the default devices': {
    script:
      'nodedev-dumpxml computer; nodedev-dumpxml scsi_host1; nodedev-dumpxml scsi_host2; nodedev-dumpxml scsi_host11; ' +
      'nodedev-info computer; nodedev-info scsi_host11; nodedev-dumpxml bogus; nodedev-info bogus; ' +
      'nodedev-dumpxml a,b; nodedev-dumpxml a,b,c; nodedev-dumpxml 2000000012341234,1000000012341234',
  },
  'nodedev-create of a vHBA copies scsi_host11; nodedev-destroy removes it': {
    script:
      'nodedev-create nodedev-vhba.xml; nodedev-dumpxml scsi_host12; nodedev-info scsi_host12; nodedev-destroy scsi_host12; ' +
      'nodedev-dumpxml scsi_host12; nodedev-create nodedev-vhba-parent-wwn.xml; nodedev-dumpxml scsi_host12; ' +
      'nodedev-destroy computer; nodedev-info computer; nodedev-destroy scsi_host11; nodedev-create nodedev-vhba.xml',
  },
  // Not compared: malformed XML, whose message is libxml2's own wording.
  'nodedev-create errors': {
    script:
      'nodedev-create nodedev-vhba-wwnn-only.xml; nodedev-create nodedev-vhba-bad-parent.xml; nodedev-create nodedev-not-hba.xml; ' +
      'nodedev-create nope.xml; nodedev-define nodedev-vhba.xml; nodedev-undefine computer; ' +
      'nodedev-start computer',
  },
  'nodedev-create on a read-only connection': {
    globals: ['-r', '-c', 'test:///default'],
    script: 'nodedev-create nodedev-vhba.xml; nodedev-destroy scsi_host11',
  },
});
