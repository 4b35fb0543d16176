/**
 * xl.cfg ⇄ domain XML beyond the corpus samples: libvirt's rules for settings the samples do
 * not show (positional disk specs, USB, PCI passthrough, Xen bus limits) and its errors.
 */
import { domainXmlToXlConfig, x86XenCaps, xlConfigToDomainXml } from '../src';
import { parseConf } from '../src/xl/conf';
import { parseXlDiskSpec } from '../src/xl/disk-spec';

const caps = x86XenCaps();
const hvm = (extra: string): string =>
  `name = "g"\nuuid = "c7a5fdb2-cdaf-9455-926a-d65c16db1809"\nbuilder = "hvm"\nmemory = 128\n${extra}\n`;

describe('virConf syntax', () => {
  it('reads nested lists, comments and both quote styles, and writes them back', () => {
    const conf = parseConf(`# comment\na = 1\nb = 'x"y' ; c = [ "p", [ "q", 2 ], ]\n`);
    expect(conf.write()).toBe(`a = 1\nb = 'x"y'\nc = [ "p", [ "q", 2 ] ]\n`);
  });

  it('rejects an unterminated string with a syntax error', () => {
    expect(() => parseConf('name = "abc\n')).toThrow(expect.objectContaining({ code: 33 }));
  });
});

describe('xl disk specifications', () => {
  it('assigns positional parameters in order and lets target= take the rest', () => {
    expect(parseXlDiskSpec('/img,qcow2,hdb,ro')).toMatchObject({ target: '/img', format: 'qcow2', vdev: 'hdb', readwrite: false });
    expect(parseXlDiskSpec('vdev=xvda,target=/a,b')).toMatchObject({ target: '/a,b', vdev: 'xvda' });
    const emptyCdrom = parseXlDiskSpec(',,hdc,,devtype=cdrom');
    expect(emptyCdrom).toMatchObject({ vdev: 'hdc', cdrom: true, readwrite: false });
    expect(emptyCdrom.target).toBeUndefined();
    expect(parseXlDiskSpec('phy:/dev/sdb,xvdb,w')).toMatchObject({ target: '/dev/sdb', backend: 'phy' });
  });

  it('refuses unknown formats', () => {
    expect(() => parseXlDiskSpec('/img,bogus,hda,rw')).toThrow(/unknown format 'bogus'/);
  });
});

describe('conversion rules', () => {
  it('adds the implied controllers, SCSI before IDE, with drive addresses', () => {
    const xml = xlConfigToDomainXml(hvm('disk = [ "/a,raw,hda", "/b,raw,sdb" ]'), caps);
    expect(xml).toContain("<target dev='sdb' bus='scsi'/>\n      <address type='drive' controller='0' bus='0' target='0' unit='1'/>");
    expect(xml.indexOf("<controller type='scsi' index='0'/>")).toBeLessThan(xml.indexOf("<controller type='ide' index='0'/>"));
  });

  it('gives every disk the raw format xl defaults to, an empty CD-ROM included', () => {
    const xml = xlConfigToDomainXml(hvm('disk = [ "/a,,hda,,", "vdev=hdd,access=ro,devtype=cdrom" ]'), caps);
    expect(xml).toContain("<driver name='qemu' type='raw'/>\n      <source file='/a'/>");
    expect(xml).toContain("<driver name='qemu' type='raw'/>\n      <target dev='hdd' bus='ide'/>");
  });

  it('round-trips USB controllers, USB and PCI host devices and Xen bus limits', () => {
    const cfg = hvm(
      'usbctrl = [ "version=1,ports=4" ]\nusbdev = [ "hostbus=1,hostaddr=3" ]\npci = [ "0000:01:1a.1,permissive=1" ]\nmax_event_channels = 2047\nmax_grant_frames = 40',
    );
    const xml = xlConfigToDomainXml(cfg, caps);
    expect(xml).toContain("<controller type='xenbus' index='0' maxGrantFrames='40' maxEventChannels='2047'/>");
    expect(xml).toContain("<controller type='usb' index='0' model='qusb1' ports='4'/>");
    expect(xml).toContain("<source writeFiltering='no'>");
    const back = domainXmlToXlConfig(xml);
    expect(back).toContain('pci = [ "0000:01:1a.1,permissive=1" ]');
    expect(back).toContain('max_event_channels = 2047\nmax_grant_frames = 40\n');
    expect(back).toContain('usbdev = [ "hostbus=1,hostaddr=3" ]\nusbctrl = [ "type=qusb,version=1,ports=4" ]');
  });

  it('writes a PVH guest with type = "pvh" and a Xen console', () => {
    const xml = xlConfigToDomainXml('name = "p"\nuuid = "c7a5fdb2-cdaf-9455-926a-d65c16db1809"\ntype = "pvh"\nkernel = "/k"\n', caps);
    expect(xml).toContain("<type arch='x86_64' machine='xenpvh'>xenpvh</type>");
    expect(xml).toContain("<target type='xen' port='0'/>");
    expect(domainXmlToXlConfig(xml)).toContain('type = "pvh"\nkernel = "/k"\n');
  });

  it('reports libvirt errors for settings it cannot convert', () => {
    expect(() => xlConfigToDomainXml(hvm('on_crash = "explode"'), caps)).toThrow('internal error: unexpected value explode for on_crash');
    expect(() => xlConfigToDomainXml(hvm('cpuid = "0x1:ecx=x"'), caps)).toThrow(/cpuid starting with 0x1:ecx=x is not supported/);
    expect(() => xlConfigToDomainXml('uuid = "c7a5fdb2-cdaf-9455-926a-d65c16db1809"\n', caps)).toThrow('config value name was missing');
  });
});
