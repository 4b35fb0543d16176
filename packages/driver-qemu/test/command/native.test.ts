import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseQemuCapsXml } from '../../src/caps/libvirt-xml';
import { domainXmlToQemuArgv } from '../../src';

const CAPS = path.resolve(__dirname, '../../../../test/fixtures/qemucaps/caps_8.0.0.x86_64.xml');
const XML = `<domain type='qemu'>
  <name>demo</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='KiB'>219136</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>
</domain>`;

describe('domainXmlToQemuArgv', () => {
  it('converts domain XML to a one-line QEMU command', () => {
    const caps = parseQemuCapsXml(readFileSync(CAPS, 'utf8'), { flattenAliases: true });
    const text = domainXmlToQemuArgv(XML, caps);
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toContain(' /usr/bin/qemu-system-x86_64 -name guest=demo,debug-threads=on -S ');
    expect(text).toContain(' -machine pc,usb=off,dump-guest-core=off,memory-backend=pc.ram ');
    expect(text).toContain(' -m 214 ');
    expect(text.trimEnd().endsWith('-msg timestamp=on')).toBe(true);
  });
});
