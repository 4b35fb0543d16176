/** vsh against virsh 9.0: the net-* commands on the test driver, byte for byte. */
import { compareAll } from './harness';

const N1 = '0b8e0f5c-6c05-4c3e-9a56-5f5b2f9c0a01';

compareAll({
  'net-list, net-info, net-dumpxml, net-uuid, net-name on the default network': {
    script:
      'net-list; net-list --all; net-list --name; net-list --uuid; net-list --inactive; net-list --transient; ' +
      'net-info default; net-info dd8fe884-6c02-601e-7551-cca97df1c5df; net-dumpxml default; net-uuid default; ' +
      'net-name dd8fe884-6c02-601e-7551-cca97df1c5df; net-bridge-nope default',
  },
  'net-define, net-start, net-autostart, net-destroy, net-undefine': {
    script:
      'net-define net-n1.xml; net-list --all; net-start n1; net-start n1; net-autostart n1; net-list --autostart; ' +
      `net-info ${N1}; net-undefine n1; net-destroy n1; net-autostart n1 --disable; net-list --all --no-autostart; ` +
      'net-undefine n1; net-list --all --persistent',
  },
  'net-create makes a transient network that goes on destroy': {
    script: 'net-create net-n1.xml; net-list --transient; net-info n1; net-create net-n1.xml; net-destroy n1; net-list --all',
  },
  'net-* errors': {
    script:
      'net-info nope; net-uuid nope; net-name nope; net-name 00000000-0000-0000-0000-000000000000; net-dumpxml default --inactive; ' +
      'net-define nope.xml; net-create nope.xml; net-start default; net-undefine default; net-dhcp-leases default; ' +
      'net-list --name --uuid; net-list --table --name; net-uuid dd8fe884-6c02-601e-7551-cca97df1c5df',
  },
  'net-update argument errors': {
    script:
      'net-update default bogus ip-dhcp-host "<host/>"; net-update default add bogus "<host/>"; ' +
      'net-update default add ip-dhcp-host "<host/>" --current --live; net-update default add ip-dhcp-host "<host/>" --parent-index x; ' +
      'net-update default add ip-dhcp-host nope.xml; net-update nope add ip-dhcp-host "<host/>"',
  },
  'net commands quiet': {
    script: 'net-define net-n1.xml; net-start n1; net-autostart n1; net-destroy n1; net-undefine n1',
    globals: ['-q', '-c', 'test:///default'],
  },
  'help net-*': {
    script:
      'help net-list; help net-info; help net-define; help net-create; help net-start; help net-destroy; help net-undefine; ' +
      'help net-autostart; help net-uuid; help net-name; help net-update; help net-dhcp-leases',
  },
});
