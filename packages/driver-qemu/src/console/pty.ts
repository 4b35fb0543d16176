/**
 * The pseudo-terminals QEMU made for `pty` character devices, written into the live definition
 * as libvirt does after a start (qemuProcessRefreshChardevs): `<source path='/dev/pts/N'/>` on
 * each such device (the formatter adds a console's `tty` attribute from it).
 */
import { mkEl, type DomainDef } from '@virtkit/xml';
import type { QmpTransport } from '../qmp/client';

const CHARDEV_KINDS = ['serial', 'parallel', 'console', 'channel'];

interface ChardevInfo {
  label: string;
  filename: string;
}

/** Record the pty paths of `def`'s devices from QEMU's query-chardev; whether any was found. */
export async function recordPtyPaths(qmp: QmpTransport, def: DomainDef): Promise<boolean> {
  const ptys = def.devices.filter((d) => CHARDEV_KINDS.includes(d.kind) && d.el.attr('type') === 'pty');
  if (ptys.length === 0) return false;
  const chardevs = await qmp.execute<ChardevInfo[]>('query-chardev');
  const byLabel = new Map(chardevs.map((c) => [c.label, c.filename]));
  let found = false;
  for (const d of ptys) {
    const alias = d.el.element('alias')?.attr('name');
    const file = alias ? byLabel.get(`char${alias}`) : undefined;
    if (!file?.startsWith('pty:')) continue;
    const path = file.slice('pty:'.length);
    let src = d.el.element('source');
    if (!src) {
      src = mkEl('source', []);
      d.el.children.unshift(src);
    }
    src.attrs.set('path', path);
    found = true;
  }
  return found;
}
