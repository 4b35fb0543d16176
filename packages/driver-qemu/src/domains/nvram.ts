/**
 * The NVRAM varstore of a UEFI domain (libvirt's qemuPrepareNVRAM): before QEMU starts, a local
 * varstore that does not exist yet is made as a copy of its template, readable only by its owner.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { DomainDef } from '@virtkit/xml';
import { systemError } from '../storage/errors';

/** The local file of `<nvram>` (its text or `<source file/dev>`); undefined when network-backed. */
function localVarstore(def: DomainDef): string | undefined {
  const nv = def.os.el.element('nvram');
  if (!nv || nv.attr('type') === 'network') return undefined;
  return nv.text().trim() || nv.element('source')?.attr(nv.attr('type') === 'block' ? 'dev' : 'file') || undefined;
}

/** Copy the template to the varstore when the varstore is missing (or `reset`). */
export function prepareNvram(def: DomainDef, reset = false): void {
  const loader = def.os.el.element('loader');
  const file = localVarstore(def);
  if (!loader || !file || (fs.existsSync(file) && !reset)) return;
  const template = def.os.el.element('nvram')?.attr('template');
  if (!template) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_OPERATION_FAILED,
      ErrorDomain.VIR_FROM_QEMU,
      `unable to find any master var store for loader: ${loader.text().trim()}`,
    );
  }
  let data: Buffer;
  try {
    data = fs.readFileSync(template);
  } catch (e) {
    throw systemError(e, `Failed to open file '${template}'`, ErrorDomain.VIR_FROM_QEMU);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.new`;
  fs.writeFileSync(tmp, data, { mode: 0o600 });
  fs.renameSync(tmp, file);
}
