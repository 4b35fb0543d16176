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
  // libvirt's test driver has no network ports: every call is VIR_ERR_NO_SUPPORT, and the
  // dumpxml/delete lookups print virsh 9.0's "failed to get" line and succeed.
  'net-port-* on the test driver, which has no ports': {
    script:
      `net-port-list default; net-port-list default --uuid --table; net-port-create default net-n1.xml; net-port-dumpxml default ${N1}; ` +
      `net-port-delete default ${N1}; net-port-dumpxml nope ${N1}; net-port-list nope`,
  },
  'net-update argument errors': {
    script:
      'net-update default bogus ip-dhcp-host "<host/>"; net-update default add bogus "<host/>"; ' +
      'net-update default add ip-dhcp-host "<host/>" --current --live; net-update default add ip-dhcp-host "<host/>" --parent-index x; ' +
      'net-update default add ip-dhcp-host nope.xml; net-update nope add ip-dhcp-host "<host/>"',
  },
  'net-update ip-dhcp-host and ip-dhcp-range, live and config': {
    script:
      `net-update default add ip-dhcp-host "<host mac='52:54:00:00:00:0a' name='a' ip='192.168.122.10'/>"; ` +
      `net-update default add-first ip-dhcp-host "<host mac='52:54:00:00:00:0b' name='b' ip='192.168.122.11'/>" --live; ` +
      `net-update default add ip-dhcp-host "<host mac='52:54:00:00:00:0A' name='c' ip='192.168.122.12'/>"; ` +
      `net-update default modify ip-dhcp-host "<host mac='52:54:00:00:00:0a' name='a2' ip='192.168.122.20'/>"; ` +
      `net-update default modify ip-dhcp-host "<host mac='52:54:00:00:00:0f' ip='192.168.122.99'/>"; ` +
      `net-update default delete ip-dhcp-host "<host name='b'/>"; net-update default delete ip-dhcp-host "<host name='zz'/>"; ` +
      `net-update default add ip-dhcp-host "<host mac='52:54:00:00:00:0c' ip='10.0.0.1'/>"; ` +
      `net-update default add ip-dhcp-host "<host ip='192.168.122.30'/>"; ` +
      `net-update default add ip-dhcp-host "<range start='192.168.122.30' end='192.168.122.40'/>"; ` +
      `net-update default add ip-dhcp-host "<host mac='52:54:00:00:00:0d' ip='192.168.122.31'/>" --parent-index 3; ` +
      `net-update default add ip-dhcp-range "<range start='192.168.122.2' end='192.168.122.254'/>"; ` +
      `net-update default modify ip-dhcp-range "<range start='192.168.122.2' end='192.168.122.254'/>"; ` +
      `net-update default delete ip-dhcp-range "<range start='192.168.122.2' end='192.168.122.254'/>"; ` +
      `net-update default add-first ip-dhcp-range "<range start='192.168.122.100' end='192.168.122.110'/>"; ` +
      `net-update default delete ip-dhcp-range "<range start='192.168.122.5' end='192.168.122.6'/>"; ` +
      'net-dumpxml default; ' +
      `net-update default add ip-dhcp-host "<host mac='52:54:00:00:00:0e' name='e' ip='192.168.122.50'/>" --config; ` +
      'net-update default add ip-dhcp-host net-host.xml --live --config; net-dumpxml default; ' +
      "net-define net-n1.xml; net-update n1 delete ip-dhcp-host \"<host mac='52:54:00:00:00:01'/>\"; net-update n1 add ip-dhcp-host \"<host name='x' ip='10.5.0.9'/>\" --live; net-dumpxml n1",
  },
  'net-update dns, portgroup, forward-interface and unsupported sections': {
    script:
      `net-update default add dns-host "<host ip='192.168.122.5'><hostname>h5</hostname></host>"; ` +
      `net-update default add dns-host "<host ip='192.168.122.5'><hostname>h6</hostname></host>"; ` +
      `net-update default add-first dns-host "<host ip='192.168.122.6'><hostname>h5</hostname></host>"; ` +
      `net-update default delete dns-host "<host><hostname>h5</hostname></host>"; ` +
      `net-update default delete dns-host "<host ip='192.168.122.6'/>"; ` +
      `net-update default modify dns-host "<host ip='192.168.122.6'/>"; ` +
      `net-update default add dns-txt "<txt name='t1' value='v1'/>"; net-update default add dns-txt "<txt name='t1' value='v2'/>"; ` +
      `net-update default delete dns-txt "<txt name='t2'/>"; net-update default add dns-txt "<txt name='bad name' value='v'/>"; ` +
      `net-update default add dns-srv "<srv service='sip' protocol='udp' target='h5' port='5060'/>"; ` +
      `net-update default add dns-srv "<srv service='sip' protocol='tcp'/>"; net-update default delete dns-srv "<srv service='sip'/>"; ` +
      `net-update default delete dns-srv "<srv protocol='tcp'/>"; ` +
      `net-update default add portgroup "<portgroup name='pg1' default='yes'/>"; ` +
      `net-update default add portgroup "<portgroup name='pg2' default='yes'/>"; ` +
      `net-update default modify portgroup "<portgroup name='pg1'><vlan><tag id='42'/></vlan></portgroup>"; ` +
      `net-update default delete portgroup "<portgroup name='pg3'/>"; ` +
      `net-update default add forward-interface "<interface dev='eth7'/>"; net-update default add forward-interface "<interface dev='eth7'/>"; ` +
      `net-update default modify forward-interface "<interface dev='eth7'/>"; net-update default add forward-interface "<interface/>"; ` +
      `net-update default add bridge "<bridge name='x'/>"; net-update default add ip "<ip/>"; net-update default add forward "<forward/>"; ` +
      `net-update default add domain "<domain/>"; net-update default add forward-pf "<pf/>"; ` +
      `net-update default add dns-txt "<host/>"; net-dumpxml default`,
  },
  'net-event without events': {
    script:
      'net-event --list; net-event; net-event --event foo; net-event --event lifecycle --timeout 1; ' +
      'net-event --event lifecycle --network nope --timeout 1; net-event --event lifecycle --timeout 0; help net-event',
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
