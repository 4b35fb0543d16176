import * as path from 'node:path';
import { ErrorDomain, ErrorNumber } from '@virtkit/core';
import { formatNodeDeviceXml, parseNodeDeviceXml } from '@virtkit/xml';
import { run } from '../../src/corpus/nodedevxml2xml';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/corpus/nodedevxml2xml');

/** The VirError a parse raises, as [code, domain, message]. */
function parseError(xml: string, mode: 'existing' | 'create' = 'existing'): [number, number, string] {
  try {
    parseNodeDeviceXml(xml, mode);
  } catch (e) {
    const v = e as { code: number; domain: number; message: string };
    return [v.code, v.domain, v.message];
  }
  throw new Error('expected a parse failure');
}

const INTERNAL = ErrorNumber.VIR_ERR_INTERNAL_ERROR;
const NODEDEV = ErrorDomain.VIR_FROM_NODEDEV;

describe('nodedevxml2xml corpus', () => {
  it('passes every case', async () => {
    const results = await run(FIXTURES);
    expect(results).toHaveLength(21);
    expect(results.filter((r) => !r.ok).map((r) => `${r.name}\n${r.diff ?? ''}`)).toEqual([]);
  });

  it('writes numbers in libvirt formats: PCI class and ids in hex, addresses zero-padded, ccw devno four digits', () => {
    const pci = parseNodeDeviceXml(
      `<device><name>p</name><capability type='pci'><class>0x20000</class><domain>0</domain><bus>3</bus><slot>1</slot>` +
        `<function>0</function><product id='0x10c9'/><vendor id='8086'>Intel</vendor>` +
        `<iommuGroup number='5'><address domain='0' bus='3' slot='0x1' function='0'/></iommuGroup></capability></device>`,
    );
    const out = formatNodeDeviceXml(pci);
    expect(out).toContain('<class>0x020000</class>\n    <domain>0</domain>\n    <bus>3</bus>');
    expect(out).toContain("<product id='0x10c9'/>\n    <vendor id='0x8086'>Intel</vendor>");
    expect(out).toContain("<address domain='0x0000' bus='0x03' slot='0x01' function='0x0'/>");
    const ccw = formatNodeDeviceXml(
      parseNodeDeviceXml(
        `<device><name>c</name><capability type='ccw'><cssid>0xfe</cssid><ssid>0</ssid><devno>0x1a</devno></capability></device>`,
      ),
    );
    expect(ccw).toContain('<cssid>0xfe</cssid>\n    <ssid>0x0</ssid>\n    <devno>0x001a</devno>');
  });

  it('keeps only the vport capability, not the counts, as libvirt reads them from sysfs', () => {
    const out = formatNodeDeviceXml(
      parseNodeDeviceXml(
        `<device><name>h</name><capability type='scsi_host'><host>1</host><capability type='vport_ops'>` +
          `<max_vports>127</max_vports><vports>1</vports></capability></capability></device>`,
      ),
    );
    expect(out).toContain("<capability type='vport_ops'>\n      <max_vports>0</max_vports>\n      <vports>0</vports>");
  });

  it.each([
    ['no capability', `<device><name>x</name></device>`, "no device capabilities for 'x'"],
    ['a system without UUID', `<device><name>x</name><capability type='system'/></device>`, "no system UUID supplied for 'x'"],
    ['a PCI device without domain', `<device><name>x</name><capability type='pci'/></device>`, "no PCI domain ID supplied for 'x'"],
    ['an unknown capability', `<device><name>x</name><capability type='floppy'/></device>`, "unknown capability type 'floppy'"],
    ['a bad drm type', `<device><name>x</name><capability type='drm'><type>x</type></capability></device>`, "unknown drm type 'x' for 'x'"],
    ['a scsi host without number', `<device><name>x</name><capability type='scsi_host'/></device>`, "no SCSI host ID supplied for 'x'"],
  ])('refuses %s with libvirt’s message', (_what, xml, detail) => {
    expect(parseError(xml)).toEqual([INTERNAL, NODEDEV, `internal error: ${detail}`]);
  });

  it('names a device to create "new device" and needs both fibre channel names of a vHBA', () => {
    const vhba = (fc: string) => `<device><capability type='scsi_host'><capability type='fc_host'>${fc}</capability></capability></device>`;
    expect(parseNodeDeviceXml(vhba('<wwnn>1</wwnn><wwpn>2</wwpn>'), 'create').name).toBe('new device');
    expect(parseError(vhba('<wwnn>1</wwnn>'), 'create')[2]).toBe(
      "internal error: no WWPN supplied for 'new device', and auto-generation failed",
    );
  });
});
