/**
 * Node devices through virtkitd: the remote driver and libvirt's own client (python3-libvirt)
 * list, look up and describe the test driver's devices, and create and destroy a vHBA, with the
 * same answers as the driver gives in process.
 */
import { execFileSync } from 'node:child_process';
import { open } from '@virtkit/core';
import { describeIf, startDaemon, type RunningDaemon } from '@virtkit/testkit';

const VHBA =
  "<device><parent>scsi_host1</parent><capability type='scsi_host'><capability type='fc_host'>" +
  '<wwnn>2001001b32a9da4e</wwnn><wwpn>2101001b32a9da4e</wwpn></capability></capability></device>';

describe('node devices through virtkitd', () => {
  let daemon: RunningDaemon;
  let uri: string;
  beforeAll(async () => {
    daemon = await startDaemon();
    uri = `test+unix:///default?socket=${daemon.sock}`;
  });
  afterAll(async () => {
    expect(await daemon?.stop()).toBe(0);
  });

  /** What one connection says about the devices. */
  async function survey(u: string): Promise<unknown[]> {
    const c = await open(u);
    try {
      const devs = await c.listAllNodeDevices(0);
      const out: unknown[] = [devs.map((d) => d.getName()).sort(), await c.numOfDevices('fc_host'), (await c.listDevices(null, 10)).sort()];
      for (const name of ['computer', 'scsi_host1']) {
        const d = await c.nodeDeviceLookupByName(name);
        out.push([name, await d.getXMLDesc(), await d.getParent(), await d.listCaps(10), await d.numOfCaps()]);
      }
      const made = await c.nodeDeviceCreateXML(VHBA);
      out.push(made.getName(), await made.getXMLDesc());
      await made.destroy();
      out.push((await c.listDevices(null, 10)).sort());
      return out;
    } finally {
      await c.close();
    }
  }

  test('the remote driver answers as the test driver does in process', async () => {
    expect(await survey(uri)).toEqual(await survey('test:///default'));
  });

  describeIf('libvirt-python')('with libvirt 9.0 as the client', () => {
    test('python3-libvirt lists, describes, creates and destroys through virtkitd', () => {
      const script = `import libvirt, json, sys
c = libvirt.open(sys.argv[1])
out = [sorted(d.name() for d in c.listAllDevices(0)), c.numOfDevices('vports', 0)]
d = c.nodeDeviceLookupByName('scsi_host2')
out += [d.parent(), d.listCaps(), d.XMLDesc(0)]
v = c.nodeDeviceCreateXML(sys.argv[2], 0)
out.append(v.name())
v.destroy()
out.append(sorted(c.listDevices(None, 0)))
print(json.dumps(out))`;
      const run = (u: string) =>
        JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, u, VHBA], { encoding: 'utf8', timeout: 30_000 }));
      expect(run(uri)).toEqual(run('test:///default'));
    });
  });
});
