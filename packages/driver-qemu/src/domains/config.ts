/**
 * Persistent domain files: `<configDir>/<name>.xml` written atomically, and autostart as a
 * symlink `<autostartDir>/<name>.xml` pointing at it (libvirt's layout; names a file name cannot
 * carry as they are are escaped, see state/file-names.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDomainXml, type DomainDef } from '@virtkit/xml';
import { writeFileAtomic } from '../fsutil';
import type { QemuPaths } from '../paths';
import { fileNameFor } from '../state/file-names';
import { loadStateDir, type LoadReport, type StateFile } from '../state/state-dir';
import { parseStored } from './parse';

export function configFile(paths: QemuPaths, name: string): string {
  return path.join(paths.configDir, fileNameFor(name, '.xml'));
}

export function autostartLink(paths: QemuPaths, name: string): string {
  return path.join(paths.autostartDir, fileNameFor(name, '.xml'));
}

/** Characters that make a name unsafe in a shell command line or an XML comment (virXMLPickShellSafeComment). */
const SHELL_UNSAFE = /[\r\t\n !"#$&'()*;<>?[\\\]^`{|}~]|--/;

/**
 * The header libvirt puts on the files it owns, telling people to use the API instead. As
 * libvirt, it names the domain only when the name is safe to paste into a shell and to carry in
 * an XML comment (no `--`), else by UUID: the file stays valid XML for any name.
 */
function header(def: DomainDef): string {
  const ref = [def.name, def.uuid].find((s) => !SHELL_UNSAFE.test(s));
  return `<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\nOVERWRITTEN AND LOST. Changes to this xml configuration should be made using:\n  virsh edit${ref ? ` ${ref}` : ''}\nor other application using the virtkit API.\n-->\n\n`;
}

export async function saveConfig(paths: QemuPaths, def: DomainDef): Promise<void> {
  await fs.promises.mkdir(paths.configDir, { recursive: true, mode: 0o755 });
  await writeFileAtomic(configFile(paths, def.name), header(def) + formatDomainXml(def, { inactive: true, secure: true }), 0o600);
}

export async function deleteConfig(paths: QemuPaths, name: string): Promise<void> {
  await fs.promises.rm(configFile(paths, name), { force: true });
  await fs.promises.rm(autostartLink(paths, name), { force: true });
}

/** An autostart link in the unescaped layout (`NAME.xml`, see state-dir.ts) is made again under the escaped name. */
async function moveLegacyAutostartLink(paths: QemuPaths, name: string): Promise<void> {
  const legacy = path.join(paths.autostartDir, `${name}.xml`);
  const link = autostartLink(paths, name);
  if (
    legacy === link ||
    !(await fs.promises.lstat(legacy).then(
      () => true,
      () => false,
    ))
  )
    return;
  await fs.promises.rm(legacy, { force: true });
  await fs.promises.symlink(configFile(paths, name), link).catch(() => undefined);
}

/** Every usable definition in the config dir; the others are in `report`. */
export async function loadConfigs(paths: QemuPaths, report: LoadReport): Promise<Array<StateFile<DomainDef>>> {
  const spec = { suffix: '.xml', parse: (xml: string) => parseStored(xml, false), nameOf: (def: DomainDef) => def.name };
  const loaded = await loadStateDir(paths.configDir, spec, report);
  for (const { value: def } of loaded) await moveLegacyAutostartLink(paths, def.name);
  return loaded;
}

export function getAutostart(paths: QemuPaths, name: string): boolean {
  try {
    fs.lstatSync(autostartLink(paths, name));
    return true;
  } catch {
    return false;
  }
}

export async function setAutostart(paths: QemuPaths, name: string, on: boolean): Promise<void> {
  const link = autostartLink(paths, name);
  if (!on) {
    await fs.promises.rm(link, { force: true });
    return;
  }
  if (getAutostart(paths, name)) return;
  await fs.promises.mkdir(paths.autostartDir, { recursive: true, mode: 0o755 });
  await fs.promises.symlink(configFile(paths, name), link);
}
