/**
 * Persistent domain files: `<configDir>/<name>.xml` written atomically, and autostart as a
 * symlink `<autostartDir>/<name>.xml` pointing at it (libvirt's layout).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDomainXml, type DomainDef } from '@virtkit/xml';
import { writeFileAtomic } from '../fsutil';
import type { QemuPaths } from '../paths';

export function configFile(paths: QemuPaths, name: string): string {
  return path.join(paths.configDir, `${name}.xml`);
}

export function autostartLink(paths: QemuPaths, name: string): string {
  return path.join(paths.autostartDir, `${name}.xml`);
}

/** The header libvirt puts on the files it owns, telling people to use the API instead. */
function header(name: string): string {
  return `<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\nOVERWRITTEN AND LOST. Changes to this xml configuration should be made using:\n  virsh edit ${name}\nor other application using the virtkit API.\n-->\n\n`;
}

export async function saveConfig(paths: QemuPaths, def: DomainDef): Promise<void> {
  await fs.promises.mkdir(paths.configDir, { recursive: true, mode: 0o755 });
  await writeFileAtomic(configFile(paths, def.name), header(def.name) + formatDomainXml(def, { inactive: true, secure: true }), 0o600);
}

export async function deleteConfig(paths: QemuPaths, name: string): Promise<void> {
  await fs.promises.rm(configFile(paths, name), { force: true });
  await fs.promises.rm(autostartLink(paths, name), { force: true });
}

/** Every `<name>.xml` in the config dir, as text. */
export async function readConfigs(paths: QemuPaths): Promise<Array<{ file: string; xml: string }>> {
  let names: string[];
  try {
    names = await fs.promises.readdir(paths.configDir);
  } catch {
    return [];
  }
  const out: Array<{ file: string; xml: string }> = [];
  for (const n of names.sort()) {
    if (!n.endsWith('.xml') || n.startsWith('.')) continue;
    const file = path.join(paths.configDir, n);
    try {
      if (!(await fs.promises.stat(file)).isFile()) continue;
      out.push({ file, xml: await fs.promises.readFile(file, 'utf8') });
    } catch {
      /* vanished meanwhile */
    }
  }
  return out;
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
