/** Core dumps of a domain's memory (libvirt's virDomainCoreDump and virDomainCoreDumpWithFormat). */
import type { CallDef } from './dsl';

/** virDomainCoreDumpFlags: how the domain fares during and after the dump. */
export enum DomainCoreDumpFlags {
  /** the domain is stopped (crashed) after the dump */
  VIR_DUMP_CRASH = 1 << 0,
  /** the domain keeps running during the dump */
  VIR_DUMP_LIVE = 1 << 1,
  /** avoid the file system cache */
  VIR_DUMP_BYPASS_CACHE = 1 << 2,
  /** the domain is reset after the dump */
  VIR_DUMP_RESET = 1 << 3,
  /** dump the guest memory only (QEMU's dump-guest-memory), not the whole QEMU state */
  VIR_DUMP_MEMORY_ONLY = 1 << 4,
}

/** virDomainCoreDumpFormat: the file format of a memory-only dump. */
export enum DomainCoreDumpFormat {
  /** an ELF core */
  VIR_DOMAIN_CORE_DUMP_FORMAT_RAW = 0,
  /** kdump-compressed with zlib */
  VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB = 1,
  /** kdump-compressed with lzo */
  VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_LZO = 2,
  /** kdump-compressed with snappy */
  VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_SNAPPY = 3,
  /** a Windows crash dump */
  VIR_DOMAIN_CORE_DUMP_FORMAT_WIN_DMP = 4,
}

export const domainCoreDump: CallDef = {
  c: 'virDomainCoreDump',
  object: 'Domain',
  name: 'coreDump',
  doc: 'Dump the memory of the running domain to a file, for analysis.',
  params: [{ name: 'to', type: 'string', doc: 'the file to write' }],
  flags: 'DomainCoreDumpFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:core_dump'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 53,
    procName: 'REMOTE_PROC_DOMAIN_CORE_DUMP',
    args: [
      ['dom', 'Dom'],
      ['to', 'string'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'coreDump',
};

export const domainCoreDumpWithFormat: CallDef = {
  c: 'virDomainCoreDumpWithFormat',
  object: 'Domain',
  name: 'coreDumpWithFormat',
  doc: 'Dump the memory of the running domain to a file in a DomainCoreDumpFormat.',
  params: [
    { name: 'to', type: 'string', doc: 'the file to write' },
    { name: 'dumpformat', type: 'uint', doc: 'a DomainCoreDumpFormat value' },
  ],
  flags: 'DomainCoreDumpFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:core_dump'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 334,
    procName: 'REMOTE_PROC_DOMAIN_CORE_DUMP_WITH_FORMAT',
    args: [
      ['dom', 'Dom'],
      ['to', 'string'],
      ['dumpformat', 'uint'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'coreDumpWithFormat',
};
