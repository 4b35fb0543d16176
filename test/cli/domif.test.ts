/**
 * vsh against virsh 9.0 on the test driver, byte for byte: the NIC commands' XML (attach-interface
 * and detach-interface with --print-xml, domif-setlink --print-xml), their option checks and
 * lookups, domif-getlink, domifstat, and the texts when the driver refuses (the test driver has no
 * device hotplug).
 */
import { compareAll } from './harness';

compareAll({
  'attach-interface builds virsh XML': {
    script:
      'attach-interface test network default --print-xml; ' +
      'attach-interface test bridge br0 --target vnet7 --mac 52:54:00:11:22:33 --model virtio --alias ua-x --inbound 100,200,300 --outbound 50 --print-xml; ' +
      'attach-interface test direct eth0 --print-xml; attach-interface test vhostuser /tmp/s --source-mode server --print-xml; ' +
      'attach-interface test hostdev 0000:00:19.0 --managed --print-xml; attach-interface test bridge br0 --script /x --print-xml',
  },
  'attach-interface refusals': {
    script:
      'attach-interface test bogus x; attach-interface test user x; attach-interface test direct eth0 --source-mode bridge; ' +
      'attach-interface test vhostuser /tmp/s; attach-interface test network default --inbound abc --print-xml; ' +
      'attach-interface test network default --mac 52:54:00:11:22:33',
  },
  'detach-interface finds the NIC or says why not': {
    script:
      'detach-interface test network --print-xml; detach-interface test network --print-xml --config; detach-interface test bridge; ' +
      'detach-interface test network --mac 00:11:22:33:44:55; detach-interface test network',
  },
  'domif-setlink and domif-getlink': {
    script:
      'domif-getlink test testnet0; domif-getlink test aa:bb:cc:dd:ee:ff; domif-getlink test nosuch; domif-getlink test 00:11:22:33:44:55; ' +
      'domif-setlink test testnet0 down --print-xml; domif-setlink test aa:bb:cc:dd:ee:ff up --config --print-xml; ' +
      'domif-setlink test testnet0 sideways; domif-setlink test nosuch down; domif-setlink test testnet0 down',
  },
  // The test driver's counters move with the clock: the numbers are masked.
  'domifstat lines and errors': {
    script: 'domifstat test testnet0; domifstat test aa:bb:cc:dd:ee:ff; domifstat test nosuch0; domifstat nope vnet0',
    mask: (o) => ({ ...o, stdout: o.stdout.replace(/ \d+$/gm, ' N') }),
  },
});
