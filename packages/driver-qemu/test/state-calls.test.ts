/**
 * virDomainInjectNMI and the metadata calls on qemu:///embed with real QEMU: the NMI reaches
 * QEMU (an inactive domain is refused), the title, description and a namespaced element are
 * set live and in the persistent definition per flags, read back as libvirt gives them, and
 * METADATA_CHANGE is sent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DomainEventID,
  DomainMetadataType as M,
  DomainModificationImpact as I,
  DomainXMLFlags,
  ErrorNumber,
  type Connect,
  type DomainEvent,
  type VirError,
} from '@virtkit/core';
import { describeIf } from '@virtkit/testkit';
import { cleanupRoot, newRoot, openEmbed, rejection, until } from './driver-helpers';

const code = async (p: Promise<unknown>) => {
  const e = (await rejection(p)) as VirError;
  return [e.code, e.message];
};

describeIf('qemu')('NMI and metadata on qemu:///embed', () => {
  let root: string;
  let conn: Connect;

  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
  }, 60_000);

  afterAll(async () => {
    await cleanupRoot(root, conn);
  }, 60_000);

  it('injects an NMI into a running domain and refuses an inactive one', async () => {
    const dom = await conn.defineXML(
      `<domain type='qemu'><name>nmi</name><memory unit='MiB'>64</memory><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>`,
    );
    expect(await code(dom.injectNMI(0))).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_INVALID,
      'Requested operation is not valid: domain is not running',
    ]);
    await dom.create();
    await dom.injectNMI(0);
    await dom.destroy();
  }, 60_000);

  it('sets and reads the title, the description and a namespaced element, live and persistent', async () => {
    const dom = await conn.lookupByName('nmi');
    await dom.create();
    const changes: Array<[number, unknown]> = [];
    await conn.domainEventRegisterAny(dom, DomainEventID.VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, (_c, _d, ev: DomainEvent) =>
      changes.push([ev.type as number, ev.nsuri]),
    );
    await dom.setMetadata(M.VIR_DOMAIN_METADATA_TITLE, 'A title', null, null, I.VIR_DOMAIN_AFFECT_LIVE | I.VIR_DOMAIN_AFFECT_CONFIG);
    await dom.setMetadata(M.VIR_DOMAIN_METADATA_DESCRIPTION, 'Live only', null, null, 0);
    await dom.setMetadata(
      M.VIR_DOMAIN_METADATA_ELEMENT,
      '<app x="1"><v>2</v></app>',
      'ex',
      'http://example.org/',
      I.VIR_DOMAIN_AFFECT_CONFIG,
    );
    expect(await dom.getMetadata(M.VIR_DOMAIN_METADATA_TITLE, null, 0)).toBe('A title');
    expect(await dom.getMetadata(M.VIR_DOMAIN_METADATA_DESCRIPTION, null, 0)).toBe('Live only');
    expect(await dom.getMetadata(M.VIR_DOMAIN_METADATA_ELEMENT, 'http://example.org/', I.VIR_DOMAIN_AFFECT_CONFIG)).toBe(
      '<app x="1">\n  <v>2</v>\n</app>',
    );
    expect(await code(dom.getMetadata(M.VIR_DOMAIN_METADATA_ELEMENT, 'http://example.org/', 0))).toEqual([
      ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA,
      'metadata not found: Requested metadata element is not present',
    ]);
    expect(await code(dom.setMetadata(M.VIR_DOMAIN_METADATA_TITLE, 'a\nb', null, null, 0))).toEqual([
      ErrorNumber.VIR_ERR_INVALID_ARG,
      "metadata title can't contain newlines",
    ]);
    const config = fs.readFileSync(path.join(root, 'etc', 'nmi.xml'), 'utf8');
    expect(config).toContain('<title>A title</title>');
    expect(config).not.toContain('Live only');
    expect(config).toContain('<ex:app xmlns:ex="http://example.org/" x="1">\n      <ex:v>2</ex:v>\n    </ex:app>');
    expect(await dom.getXMLDesc(0)).toContain('<description>Live only</description>');
    expect(await dom.getXMLDesc(DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE)).not.toContain('<description>');
    await dom.setMetadata(M.VIR_DOMAIN_METADATA_ELEMENT, null, null, 'http://example.org/', I.VIR_DOMAIN_AFFECT_CONFIG);
    expect(fs.readFileSync(path.join(root, 'etc', 'nmi.xml'), 'utf8')).not.toContain('<metadata>');
    await until(() => changes.length === 4);
    expect(changes).toEqual([
      [M.VIR_DOMAIN_METADATA_TITLE, null],
      [M.VIR_DOMAIN_METADATA_DESCRIPTION, null],
      [M.VIR_DOMAIN_METADATA_ELEMENT, 'http://example.org/'],
      [M.VIR_DOMAIN_METADATA_ELEMENT, 'http://example.org/'],
    ]);
    await dom.destroy();
  }, 60_000);
});
