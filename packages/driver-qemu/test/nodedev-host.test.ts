/**
 * The QEMU connection's host devices against libvirt 9.0's node device driver on the same host:
 * a private libvirtd loading only that driver answers the same questions over its socket.
 */
import { execFileSync } from 'node:child_process';
import { ConnectListAllNodeDeviceFlags as L } from '@virtkit/core';
import { formatNodeDeviceXml } from '@virtkit/xml';
import { describeIf, startLibvirtd, type RunningLibvirtd } from '@virtkit/testkit';
import * as Nd from '../src/nodedev/calls';
import { scanHost } from '../src/nodedev/scan';

describeIf(
  'root',
  'libvirtd',
  'virsh',
)('host devices as libvirt 9.0 reports them', () => {
  let daemon: RunningLibvirtd;
  const virsh = (...args: string[]) =>
    execFileSync('virsh', ['-c', `nodedev:///system?socket=${daemon.sock}`, ...args], { encoding: 'utf8', timeout: 60_000 });

  beforeAll(async () => {
    daemon = await startLibvirtd({ drivers: ['nodedev'], asInvoker: true });
  }, 60_000);
  afterAll(async () => {
    await daemon?.stop();
  });

  it('lists the same devices with the same XML, byte for byte', async () => {
    const theirs = virsh('nodedev-list').split('\n').filter(Boolean);
    const ours = await scanHost('/');
    expect(ours.map((d) => d.name).sort()).toEqual([...theirs].sort());
    for (const def of ours)
      expect([def.name, formatNodeDeviceXml(def)]).toEqual([def.name, virsh('nodedev-dumpxml', def.name).replace(/\n$/, '')]);
  }, 120_000);

  it('filters by capability and answers capability lists, parents and state as libvirt', async () => {
    const inv = new Nd.NodeDevInventory();
    for (const cap of ['net', 'pci', 'storage', 'system']) {
      const names = (await Nd.listAll(inv, capBit(cap))).map((d) => d.name).sort();
      expect([cap, names]).toEqual([cap, virsh('nodedev-list', '--cap', cap).split('\n').filter(Boolean)]);
    }
    expect(await Nd.listAll(inv, L.VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE)).toEqual([]);
    for (const def of await inv.devices()) {
      const info = virsh('nodedev-info', def.name);
      const persistent = await Nd.isRoot(inv, { name: def.name });
      expect(info).toContain(`${'Parent:'.padEnd(15)} ${def.parent ?? ''}\n`);
      expect(info).toContain(`${'Persistent:'.padEnd(15)} ${persistent ? 'yes' : 'no'}\n`);
    }
  }, 120_000);
});

function capBit(cap: string): number {
  const bits: Record<string, number> = {
    net: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_NET,
    pci: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV,
    storage: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_STORAGE,
    system: L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_SYSTEM,
  };
  return bits[cap];
}
