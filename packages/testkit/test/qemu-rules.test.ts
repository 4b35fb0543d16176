/**
 * libvirt 9.0's QEMU command-line rules (qemu_command.c, qemu_validate.c) on hand-written
 * definitions: the argument a rule produces, or libvirt's refusal. The fake host of the
 * qemuxml2argv suite stands in for the real one.
 */
import * as path from 'node:path';
import { domainXmlToQemuArgv, qemuParseHooks } from '@virtkit/driver-qemu';
import { formatDomainXml, parseDomainXml } from '@virtkit/xml';
import { latestCaps, testHostContext } from '@virtkit/testkit';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');

const domain = (devices: string, extra = '') => `<domain type='kvm'>
  <name>rules</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='MiB'>256</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  ${extra}
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    ${devices}
    <memballoon model='none'/>
  </devices>
</domain>`;

/** The command line's arguments, one per element. */
function argv(xml: string): string {
  return domainXmlToQemuArgv(xml, latestCaps(FIXTURES), testHostContext(FIXTURES));
}

test('a UDP chardev always names both ends: an absent bind side is an empty address and port 0', () => {
  const out = argv(domain(`<serial type='udp'><source mode='connect' service='9999'/><target port='0'/></serial>`));
  expect(out).toContain('-chardev udp,id=charserial0,host=,port=9999,localaddr=,localport=0 ');
});

test('a SPICE address listen without an address listens on qemu.conf spice_listen', () => {
  expect(argv(domain(`<graphics type='spice' port='5900' autoport='no'/>`))).toContain('-spice port=5900,addr=127.0.0.1,');
});

test('an x86 interface without a model gets rtl8139 in the defined XML', () => {
  const def = parseDomainXml(
    domain(`<interface type='ethernet'><mac address='52:54:00:71:70:89'/><script path='/x'/></interface>`),
    qemuParseHooks(true),
  );
  expect(formatDomainXml(def, { inactive: true })).toContain(`<script path='/x'/>
      <model type='rtl8139'/>`);
});

test('a qemu-vdagent channel passes its clipboard and mouse settings to QEMU', () => {
  const channel = `<controller type='virtio-serial' index='0'/><channel type='qemu-vdagent'><source><mouse mode='client'/><clipboard copypaste='no'/></source><target type='virtio' name='com.redhat.spice.0'/></channel>`;
  expect(argv(domain(channel))).toContain('-chardev qemu-vdagent,id=charchannel0,name=vdagent,clipboard=off,mouse=on ');
});

test('the implicit video of a domain with graphics gets the video model defaults', () => {
  const def = parseDomainXml(domain(`<graphics type='vnc'/>`), qemuParseHooks(true));
  expect(formatDomainXml(def, { inactive: true })).toContain(`<model type='cirrus' vram='16384' heads='1' primary='yes'/>`);
});

describe('memory backends (qemuBuildMemoryBackendProps)', () => {
  const numa = (cell: string, backing: string) =>
    domain(
      '',
      `<memoryBacking>${backing}</memoryBacking><cpu><numa><cell id='0' cpus='0' memory='262144' unit='KiB'${cell}/></numa></cpu>`,
    );

  it('uses memfd before hugetlbfs files, with the hugepage size as its options and the allocation threads', () => {
    const out = argv(
      numa(
        " memAccess='shared'",
        "<hugepages><page size='2' unit='M'/></hugepages><source type='memfd'/><allocation mode='immediate' threads='8'/>",
      ),
    );
    expect(out).toContain(
      '{"qom-type":"memory-backend-memfd","id":"ram-node0","hugetlb":true,"hugetlbsize":2097152,"share":true,"prealloc":true,"prealloc-threads":8,',
    );
  });

  it("writes a cell's discard setting either way on file backends", () => {
    const out = argv(numa(" discard='no'", "<hugepages><page size='2' unit='M'/></hugepages>"));
    expect(out).toMatch(/"id":"ram-node0","mem-path":"[^"]+","discard-data":false,"prealloc":true/);
  });
});

