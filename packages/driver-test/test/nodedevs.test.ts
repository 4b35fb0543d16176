/** The test driver's node devices against libvirt 9.0's test driver (python3-libvirt), call by call. */
import { ConnectListAllNodeDeviceFlags as L } from '@virtkit/core';
import { testIf } from '@virtkit/testkit';
import { open, py } from './helpers';
import type { TestConnection } from '../src/connection';

let c: TestConnection;
beforeEach(async () => {
  c = await open();
});
afterEach(async () => {
  await c.close();
});

const VHBA = (parent: string, wwnn: string) =>
  `<device><parent>${parent}</parent><capability type='scsi_host'><capability type='fc_host'>` +
  `<wwnn>${wwnn}</wwnn><wwpn>2101001b32a9da4e</wwpn></capability></capability></device>`;

/** The same questions to our driver, as [label, answer-or-error] pairs with sorted name lists. */
async function ours(): Promise<unknown[]> {
  const out: unknown[] = [];
  const run = async (label: string, p: Promise<unknown>) => {
    try {
      const v = await p;
      out.push([label, Array.isArray(v) ? [...v].sort() : v]);
    } catch (e) {
      const v = e as { code: number; domain: number; message: string };
      out.push([label, [v.code, v.domain, v.message]]);
    }
  };
  const names = (p: Promise<{ name: string }[]>) => p.then((l) => l.map((d) => d.name));
  await run('num', c.nodeNumOfDevices(null, 0));
  await run('list', c.nodeListDevices(null, 100, 0));
  await run('list-fc', c.nodeListDevices('fc_host', 100, 0));
  await run('num-vports', c.nodeNumOfDevices('vports', 0));
  await run('num-bogus', c.nodeNumOfDevices('bogus', 0));
  await run('num-flags', c.nodeNumOfDevices(null, 1));
  await run('all', names(c.connectListAllNodeDevices(0)));
  await run('all-vports', names(c.connectListAllNodeDevices(L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS)));
  await run('all-system', names(c.connectListAllNodeDevices(L.VIR_CONNECT_LIST_NODE_DEVICES_CAP_SYSTEM)));
  await run('all-active', names(c.connectListAllNodeDevices(L.VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE)));
  const h1 = { name: 'scsi_host1' };
  await run('caps', c.nodeDeviceListCaps(h1, 10));
  await run('ncaps', c.nodeDeviceNumOfCaps(h1));
  await run('parent', c.nodeDeviceGetParent(h1));
  await run('root-parent', c.nodeDeviceGetParent({ name: 'computer' }));
  await run('xml', c.nodeDeviceGetXMLDesc(h1, 0));
  await run('xml-flags', c.nodeDeviceGetXMLDesc(h1, 1));
  await run('missing', c.nodeDeviceLookupByName('nope'));
  await run('create', names(c.nodeDeviceCreateXML(VHBA('scsi_host1', '2001001b32a9da4e'), 0).then((d) => [d])));
  await run('created-xml', c.nodeDeviceGetXMLDesc({ name: 'scsi_host12' }, 0));
  await run('create-bad-parent', c.nodeDeviceCreateXML(VHBA('scsi_host11', '2001001b32a9da4f'), 0));
  await run('create-no-parent', c.nodeDeviceCreateXML(VHBA('nothere', '2001001b32a9da4f'), 0));
  await run(
    'destroy-root',
    c.nodeDeviceDestroy({ name: 'computer' }).then(() => null),
  );
  await run(
    'destroy-vhba',
    c.nodeDeviceDestroy({ name: 'scsi_host12' }).then(() => null),
  );
  await run(
    'destroy-template',
    c.nodeDeviceDestroy({ name: 'scsi_host11' }).then(() => null),
  );
  await run('create-without-template', c.nodeDeviceCreateXML(VHBA('scsi_host1', '2001001b32a9da4f'), 0));
  await run('after', c.nodeListDevices(null, 100, 0));
  return out;
}

const LIBVIRT = `
def run(label, f):
    try:
        v = f()
        out.append([label, sorted(v) if isinstance(v, list) else v])
    except libvirt.libvirtError as e:
        out.append([label, [e.get_error_code(), e.get_error_domain(), str(e)]])
V = lambda p, w: "<device><parent>%s</parent><capability type='scsi_host'><capability type='fc_host'><wwnn>%s</wwnn><wwpn>2101001b32a9da4e</wwpn></capability></capability></device>" % (p, w)
dev = c.nodeDeviceLookupByName
out = []
run('num', lambda: c.numOfDevices(None, 0))
run('list', lambda: c.listDevices(None, 0))
run('list-fc', lambda: c.listDevices('fc_host', 0))
run('num-vports', lambda: c.numOfDevices('vports', 0))
run('num-bogus', lambda: c.numOfDevices('bogus', 0))
run('num-flags', lambda: c.numOfDevices(None, 1))
run('all', lambda: [d.name() for d in c.listAllDevices(0)])
run('all-vports', lambda: [d.name() for d in c.listAllDevices(libvirt.VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS)])
run('all-system', lambda: [d.name() for d in c.listAllDevices(libvirt.VIR_CONNECT_LIST_NODE_DEVICES_CAP_SYSTEM)])
run('all-active', lambda: [d.name() for d in c.listAllDevices(libvirt.VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE)])
run('caps', lambda: dev('scsi_host1').listCaps())
run('ncaps', lambda: dev('scsi_host1').numOfCaps())
run('parent', lambda: dev('scsi_host1').parent())
run('root-parent', lambda: dev('computer').parent())
run('xml', lambda: dev('scsi_host1').XMLDesc(0))
run('xml-flags', lambda: dev('scsi_host1').XMLDesc(1))
run('missing', lambda: dev('nope'))
run('create', lambda: [c.nodeDeviceCreateXML(V('scsi_host1', '2001001b32a9da4e'), 0).name()])
run('created-xml', lambda: dev('scsi_host12').XMLDesc(0))
run('create-bad-parent', lambda: c.nodeDeviceCreateXML(V('scsi_host11', '2001001b32a9da4f'), 0))
run('create-no-parent', lambda: c.nodeDeviceCreateXML(V('nothere', '2001001b32a9da4f'), 0))
run('destroy-root', lambda: dev('computer').destroy() and None or None)
run('destroy-vhba', lambda: dev('scsi_host12').destroy() and None or None)
run('destroy-template', lambda: dev('scsi_host11').destroy() and None or None)
run('create-without-template', lambda: c.nodeDeviceCreateXML(V('scsi_host1', '2001001b32a9da4f'), 0))
run('after', lambda: c.listDevices(None, 0))
`;

describe('node devices of the test driver', () => {
  testIf('libvirt-python')('answer every call as libvirt 9.0 does', async () => {
    expect(await ours()).toEqual(py(LIBVIRT));
  });

  it('count fc_host and vports from the nested capabilities but list only the top-level ones', async () => {
    expect(await c.nodeNumOfDevices('fc_host', 0)).toBe(3);
    expect(await c.nodeNumOfDevices('vports', 0)).toBe(2);
    expect(await c.nodeDeviceListCaps({ name: 'scsi_host2' }, 10)).toEqual(['scsi_host']);
  });
});
