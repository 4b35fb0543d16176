import { ConnectListAllNetworksFlags as L } from '@virtkit/core';
import { testIf } from '@virtkit/testkit';
import { failure, open, py } from './helpers';
import type { TestConnection } from '../src/connection';

let c: TestConnection;
beforeEach(async () => {
  c = await open();
});
afterEach(async () => {
  await c.close();
});

const NET = (name: string, uuid: string, bridge = 'virbr5') =>
  `<network><name>${name}</name><uuid>${uuid}</uuid><bridge name='${bridge}'/></network>`;
const U1 = '0b8e0f5c-6c05-4c3e-9a56-5f5b2f9c0a01';
const U2 = '0b8e0f5c-6c05-4c3e-9a56-5f5b2f9c0a02';

/** The same steps through the driver, as [call, result-or-error] pairs. */
async function steps(): Promise<unknown[]> {
  const out: unknown[] = [];
  const run = async (label: string, p: Promise<unknown>) => {
    try {
      out.push([label, await p]);
    } catch (e) {
      const v = e as { code: number; domain: number; message: string };
      out.push([label, [v.code, v.domain, v.message]]);
    }
  };
  const n1 = await c.networkDefineXML(NET('n1', U1));
  await run('active', c.networkIsActive(n1));
  await run('persistent', c.networkIsPersistent(n1));
  await run('defined', c.connectListDefinedNetworks(10));
  await run('dup-name', c.networkDefineXML(NET('n1', U2)));
  await run('dup-uuid', c.networkDefineXML(NET('n2', U1)));
  await run('start', c.networkCreate(n1));
  await run('start-again', c.networkCreate(n1));
  await run('undefine-running', c.networkUndefine(n1));
  await run('create-active', c.networkCreateXML(NET('n1', U1)));
  await run('bridge', c.networkGetBridgeName(n1));
  await run('autostart', c.networkSetAutostart(n1, true));
  await run(
    'list-autostart',
    c.connectListAllNetworks(L.VIR_CONNECT_LIST_NETWORKS_AUTOSTART).then((r) => r.map((x) => x.name)),
  );
  await run('destroy', c.networkDestroy(n1));
  await run('undefine', c.networkUndefine(n1));
  await run('gone', c.networkLookupByName('n1'));
  const t = await c.networkCreateXML(NET('t', U2, 'virbr6'));
  await run('transient', c.networkIsPersistent(t));
  await run(
    'list-transient',
    c.connectListAllNetworks(L.VIR_CONNECT_LIST_NETWORKS_TRANSIENT).then((r) => r.map((x) => x.name)),
  );
  await run('destroy-transient', c.networkDestroy(t));
  await run('transient-gone', c.networkLookupByUUIDString(U2));
  await run('xml-inactive', c.networkGetXMLDesc(await c.networkLookupByName('default'), 1));
  await run(
    'nobridge',
    c.networkCreateXML(`<network><name>nb</name><uuid>${U2}</uuid></network>`).then((r) => c.networkGetBridgeName(r)),
  );
  return out;
}

describe('network events', () => {
  it("publishes lifecycle events as libvirt's test driver queues them", async () => {
    const seen: Array<[string, number]> = [];
    const stop = c.networkEvents.subscribe((e) => seen.push([e.net.name, e.event]));
    const n1 = await c.networkDefineXML(NET('n1', U1));
    await c.networkCreate(n1);
    await c.networkDestroy(n1);
    await c.networkUndefine(n1);
    const t = await c.networkCreateXML(NET('t', U2, 'virbr6'));
    await c.networkDestroy(t);
    await failure(c.networkCreate(await c.networkLookupByName('default')));
    stop();
    await c.networkDestroy(await c.networkLookupByName('default'));
    expect(seen).toEqual([
      ['n1', 0],
      ['n1', 2],
      ['n1', 3],
      ['n1', 1],
      ['t', 2],
      ['t', 3],
    ]);
  });
});

describe('networks', () => {
  it('starts with the default network, active and persistent', async () => {
    const [net] = await c.connectListAllNetworks(0);
    expect(net).toEqual({ name: 'default', uuid: 'dd8fe884-6c02-601e-7551-cca97df1c5df' });
    expect(await c.networkGetXMLDesc(net!, 0)).toBe(`<network>
  <name>default</name>
  <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>
  <forward mode='nat'/>
  <bridge name='virbr0' stp='on' delay='0'/>
  <ip address='192.168.122.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.122.2' end='192.168.122.254'/>
    </dhcp>
  </ip>
</network>
`);
    expect(await c.connectNumOfNetworks()).toBe(1);
    expect(await c.connectNumOfDefinedNetworks()).toBe(0);
    expect(await failure(c.connectListAllNetworks(1 << 6))).toEqual([
      8,
      12,
      'unsupported flags (0x40) in function testConnectListAllNetworks',
    ]);
  });

  testIf('libvirt-python')('answers as libvirt 9.0 test driver does, errors included', async () => {
    const expected = py(`
out = []
def run(label, f):
    try:
        out.append([label, f()])
    except libvirt.libvirtError as e:
        out.append([label, [e.get_error_code(), e.get_error_domain(), str(e)]])
def net(name, uuid, bridge="virbr5"):
    return "<network><name>%s</name><uuid>%s</uuid><bridge name='%s'/></network>" % (name, uuid, bridge)
U1 = "${U1}"; U2 = "${U2}"
n1 = c.networkDefineXML(net("n1", U1))
run("active", lambda: bool(n1.isActive()))
run("persistent", lambda: bool(n1.isPersistent()))
run("defined", lambda: c.listDefinedNetworks())
run("dup-name", lambda: c.networkDefineXML(net("n1", U2)) and None)
run("dup-uuid", lambda: c.networkDefineXML(net("n2", U1)) and None)
run("start", lambda: n1.create() and None)
run("start-again", lambda: n1.create() and None)
run("undefine-running", lambda: n1.undefine() and None)
run("create-active", lambda: c.networkCreateXML(net("n1", U1)) and None)
run("bridge", lambda: n1.bridgeName())
run("autostart", lambda: n1.setAutostart(1) and None)
run("list-autostart", lambda: [x.name() for x in c.listAllNetworks(libvirt.VIR_CONNECT_LIST_NETWORKS_AUTOSTART)])
run("destroy", lambda: n1.destroy() and None)
run("undefine", lambda: n1.undefine() and None)
run("gone", lambda: c.networkLookupByName("n1") and None)
t = c.networkCreateXML(net("t", U2, "virbr6"))
run("transient", lambda: bool(t.isPersistent()))
run("list-transient", lambda: [x.name() for x in c.listAllNetworks(libvirt.VIR_CONNECT_LIST_NETWORKS_TRANSIENT)])
run("destroy-transient", lambda: t.destroy() and None)
run("transient-gone", lambda: c.networkLookupByUUIDString(U2) and None)
run("xml-inactive", lambda: c.networkLookupByName("default").XMLDesc(1))
run("nobridge", lambda: c.networkCreateXML("<network><name>nb</name><uuid>%s</uuid></network>" % U2).bridgeName())
`) as unknown[];
    expect(expected).toHaveLength(21);
    const normalise = (xs: unknown[]) =>
      xs.map((x) => {
        const [l, v] = x as [string, unknown];
        return [l, v === undefined || v === 0 ? null : v];
      });
    expect(normalise(await steps())).toEqual(normalise(expected));
  });
});
