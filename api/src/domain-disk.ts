/**
 * A running domain's disks as the host watches them: the write threshold of an image (libvirt's
 * virDomainSetBlockThreshold, answered later by the BLOCK_THRESHOLD event) and the I/O errors
 * QEMU recorded per disk (virDomainGetDiskErrors).
 */
import type { CallDef, StructDef, WireStructDef } from './dsl';

/** virDomainDiskErrorCode: the error a disk is in. */
export enum DomainDiskErrorCode {
  /** no error */
  VIR_DOMAIN_DISK_ERROR_NONE = 0,
  /** unspecified I/O error */
  VIR_DOMAIN_DISK_ERROR_UNSPEC = 1,
  /** no space left on the device */
  VIR_DOMAIN_DISK_ERROR_NO_SPACE = 2,
}

/** virDomainDiskError. */
export const DomainDiskError: StructDef = {
  name: 'DomainDiskError',
  c: 'virDomainDiskError',
  doc: 'A disk that hit an I/O error, and which error.',
  fields: [
    { name: 'disk', type: 'string', doc: 'the disk target (e.g. vda)' },
    { name: 'error', type: 'int', doc: 'a DomainDiskErrorCode value' },
  ],
};

/** remote_domain_disk_error as it travels. */
export const diskErrorWireStructs: WireStructDef[] = [
  {
    name: 'DomainDiskErrorWire',
    fields: [
      ['disk', 'string'],
      ['error', 'int'],
    ],
  },
];

export const domainSetBlockThreshold: CallDef = {
  c: 'virDomainSetBlockThreshold',
  object: 'Domain',
  name: 'setBlockThreshold',
  doc: 'Raise a BLOCK_THRESHOLD event once the guest writes past `threshold` bytes of an image (a disk target, or "vda[N]" for an image of its chain).',
  params: [
    { name: 'dev', type: 'string', doc: 'disk target or "target[index]" of an image in its backing chain' },
    { name: 'threshold', type: 'ulong', doc: 'offset in bytes; 0 removes the threshold' },
  ],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 386,
    procName: 'REMOTE_PROC_DOMAIN_SET_BLOCK_THRESHOLD',
    args: [
      ['dom', 'Dom'],
      ['dev', 'string'],
      ['threshold', 'uhyper'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'setBlockThreshold',
};

export const domainGetDiskErrors: CallDef = {
  c: 'virDomainGetDiskErrors',
  object: 'Domain',
  name: 'getDiskErrors',
  doc: 'The disks of the running domain that hit an I/O error, each with its error.',
  params: [],
  flags: 'reserved',
  returns: 'DomainDiskError[]',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 263,
    procName: 'REMOTE_PROC_DOMAIN_GET_DISK_ERRORS',
    args: [
      ['dom', 'Dom'],
      ['maxerrors', 'uint'],
      ['flags', 'uint'],
    ],
    ret: [
      ['errors', 'DomainDiskErrorWire<256>'],
      ['nerrors', 'int'],
    ],
  },
  python: null,
};
