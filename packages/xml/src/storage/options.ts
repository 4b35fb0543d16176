/** Per pool type: which source parts it has and which pool / volume format names apply. */
import { FILE_FORMATS } from '../storage-source';
import type { PoolType } from './types';

export const SOURCE_HOST = 1 << 0;
export const SOURCE_DEVICE = 1 << 1;
export const SOURCE_DIR = 1 << 2;
export const SOURCE_ADAPTER = 1 << 3;
export const SOURCE_NAME = 1 << 4;
export const SOURCE_INITIATOR_IQN = 1 << 5;
export const SOURCE_NETWORK = 1 << 6;

const FS_FORMATS = ['auto', 'ext2', 'ext3', 'ext4', 'ufs', 'iso9660', 'udf', 'gfs', 'gfs2', 'vfat', 'hfs+', 'xfs', 'ocfs2', 'vmfs'];
const NETFS_FORMATS = ['auto', 'nfs', 'glusterfs', 'cifs'];
const DISK_FORMATS = ['unknown', 'dos', 'dvh', 'gpt', 'mac', 'bsd', 'pc98', 'sun', 'lvm2'];
const LOGICAL_FORMATS = ['unknown', 'lvm2'];
const VOL_DISK_FORMATS = ['none', 'linux', 'fat16', 'fat32', 'linux-swap', 'linux-lvm', 'linux-raid', 'extended'];

export interface FormatTable {
  names: readonly string[];
  defaultFormat: string;
  /** Index 0 is refused when parsing (volume file formats refuse `none`). */
  refuseFirst?: boolean;
}

export interface PoolTypeInfo {
  flags: number;
  poolFormats?: FormatTable;
  volFormats?: FormatTable;
}

const FILE_VOL: FormatTable = { names: FILE_FORMATS, defaultFormat: 'raw', refuseFirst: true };

const INFO: Record<PoolType, PoolTypeInfo> = {
  logical: { flags: SOURCE_NAME | SOURCE_DEVICE, poolFormats: { names: LOGICAL_FORMATS, defaultFormat: 'lvm2' } },
  dir: { flags: 0, volFormats: FILE_VOL },
  fs: { flags: SOURCE_DEVICE, poolFormats: { names: FS_FORMATS, defaultFormat: 'auto' }, volFormats: FILE_VOL },
  netfs: { flags: SOURCE_HOST | SOURCE_DIR, poolFormats: { names: NETFS_FORMATS, defaultFormat: 'auto' }, volFormats: FILE_VOL },
  iscsi: { flags: SOURCE_HOST | SOURCE_DEVICE | SOURCE_INITIATOR_IQN },
  'iscsi-direct': { flags: SOURCE_HOST | SOURCE_DEVICE | SOURCE_NETWORK | SOURCE_INITIATOR_IQN },
  scsi: { flags: SOURCE_ADAPTER },
  rbd: { flags: SOURCE_HOST | SOURCE_NETWORK | SOURCE_NAME, volFormats: FILE_VOL },
  sheepdog: { flags: SOURCE_HOST | SOURCE_NETWORK | SOURCE_NAME },
  gluster: { flags: SOURCE_HOST | SOURCE_NETWORK | SOURCE_NAME | SOURCE_DIR, volFormats: FILE_VOL },
  mpath: { flags: 0 },
  disk: {
    flags: SOURCE_DEVICE,
    poolFormats: { names: DISK_FORMATS, defaultFormat: 'unknown' },
    volFormats: { names: VOL_DISK_FORMATS, defaultFormat: 'none' },
  },
  zfs: { flags: SOURCE_NAME | SOURCE_DEVICE },
  vstorage: { flags: SOURCE_NAME, volFormats: FILE_VOL },
};

export function poolTypeInfo(type: PoolType): PoolTypeInfo {
  return INFO[type];
}

/** A format name's validity for a table (`formatFromString` >= 0). */
export function formatAccepted(table: FormatTable, name: string): boolean {
  const i = table.names.indexOf(name);
  return i > 0 || (i === 0 && !table.refuseFirst);
}
