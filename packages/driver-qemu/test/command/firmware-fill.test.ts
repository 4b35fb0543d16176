/**
 * Firmware autoselection as a domain starts (qemuFirmwareFillDomain) and the NVRAM varstore made
 * from its template (qemuPrepareNVRAM), on the descriptors of libvirt's test host
 * (test/fixtures/qemufixtures): the live definition carries the chosen loader, template and SMM
 * instead of `<os firmware>`, and the varstore file appears with the template's bytes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatDomainXml, parseDomainXml } from '@virtkit/xml';
import { latestCaps, testHostContext } from '@virtkit/testkit';
import { buildCommandLine, qemuArgvParseHooks } from '../../src';
import { prepareNvram } from '../../src/domains/nvram';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures');

function domain(osXml: string, features = ''): string {
  return `<domain type='qemu'><name>fw</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='KiB'>219136</memory>${osXml}${features}
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices></domain>`;
}

function start(xml: string) {
  const caps = latestCaps(FIXTURES);
  const ctx = testHostContext(FIXTURES);
  const def = parseDomainXml(xml, qemuArgvParseHooks(caps, ctx));
  const argv = buildCommandLine(def, caps, ctx).argv.join(' ');
  return { def, argv, live: formatDomainXml(def) };
}

describe('firmware autoselection at start', () => {
  it("turns <os firmware='efi'> into the first matching descriptor's loader, template and SMM", () => {
    const { live, argv } = start(domain(`<os firmware='efi'><type arch='x86_64' machine='pc-q35-8.0'>hvm</type></os>`));
    expect(live).toContain('<os>\n');
    expect(live).not.toContain('firmware=');
    expect(live).toContain("<loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.secboot.fd</loader>");
    expect(live).toContain("<nvram template='/usr/share/OVMF/OVMF_VARS.secboot.fd'>/var/lib/libvirt/qemu/nvram/fw_VARS.fd</nvram>");
    expect(live).toMatch(/<features>\s*<smm state='on'\/>\s*<\/features>/);
    expect(argv).toContain('smm=on');
    expect(argv).toContain('-global driver=cfi.pflash01,property=secure,value=on');
  });

  it('refuses a firmware SMM needs when the domain turns SMM off', () => {
    expect(() =>
      start(
        domain(`<os firmware='efi'><type arch='x86_64' machine='pc-q35-8.0'>hvm</type></os>`, `<features><smm state='off'/></features>`),
      ),
    ).toThrow('domain has SMM turned off but chosen firmware requires it');
  });

  it('honours firmware feature wishes (secure boot off picks the plain OVMF)', () => {
    const { live, argv } = start(
      domain(
        `<os firmware='efi'><type arch='x86_64' machine='pc-q35-8.0'>hvm</type><firmware><feature enabled='no' name='secure-boot'/></firmware></os>`,
      ),
    );
    expect(live).toContain("<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>");
    expect(live).not.toContain('<smm');
    expect(argv).not.toContain('smm=on');
  });

  it('gives an old-style read-only loader the template of its descriptor', () => {
    const { live } = start(
      domain(
        `<os><type arch='x86_64' machine='pc-q35-8.0'>hvm</type><loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader></os>`,
      ),
    );
    expect(live).toContain("<nvram template='/usr/share/OVMF/OVMF_VARS.fd'>/var/lib/libvirt/qemu/nvram/fw_VARS.fd</nvram>");
  });
});

describe('the NVRAM varstore', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvram-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function def(nvram: string) {
    const caps = latestCaps(FIXTURES);
    const ctx = testHostContext(FIXTURES);
    return parseDomainXml(
      domain(
        `<os><type arch='x86_64' machine='pc-q35-8.0'>hvm</type><loader readonly='yes' type='pflash'>/x/CODE.fd</loader>${nvram}</os>`,
      ),
      qemuArgvParseHooks(caps, ctx),
    );
  }

  it('is copied from its template, owner-only, when it does not exist; kept when it does', () => {
    const template = path.join(dir, 'VARS.fd');
    fs.writeFileSync(template, Buffer.from([1, 2, 3, 4]));
    const store = path.join(dir, 'sub', 'fw_VARS.fd');
    prepareNvram(def(`<nvram template='${template}'>${store}</nvram>`));
    expect([...fs.readFileSync(store)]).toEqual([1, 2, 3, 4]);
    expect(fs.statSync(store).mode & 0o777).toBe(0o600);
    fs.writeFileSync(store, 'guest wrote this');
    prepareNvram(def(`<nvram template='${template}'>${store}</nvram>`));
    expect(fs.readFileSync(store, 'utf8')).toBe('guest wrote this');
  });

  it('without a template is an error naming the loader', () => {
    expect(() => prepareNvram(def(`<nvram>${path.join(dir, 'none.fd')}</nvram>`))).toThrow(
      'operation failed: unable to find any master var store for loader: /x/CODE.fd',
    );
  });
});
