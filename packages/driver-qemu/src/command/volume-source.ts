/**
 * `<disk type='volume'>`: the storage volume a disk names becomes the file, block device,
 * directory or iSCSI LUN QEMU opens (virDomainStorageSourceTranslateSourcePool).
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { mkEl, parseXml, type XmlElement } from '@virtkit/xml';
import type { QemuBuildContext } from './types';

/** The storage a volume stands for, as a disk source of that type. */
export interface TranslatedSource {
  type: string;
  source: XmlElement;
}

const storageError = (code: ErrorNumber, detail: string) => VirError.create(code, ErrorDomain.VIR_FROM_STORAGE, detail);
const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN, detail);

/** Pool types whose volumes are local paths. */
const PATH_POOLS = ['dir', 'fs', 'netfs', 'logical', 'disk', 'scsi', 'zfs', 'vstorage'];
/** Disk source type for each local volume type. */
const VOLUME_TYPES: Record<string, string> = { file: 'file', dir: 'dir', block: 'block', ploop: 'file' };

function localSource(volType: string, path: string, poolType: string): TranslatedSource {
  const type = VOLUME_TYPES[volType];
  if (!type) throw VirError.internal(`unexpected storage volume type '${volType}' for storage pool type '${poolType}'`);
  const attr = type === 'file' ? 'file' : type === 'dir' ? 'dir' : 'dev';
  return { type, source: mkEl('source', [[attr, path]]) };
}

/** virDomainDiskTranslateISCSIDirect: the pool's one host and device, the LUN from the volume name. */
function iscsiSource(pool: XmlElement, volume: string): TranslatedSource {
  const psrc = pool.element('source');
  const hosts = psrc?.elements('host') ?? [];
  if (hosts.length !== 1) throw unsupported('Expected exactly 1 host for the storage pool');
  const parts = volume.split(':');
  if (parts.length !== 4) throw VirError.internal(`unexpected iscsi volume name '${volume}'`);
  const children: XmlElement[] = [
    mkEl('host', [
      ['name', hosts[0].attr('name')],
      ['port', hosts[0].attr('port') ?? '3260'],
    ]),
  ];
  const auth = psrc?.element('auth');
  if (auth) {
    const sec = auth.element('secret');
    const secret = mkEl('secret', [
      ['type', 'iscsi'],
      ['usage', sec?.attr('usage')],
      ['uuid', sec?.attr('uuid')],
    ]);
    children.push(mkEl('auth', [['username', auth.attr('username')]], [secret]));
  }
  const initiator = psrc?.element('initiator');
  if (initiator) children.push(initiator);
  const name = `${psrc?.element('device')?.attr('path') ?? ''}/${parts[3]}`;
  return {
    type: 'network',
    source: mkEl(
      'source',
      [
        ['protocol', 'iscsi'],
        ['name', name],
      ],
      children,
    ),
  };
}

/** Translate a volume source; throws libvirt's errors for a missing, inactive or unusable pool. */
export function translateVolume(ctx: QemuBuildContext, src: XmlElement): TranslatedSource {
  const poolName = src.attr('pool') ?? '';
  const volume = src.attr('volume') ?? '';
  const pool = ctx.lookupPool(poolName);
  if (!pool) throw storageError(ErrorNumber.VIR_ERR_NO_STORAGE_POOL, `no storage pool with matching name '${poolName}'`);
  if (!pool.active) throw unsupported(`storage pool '${poolName}' containing volume '${volume}' is not active`);
  const vol = ctx.lookupVolume(poolName, volume);
  if (!vol) throw storageError(ErrorNumber.VIR_ERR_NO_STORAGE_VOL, `no storage vol with matching name '${volume}'`);
  const def = parseXml(pool.xml);
  const poolType = def.attr('type') ?? '';
  const mode = src.attr('mode');
  if (mode !== undefined && poolType !== 'iscsi') {
    throw VirError.xml('disk source mode is only valid when storage pool is of iscsi type', ErrorDomain.VIR_FROM_DOMAIN);
  }
  if (PATH_POOLS.includes(poolType)) return localSource(vol.type, vol.path, poolType);
  if (poolType === 'iscsi-direct' || (poolType === 'iscsi' && mode === 'direct')) return iscsiSource(def, volume);
  if (poolType === 'iscsi') return { type: 'block', source: mkEl('source', [['dev', vol.path]]) };
  throw unsupported(`using '${poolType}' pools for backing 'volume' disks isn't yet supported`);
}
