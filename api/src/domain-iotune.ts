/**
 * Disk I/O throttling of a domain (libvirt's virDomainGet/SetBlockIoTune): the limits of one disk
 * as typed parameters named after its `<iotune>` elements.
 */
import type { CallDef } from './dsl';

export const domainGetBlockIoTune: CallDef = {
  c: 'virDomainGetBlockIoTune',
  object: 'Domain',
  name: 'getBlockIoTune',
  doc: 'The I/O limits of one disk of the domain (total_bytes_sec, ..., group_name), live or as configured.',
  params: [{ name: 'disk', type: 'string?', doc: 'disk target (e.g. "vda") or source path; null only to count the parameters' }],
  flags: 'DomainModificationImpact',
  returns: 'TypedParams',
  since: '0.2.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 253,
    procName: 'REMOTE_PROC_DOMAIN_GET_BLOCK_IO_TUNE',
    args: [
      ['dom', 'Dom'],
      ['disk', 'string?'],
      ['nparams', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['params', 'TP<32>'],
      ['nparams', 'int'],
    ],
  },
  python: 'blockIoTune',
};

export const domainSetBlockIoTune: CallDef = {
  c: 'virDomainSetBlockIoTune',
  object: 'Domain',
  name: 'setBlockIoTune',
  doc: 'Change the I/O limits of one disk of the domain, live and/or in its persistent definition.',
  params: [
    { name: 'disk', type: 'string', doc: 'disk target (e.g. "vda") or source path' },
    { name: 'params', type: 'TypedParams', doc: 'the limits to change' },
  ],
  flags: 'DomainModificationImpact',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 252,
    procName: 'REMOTE_PROC_DOMAIN_SET_BLOCK_IO_TUNE',
    args: [
      ['dom', 'Dom'],
      ['disk', 'string'],
      ['params', 'TP<32>'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'setBlockIoTune',
};