describe('machine-bound features', () => {
  const refusal = (xml: string) => {
    try {
      argv(xml);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected the definition to be refused');
  };

  it('refuses an Intel IOMMU off q35', () => {
    expect(refusal(domain(`<iommu model='intel'/>`, '<features><acpi/></features>'))).toBe(
      "unsupported configuration: IOMMU device: 'intel' is only supported with Q35 machines",
    );
  });

  it('refuses an SMM TSEG size off q35 while parsing', () => {
    const xml = domain('', "<features><smm state='on'><tseg unit='MiB'>48</tseg></smm></features>");
    expect(() => parseDomainXml(xml, qemuParseHooks(true))).toThrow('SMM TSEG is only supported with q35 machine type');
  });
});

test('an absolute clock offset starts the RTC at its UTC instant', () => {
  expect(argv(domain('', "<clock offset='absolute' start='1234567890'/>"))).toContain('-rtc base=2009-02-13T23:31:30 ');
});

test('an evdev input is an input-linux object though it names no bus', () => {
  const out = argv(domain(`<input type='evdev'><source dev='/dev/input/event7' grab='all' repeat='on'/></input>`));
  expect(out).toContain(`-object '{"qom-type":"input-linux","id":"input0","evdev":"/dev/input/event7","repeat":true,"grab_all":true}'`);
});

test('an NVDIMM backend says nothing about sharing unless an access mode is set', () => {
  const nvdimm = `<memory model='nvdimm'><source><path>/tmp/nv</path></source><target><size unit='KiB'>523264</size><node>0</node></target></memory>`;
  const extra = `<maxMemory slots='4' unit='KiB'>4194304</maxMemory><cpu><numa><cell id='0' cpus='0' memory='262144' unit='KiB'/></numa></cpu>`;
  const out = argv(domain(nvdimm, extra));
  expect(out).toContain(`"mem-path":"/tmp/nv","prealloc":true`);
});

test('ACPI hotplug on the i440fx root bus is passed on in either setting', () => {
  expect(argv(domain(`<controller type='pci' index='0' model='pci-root'><target hotplug='on'/></controller>`))).toContain(
    '-global PIIX4_PM.acpi-root-pci-hotplug=on ',
  );
});

test('SPICE with GL next to egl-headless is refused: QEMU has one OpenGL display', () => {
  expect(() =>
    argv(domain(`<graphics type='spice'><listen type='none'/><gl enable='yes'/></graphics><graphics type='egl-headless'/>`)),
  ).toThrow('multiple OpenGL displays are not supported by QEMU');
});

describe('vhost-vdpa interfaces (qemuBuildHostNetProps)', () => {
  const vdpa = (inner = '') =>
    `<interface type='vdpa'><mac address='52:54:00:95:db:c0'/><source dev='/dev/vhost-vdpa-0'/>${inner}</interface>`;

  it('passes the opened device as an fd set, with the queue count when there are several', () => {
    const out = argv(domain(vdpa(`<model type='virtio'/><driver queues='4'/>`)));
    expect(out).toContain(
      `-add-fd set=0,fd=1732,opaque=net0-vdpa -netdev '{"type":"vhost-vdpa","vhostdev":"/dev/fdset/0","queues":4,"id":"hostnet0"}'`,
    );
    expect(out).toContain('"mq":true,"vectors":10');
  });

  it('refuses a model other than virtio', () => {
    expect(() => argv(domain(vdpa(`<model type='e1000'/>`)))).toThrow("invalid model for interface of type 'vdpa': 'e1000'");
  });
});

test('PCIe port hotplug is passed on when set either way', () => {
  const q35 = (hotplug: string) =>
    domain(
      `<controller type='pci' index='0' model='pcie-root'/><controller type='pci' index='1' model='pcie-root-port'><target hotplug='${hotplug}'/></controller>`,
    ).replace("machine='pc'", "machine='q35'");
  expect(argv(q35('on'))).toMatch(/"driver":"pcie-root-port","port":8,"chassis":1,"id":"pci.1","hotplug":true,"bus":"pcie.0"/);
  expect(argv(q35('off'))).toContain('"id":"pci.1","hotplug":false,');
});
