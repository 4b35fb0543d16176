/**
 * Options and argument readers shared by several command families, kept apart so that no family
 * imports another's file for them.
 */
import * as fs from 'node:fs';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { CommandFailed, type Ctl } from '../ctl';
import { parseScaledSize } from '../format';
import type { OptDef } from '../types';

/** The `domain` option most commands take first. */
export const DOMAIN_OPT: OptDef = { name: 'domain', type: 'string', required: true, help: 'domain name, id or uuid' };

/** `--json`, vsh's machine-readable output for listing and info commands. */
export const JSON_OPT = { name: 'json', type: 'bool', help: 'print JSON instead of text (vsh addition)' } as const;

/** Read an XML file as virsh's virFileReadAll does, failing with its message. */
export function readXmlFile(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason: Record<string, string> = {
      ENOENT: 'No such file or directory',
      EACCES: 'Permission denied',
      EISDIR: 'Is a directory',
    };
    throw new VirError({
      code: ErrorNumber.VIR_ERR_SYSTEM_ERROR,
      domain: ErrorDomain.VIR_FROM_NONE,
      message: `Failed to open file '${path}': ${reason[err.code ?? ''] ?? err.message}`,
    });
  }
}

/** XML as virsh prints it: libvirt's documents end with one newline. */
export function withNewline(xml: string): string {
  return xml.endsWith('\n') ? xml : `${xml}\n`;
}

/** A size argument in bytes; malformed ones fail as virsh's vshVolSize does. */
export function volSize(ctl: Ctl, text: string): number {
  const n = parseScaledSize(text);
  if (n !== null) return n;
  ctl.error(`Malformed size ${text}`);
  const m = /^\d+(.+)$/.exec(text);
  if (m) ctl.error(`invalid argument: unknown suffix '${m[1]}'`);
  throw new CommandFailed();
}
