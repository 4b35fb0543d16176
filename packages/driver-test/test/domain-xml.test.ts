/**
 * Domain and snapshot XML byte for byte against real libvirt (`virsh -c test:///default`): the
 * default `test` domain and freshly defined ones, inactive, live and live with secrets.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testIf } from '@virtkit/testkit';
import { open } from './helpers';
import type { TestConnection } from '../src/connection';

const INACTIVE = 2;
const SECURE = 1;

const MINIMAL = `<domain type='test'>
  <name>mini</name>
  <uuid>11111111-2222-3333-4444-555555555555</uuid>
  <memory>1024</memory>
  <os><type>hvm</type></os>
</domain>`;

const WITH_DEVICES = `<domain type='test'>
  <name>withdev</name>
  <uuid>22222222-2222-3333-4444-555555555555</uuid>
  <memory unit='MiB'>512</memory>
  <currentMemory unit='MiB'>256</currentMemory>
  <vcpu current='1'>4</vcpu>
  <os><type arch='x86_64'>hvm</type><boot dev='cdrom'/></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/a.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <source file='/iso/x.iso'/>
      <target dev='hdc' bus='ide'/>
      <readonly/>
    </disk>
    <disk type='block' device='disk'>
      <source dev='/dev/sdb'/>
      <target dev='sda' bus='scsi'/>
    </disk>
    <interface type='network'>
      <mac address='52:54:00:11:22:33'/>
      <source network='default' bridge='virbr0'/>
      <model type='virtio'/>
    </interface>
    <interface type='bridge'>
      <mac address='52:54:00:11:22:34'/>
      <source bridge='br0'/>
    </interface>
    <interface type='user'>
      <mac address='52:54:00:11:22:35'/>
      <target dev='testnet1'/>
    </interface>
    <graphics type='vnc' port='-1' passwd='secret'/>
  </devices>
</domain>`;

const DESCRIBED = `<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
  <name>escaped</name>
  <uuid>33333333-2222-3333-4444-555555555555</uuid>
  <title>A &amp; B "title"</title>
  <description>Less &lt; more &gt; &amp; 'quotes' "dq" and
a second line</description>
  <memory>2048</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
  <on_crash>preserve</on_crash>
  <devices/>
  <test:runstate>5</test:runstate>
</domain>`;

const SNAPSHOT = `<domainsnapshot>
  <name>s1</name>
  <description>before &amp; after "x"</description>
  <state>shutoff</state>
  <creationTime>1700000000</creationTime>
  <memory snapshot='no'/>
  <domain type='test'>
    <name>withdev</name>
    <uuid>22222222-2222-3333-4444-555555555555</uuid>
    <memory unit='MiB'>512</memory>
    <os><type>hvm</type></os>
    <devices>
      <disk type='file' device='disk'><source file='/var/lib/a.qcow2'/><target dev='vda' bus='virtio'/></disk>
      <disk type='file' device='cdrom'><target dev='hdc'/><readonly/></disk>
      <interface type='network'><mac address='52:54:00:11:22:33'/><source network='default'/></interface>
      <graphics type='vnc' passwd='x'/>
    </devices>
  </domain>
</domainsnapshot>`;

let dir: string;
let c: TestConnection;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'virtkit-dt-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  c = await open();
});
afterEach(async () => {
  await c.close();
});

/** Write `xml` to a file and run one virsh session; returns every document it printed, in order. */
function virshDocs(files: Record<string, string>, commands: string): string[] {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const out = execFileSync('virsh', ['-c', 'test:///default', commands], { cwd: dir, encoding: 'utf8', timeout: 30000 });
  return [...out.matchAll(/^<(domain|domainsnapshot)[ >][\s\S]*?^<\/\1>\n/gm)].map((m) => m[0]);
}

describe('domain XML against virsh', () => {
  testIf('virsh')('formats the default test domain as libvirt does', async () => {
    const real = virshDocs({}, 'dumpxml test --inactive; dumpxml test; dumpxml test --security-info');
    const dom = await c.domainLookupByName('test');
    expect([await c.domainGetXMLDesc(dom, INACTIVE), await c.domainGetXMLDesc(dom, 0), await c.domainGetXMLDesc(dom, SECURE)]).toEqual(
      real,
    );
  });

  const cases: Array<[string, string, string]> = [
    ['a minimal domain', 'mini', MINIMAL],
    ['a domain with disks, interfaces and graphics', 'withdev', WITH_DEVICES],
    ['a domain with a title and description to escape', 'escaped', DESCRIBED],
  ];
  for (const [what, name, xml] of cases) {
    testIf('virsh')(`formats ${what} as libvirt does, inactive, live and live with secrets`, async () => {
      const real = virshDocs(
        { 'dom.xml': xml },
        `define dom.xml; dumpxml ${name} --inactive; dumpxml ${name} --security-info; start ${name}; ` +
          `dumpxml ${name}; dumpxml ${name} --security-info; dumpxml ${name} --inactive --security-info`,
      );
      const dom = await c.domainDefineXML(xml);
      const ours = [await c.domainGetXMLDesc(dom, INACTIVE), await c.domainGetXMLDesc(dom, SECURE)];
      await c.domainCreate(dom);
      const live = await c.domainLookupByName(name);
      ours.push(
        await c.domainGetXMLDesc(live, 0),
        await c.domainGetXMLDesc(live, SECURE),
        await c.domainGetXMLDesc(live, INACTIVE | SECURE),
      );
      expect(ours).toEqual(real);
    });
  }

  testIf('virsh')('formats a redefined snapshot as libvirt does, with and without secrets', async () => {
    const real = virshDocs(
      { 'dom.xml': WITH_DEVICES, 'snap.xml': SNAPSHOT },
      'define dom.xml; snapshot-create withdev snap.xml --redefine; snapshot-dumpxml withdev s1; ' +
        'snapshot-dumpxml withdev s1 --security-info',
    );
    const dom = await c.domainDefineXML(WITH_DEVICES);
    const snap = await c.domainSnapshotCreateXML(dom, SNAPSHOT, 1 /* REDEFINE */);
    expect([await c.domainSnapshotGetXMLDesc(snap, 0), await c.domainSnapshotGetXMLDesc(snap, 1)]).toEqual(real);
  });
});
