/**
 * libvirt 9.0's round: a private libvirtd (bench/qemu-compare/libvirtd.ts) driven through
 * python3-libvirt (libvirt_round.py), the same calls and the same timing as ours.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTimed } from '../qemu-compare/measure';
import { domainXml } from './disk';
import type { BackupRound } from './result';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'libvirt_round.py');

export async function libvirtRound(uri: string, name: string, disk: string, targetDir: string): Promise<BackupRound> {
  const xmlFile = path.join(targetDir, `${name}.xml`);
  fs.writeFileSync(xmlFile, domainXml(name, disk));
  const { stdout } = await runTimed([PYTHON, SCRIPT, uri, xmlFile, targetDir]);
  return JSON.parse(stdout) as BackupRound;
}

/** Whether python3-libvirt is importable by the system python. */
export async function pythonLibvirtMissing(): Promise<string | undefined> {
  try {
    await runTimed([PYTHON, '-c', 'import libvirt, libvirt_qemu']);
    return undefined;
  } catch {
    return `${PYTHON} cannot import libvirt (python3-libvirt)`;
  }
}
