/** vsh against virsh 9.0: the iface-* commands on the test driver, byte for byte. */
import { compareAll } from './harness';

compareAll({
  'iface-list, iface-dumpxml, iface-name, iface-mac on eth1': {
    script:
      'iface-list; iface-list --all; iface-list --inactive; iface-dumpxml eth1; iface-dumpxml aa:bb:cc:dd:ee:ff; ' +
      'iface-mac eth1; iface-name aa:bb:cc:dd:ee:ff; iface-name AA:BB:CC:DD:EE:FF; iface-name eth1; iface-mac aa:bb:cc:dd:ee:ff',
  },
  'iface-define (bridge, bond, vlan, ethernet), start, destroy, undefine': {
    script:
      'iface-define iface-br0.xml; iface-dumpxml br0; iface-define iface-eth9.xml; iface-dumpxml eth9; iface-list --all; ' +
      'iface-start br0; iface-start br0; iface-destroy br0; iface-destroy br0; ' +
      'iface-undefine br0; iface-undefine eth1; iface-list --all',
  },
  'iface transactions': {
    script:
      'iface-commit; iface-rollback; iface-begin; iface-begin; iface-define iface-eth9.xml; iface-undefine eth1; iface-list --all; ' +
      'iface-rollback; iface-list --all; iface-begin; iface-define iface-eth9.xml; iface-commit; iface-list --all',
  },
  // Not compared: iface-name of a MAC while an interface without a MAC is defined. libvirt 9.0's
  // virInterfaceObjListFindByMACString then compares with NULL (a GLib assertion) and counts that
  // interface as a match; vsh finds the one interface that has the MAC.
  'iface-* errors': {
    script:
      'iface-dumpxml nope; iface-mac nope; iface-name 00:11:22:33:44:55; iface-start nope; iface-define nope.xml; ' +
      'iface-list --all --inactive; iface-dumpxml eth1 --inactive; iface-define net-n1.xml; iface-define iface-bad-notype.xml; ' +
      'iface-define iface-bad-bondmode.xml; iface-define iface-bad-start.xml; iface-define iface-bad-nested.xml; ' +
      'iface-define iface-bad-vlan.xml; iface-define iface-bad-family.xml',
  },
  'help iface-*': {
    script:
      'help iface-list; help iface-name; help iface-mac; help iface-define; help iface-undefine; help iface-start; ' +
      'help iface-destroy; help iface-begin; help iface-commit; help iface-rollback',
  },
});
