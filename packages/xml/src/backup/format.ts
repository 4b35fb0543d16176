/** DomainBackupDef → `<domainbackup>` (virDomainBackupDefFormat). */
import { XmlWriter, type Attrs } from '../writer';
import { formatDiskSourceElement, netHostAttrs } from '../storage-source';
import type { BackupDiskDef, BackupFormatOptions, DomainBackupDef } from './types';

export function formatBackupDisk(w: XmlWriter, disk: BackupDiskDef, push: boolean, internal: boolean): void {
  const attrs: Array<[string, string | number | undefined]> = [
    ['name', disk.name],
    ['backup', disk.backup],
    ['state', internal ? disk.state : undefined],
  ];
  const store = disk.store;
  if (disk.backup === 'yes' && store) {
    attrs.push(['type', store.type], ['backupmode', disk.backupmode], ['incremental', disk.incremental]);
    attrs.push(['exportname', disk.exportname], ['exportbitmap', disk.exportbitmap]);
    if (store.id) attrs.push(['index', store.id]);
  }
  w.element('disk', attrs, (c) => {
    if (disk.backup !== 'yes' || !store) return;
    if (store.format) c.empty('driver', [['type', store.format]]);
    formatDiskSourceElement(c, push ? 'target' : 'scratch', store);
  });
}

export function writeBackup(w: XmlWriter, def: DomainBackupDef, opts: BackupFormatOptions = {}): void {
  const internal = !!opts.internal;
  w.element('domainbackup', [['mode', def.type]], (c) => {
    c.leaf('incremental', def.incremental);
    if (def.server) {
      const [name, port, , socket] = netHostAttrs(def.server);
      const attrs: Attrs = [['transport', def.server.transport], ['tls', def.tls], name, port, socket];
      c.empty('server', attrs);
    }
    c.element('disks', [], (d) => def.disks.forEach((disk) => formatBackupDisk(d, disk, def.type === 'push', internal)), true);
    if (internal) {
      c.element(
        'privateData',
        [],
        (p) =>
          p.element(
            'objects',
            [],
            (o) => {
              if (def.tlsSecretAlias !== undefined)
                o.empty('secret', [
                  ['type', 'tlskey'],
                  ['alias', def.tlsSecretAlias],
                ]);
              if (def.tlsAlias !== undefined) o.empty('TLSx509', [['alias', def.tlsAlias]]);
            },
            true,
          ),
        true,
      );
    }
  });
}

export function formatBackupXml(def: DomainBackupDef, opts: BackupFormatOptions = {}): string {
  const w = new XmlWriter();
  writeBackup(w, def, opts);
  return w.toString();
}
