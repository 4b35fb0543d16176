/**
 * The domain XML inside QEMU save images: read back, replaced by one of the same ABI (the image
 * is rewritten through a new file, and still restores), refused when the identity changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainSaveRestoreFlags as S, DomainState, ErrorNumber, type Connect, type VirError } from '@virtkit/core';
import { cleanupRoot, domainXml, newRoot, openEmbed, rejection } from './driver-helpers';

const UUID = '6b0c3f7e-2a51-4c34-9d55-0f3d9b1e7a10';

describe('save image XML on the QEMU driver', () => {
  let root: string;
  let conn: Connect;
  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
  });
  afterAll(async () => {
    await cleanupRoot(root, conn);
  });

  it('reads and replaces the XML of a saved image, which then restores with it', async () => {
    const dom = await conn.defineXML(domainXml('img', { uuid: UUID }));
    await dom.create();
    const file = path.join(root, 'img.save');
    await dom.save(file);
    const saved = await conn.saveImageGetXMLDesc(file, 0);
    expect(saved).toContain('<name>img</name>');
    expect(saved).toContain(`<uuid>${UUID}</uuid>`);

    const renamed = (await rejection(
      conn.saveImageDefineXML(file, saved.replace('<name>img</name>', '<name>other</name>'), 0),
    )) as VirError;
    expect([renamed.code, renamed.message]).toEqual([
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      "unsupported configuration: Target domain name 'other' does not match source 'img'",
    ]);
    const otherUuid = saved.replace(UUID, '6b0c3f7e-2a51-4c34-9d55-0f3d9b1e7a11');
    const reUuid = (await rejection(conn.saveImageDefineXML(file, otherUuid, 0))) as VirError;
    expect(reUuid.message).toBe(
      'unsupported configuration: Target domain uuid 6b0c3f7e-2a51-4c34-9d55-0f3d9b1e7a11 does not match source 6b0c3f7e-2a51-4c34-9d55-0f3d9b1e7a10',
    );

    const before = fs.statSync(file);
    const described = saved.replace('<name>img</name>', '<name>img</name>\n  <description>edited in the image</description>');
    await conn.saveImageDefineXML(file, described, S.VIR_DOMAIN_SAVE_PAUSED);
    // Rewritten through a new file renamed over the old one, QEMU's stream carried over.
    expect(fs.statSync(file).ino).not.toBe(before.ino);
    expect(await conn.saveImageGetXMLDesc(file, 0)).toContain('<description>edited in the image</description>');
    await conn.restore(file);
    expect((await dom.getState()).state).toBe(DomainState.VIR_DOMAIN_PAUSED);
    expect(await dom.getXMLDesc()).toContain('<description>edited in the image</description>');
    await dom.destroy();
    await dom.undefine();
  });

  it('reads and redefines the managed save image, and says when there is none', async () => {
    const dom = await conn.defineXML(domainXml('msave'));
    const none = (await rejection(dom.managedSaveGetXMLDesc(0))) as VirError;
    expect([none.code, none.message]).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_INVALID,
      'Requested operation is not valid: domain does not have managed save image',
    ]);
    await dom.create();
    await dom.managedSave(0);
    const xml = await dom.managedSaveGetXMLDesc(0);
    expect(xml).toContain('<name>msave</name>');
    const bigger = (await rejection(
      dom.managedSaveDefineXML(xml.replace(/<memory unit='KiB'>\d+</, "<memory unit='KiB'>131072<"), 0),
    )) as VirError;
    expect(bigger.message).toBe('unsupported configuration: Target domain max memory 131072 does not match source 65536');
    await dom.managedSaveDefineXML(null, S.VIR_DOMAIN_SAVE_PAUSED);
    await dom.create();
    expect((await dom.getState()).state).toBe(DomainState.VIR_DOMAIN_PAUSED);
    await dom.destroy();
    await dom.undefine();
  });
});
