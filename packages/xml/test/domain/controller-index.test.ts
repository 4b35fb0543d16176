/**
 * Controller indexes left out of the XML (virDomainAssignControllerIndexes): the expected
 * indexes are what libvirt 9.0's test driver prints for the same input (`virsh define; dumpxml`).
 */
import { parseDomainXml } from '../../src/domain/index';

function usbIndexes(controllers: string): string[] {
  const xml = `<domain type='qemu'><name>t</name><memory>1024</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices>${controllers}</devices></domain>`;
  const def = parseDomainXml(xml, { inactive: true });
  return def.devices.filter((d) => d.controller?.type === 'usb').map((d) => `${d.controller!.model}:${d.controller!.index}`);
}

const ehci = `<controller type='usb' model='ich9-ehci1'/>`;
const uhci = (n: number, port: number, index = '') =>
  `<controller type='usb'${index} model='ich9-uhci${n}'><master startport='${port}'/></controller>`;

describe('controller indexes given by post-parse', () => {
  it("gives virt-install's index-less EHCI and its UHCI companions one index", () => {
    expect(usbIndexes(ehci + uhci(1, 0) + uhci(2, 2) + uhci(3, 4) + `<controller type='usb' model='nec-xhci'/>`)).toEqual([
      'ich9-ehci1:0',
      'ich9-uhci1:0',
      'ich9-uhci2:0',
      'ich9-uhci3:0',
      'nec-xhci:1',
    ]);
  });

  it('starts a new group after a controller that is not USB2', () => {
    expect(usbIndexes(`<controller type='usb' model='nec-xhci'/>` + ehci + uhci(1, 0))).toEqual([
      'nec-xhci:0',
      'ich9-ehci1:1',
      'ich9-uhci1:1',
    ]);
  });

  it('joins an explicitly indexed group, and the lowest unused index otherwise', () => {
    expect(
      usbIndexes(`<controller type='usb' index='3' model='ich9-ehci1'/>` + uhci(1, 0) + `<controller type='usb' model='nec-xhci'/>`),
    ).toEqual(['ich9-ehci1:3', 'ich9-uhci1:3', 'nec-xhci:0']);
  });

  it('opens a new index when the group already has a controller of the same model', () => {
    expect(usbIndexes(ehci + uhci(1, 0, ` index='0'`) + ehci + uhci(1, 0))).toEqual([
      'ich9-ehci1:1',
      'ich9-uhci1:0',
      'ich9-ehci1:0',
      'ich9-uhci1:2',
    ]);
  });
});
