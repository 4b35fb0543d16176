/**
 * The domain XML inside QEMU save images (qemuDomainSaveImageGetXMLDesc/DefineXML and
 * qemuDomainManagedSaveGetXMLDesc/DefineXML): read it, or replace it with a definition of the
 * same ABI, optionally flipping whether the domain runs once restored.
 */
import * as fs from 'node:fs';
import { DomainSaveImageXMLFlags, DomainSaveRestoreFlags as S, VirError, type DomainRef, type DriverConnection } from '@virtkit/core';
import { checkAbiStability, formatDomainXml } from '@virtkit/xml';
import type { QemuConnectionExtension } from '../connection-extensions';
import { checkFlags, FROM_QEMU } from '../domains/errors';
import { parseForQemu } from '../domains/parse';
import type { QemuDriver } from '../qemu-driver';
import { checkRunningPaused } from './extension';
import { readImageHead, rewriteImageHead } from './image';
import { managedSavePath } from './managed';

const SECURE = DomainSaveImageXMLFlags.VIR_DOMAIN_SAVE_IMAGE_XML_SECURE;

async function imageXml(driver: QemuDriver, file: string, flags: number): Promise<string> {
  const def = parseForQemu(readImageHead(file).xml, await driver.caps());
  return formatDomainXml(def, { inactive: true, secure: (flags & SECURE) !== 0 });
}

/** qemuSaveImageUpdateDef and the rewrite: `dxml` null keeps the XML and changes only the saved state. */
async function defineImageXml(driver: QemuDriver, file: string, dxml: string | null, flags: number): Promise<void> {
  checkRunningPaused(flags);
  const image = readImageHead(file);
  const wasRunning = flags & S.VIR_DOMAIN_SAVE_RUNNING ? true : flags & S.VIR_DOMAIN_SAVE_PAUSED ? false : image.wasRunning;
  let xml = image.xml;
  if (dxml !== null && dxml !== image.xml) {
    const caps = await driver.caps();
    const def = parseForQemu(dxml, caps);
    checkAbiStability(parseForQemu(image.xml, caps), def);
    xml = formatDomainXml(def, { inactive: true, secure: true });
  }
  if (xml === image.xml && wasRunning === image.wasRunning) return;
  await rewriteImageHead(file, xml, wasRunning);
}

function managedImage(driver: QemuDriver, ref: DomainRef): string {
  const file = managedSavePath(driver, driver.domains.get(ref).name);
  if (!fs.existsSync(file)) throw VirError.operationInvalid('domain does not have managed save image', FROM_QEMU);
  return file;
}

type ImageXmlMethods = Pick<
  Required<DriverConnection>,
  'domainSaveImageGetXMLDesc' | 'domainSaveImageDefineXML' | 'domainManagedSaveGetXMLDesc' | 'domainManagedSaveDefineXML'
>;

export const imageXmlMethods: QemuConnectionExtension = (driver): ImageXmlMethods => ({
  domainSaveImageGetXMLDesc: (file, flags) => {
    checkFlags(flags, SECURE, 'qemuDomainSaveImageGetXMLDesc');
    return imageXml(driver, file, flags);
  },
  domainSaveImageDefineXML: (file, dxml, flags) => {
    checkFlags(flags, S.VIR_DOMAIN_SAVE_RUNNING | S.VIR_DOMAIN_SAVE_PAUSED, 'qemuDomainSaveImageDefineXML');
    return defineImageXml(driver, file, dxml, flags);
  },
  domainManagedSaveGetXMLDesc: async (dom, flags) => {
    checkFlags(flags, SECURE, 'qemuDomainManagedSaveGetXMLDesc');
    return imageXml(driver, managedImage(driver, dom), flags);
  },
  domainManagedSaveDefineXML: async (dom, dxml, flags) => {
    checkFlags(flags, S.VIR_DOMAIN_SAVE_RUNNING | S.VIR_DOMAIN_SAVE_PAUSED, 'qemuDomainManagedSaveDefineXML');
    const obj = driver.domains.get(dom);
    await driver.withJob(obj, 'modify', 'virDomainManagedSaveDefineXML', () =>
      defineImageXml(driver, managedImage(driver, dom), dxml, flags),
    );
  },
});
