/** virDomainSetMemoryFlags on a running TCG QEMU (the balloon for the live domain, the definition for --config), and the vCPU count of the definition. */
import { DomainMemoryModFlags as F, DomainVcpuFlags, DomainXMLFlags as X, ErrorNumber, type Connect, type VirError } from '@virtkit/core';
import { cleanupRoot, newRoot, openEmbed, rejection } from './driver-helpers';

const xml = (name: string, balloon: string) =>
  `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os>` +
  `<devices><memballoon model='${balloon}'/></devices></domain>`;
const current = (text: string) => Number(/<currentMemory unit='KiB'>(\d+)<\/currentMemory>/.exec(text)![1]);
const maximum = (text: string) => Number(/<memory unit='KiB'>(\d+)<\/memory>/.exec(text)![1]);

describe('setting memory on the QEMU driver', () => {
  let root: string;
  let conn: Connect;
  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
  });
  afterAll(async () => {
    await cleanupRoot(root, conn);
  });

  it('balloons the running domain and changes the definition per flags', async () => {
    const dom = await conn.defineXML(xml('mem', 'virtio'));
    await dom.create();
    await dom.setMemoryFlags(32768, F.VIR_DOMAIN_MEM_LIVE);
    expect(current(await dom.getXMLDesc())).toBe(32768);
    expect(current(await dom.getXMLDesc(X.VIR_DOMAIN_XML_INACTIVE))).toBe(65536);
    await dom.setMemoryFlags(49152, F.VIR_DOMAIN_MEM_CONFIG);
    expect(current(await dom.getXMLDesc(X.VIR_DOMAIN_XML_INACTIVE))).toBe(49152);
    const tooBig = (await rejection(dom.setMemoryFlags(131072, 0))) as VirError;
    expect([tooBig.code, tooBig.message]).toEqual([
      ErrorNumber.VIR_ERR_INVALID_ARG,
      'invalid argument: cannot set memory higher than max memory',
    ]);
    const maxLive = (await rejection(dom.setMaxMemory(40000))) as VirError;
    expect(maxLive.message).toBe('Requested operation is not valid: cannot resize the maximum memory on an active domain');
    await dom.destroy();
    await dom.setMaxMemory(40000);
    const stored = await dom.getXMLDesc(X.VIR_DOMAIN_XML_INACTIVE);
    expect([maximum(stored), current(stored)]).toEqual([40000, 40000]);
    // The vCPU count of the next boot; a running domain's would need CPU hotplug.
    await dom.setVcpusFlags(2, DomainVcpuFlags.VIR_DOMAIN_VCPU_CONFIG | DomainVcpuFlags.VIR_DOMAIN_VCPU_MAXIMUM);
    await dom.setVcpusFlags(1, DomainVcpuFlags.VIR_DOMAIN_VCPU_CONFIG);
    expect(await dom.getXMLDesc(X.VIR_DOMAIN_XML_INACTIVE)).toContain("<vcpu placement='static' current='1'>2</vcpu>");
    const over = (await rejection(dom.setVcpusFlags(3, DomainVcpuFlags.VIR_DOMAIN_VCPU_CONFIG))) as VirError;
    expect(over.message).toBe('invalid argument: requested vcpus is greater than max allowable vcpus for the persistent domain: 3 > 2');
    await dom.undefine();
  });

  it('cannot change the memory of a running domain without a balloon', async () => {
    const dom = await conn.createXML(xml('noballoon', 'none'));
    const e = (await rejection(dom.setMemory(32768))) as VirError;
    expect([e.code, e.message]).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_INVALID,
      'Requested operation is not valid: Unable to change memory of active domain without the balloon device and guest OS balloon driver',
    ]);
    await dom.destroy();
  });
});
