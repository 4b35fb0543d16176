/** Device hotplug: attaching, detaching and updating devices of a domain, and resizing its disks. */
import type { CallDef } from './dsl';

/** virDomainDeviceModifyFlags: where an attach, detach or update applies. */
export enum DomainDeviceModifyFlags {
  /** the running domain if it runs, else its persistent definition */
  VIR_DOMAIN_DEVICE_MODIFY_CURRENT = 0,
  /** the running domain */
  VIR_DOMAIN_DEVICE_MODIFY_LIVE = 1 << 0,
  /** the persistent definition */
  VIR_DOMAIN_DEVICE_MODIFY_CONFIG = 1 << 1,
  /** force the change (e.g. eject a locked CD-ROM) */
  VIR_DOMAIN_DEVICE_MODIFY_FORCE = 1 << 2,
}

/** virDomainBlockResizeFlags: flags of virDomainBlockResize. */
export enum DomainBlockResizeFlags {
  /** the size is in bytes, not KiB */
  VIR_DOMAIN_BLOCK_RESIZE_BYTES = 1 << 0,
}

export const domainAttachDevice: CallDef = {
  c: 'virDomainAttachDevice',
  object: 'Domain',
  name: 'attachDevice',
  doc: 'Attach a device, described by its XML, to the running domain.',
  params: [{ name: 'xml', type: 'xml', doc: 'the device XML' }],
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 8,
    procName: 'REMOTE_PROC_DOMAIN_ATTACH_DEVICE',
    args: [
      ['dom', 'Dom'],
      ['xml', 'string'],
    ],
    ret: [],
  },
  python: 'attachDevice',
};

export const domainAttachDeviceFlags: CallDef = {
  c: 'virDomainAttachDeviceFlags',
  object: 'Domain',
  name: 'attachDeviceFlags',
  doc: 'Attach a device to the running domain, its persistent definition, or both.',
  params: [{ name: 'xml', type: 'xml', doc: 'the device XML' }],
  flags: 'DomainDeviceModifyFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save:VIR_DOMAIN_DEVICE_MODIFY_CONFIG'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 160,
    procName: 'REMOTE_PROC_DOMAIN_ATTACH_DEVICE_FLAGS',
    args: [
      ['dom', 'Dom'],
      ['xml', 'string'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'attachDeviceFlags',
};

export const domainDetachDevice: CallDef = {
  c: 'virDomainDetachDevice',
  object: 'Domain',
  name: 'detachDevice',
  doc: 'Detach the device the XML describes from the running domain.',
  params: [{ name: 'xml', type: 'xml', doc: 'the device XML' }],
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 13,
    procName: 'REMOTE_PROC_DOMAIN_DETACH_DEVICE',
    args: [
      ['dom', 'Dom'],
      ['xml', 'string'],
    ],
    ret: [],
  },
  python: 'detachDevice',
};

export const domainDetachDeviceFlags: CallDef = {
  c: 'virDomainDetachDeviceFlags',
  object: 'Domain',
  name: 'detachDeviceFlags',
  doc: 'Detach the device the XML describes from the running domain, its persistent definition, or both.',
  params: [{ name: 'xml', type: 'xml', doc: 'the device XML' }],
  flags: 'DomainDeviceModifyFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save:VIR_DOMAIN_DEVICE_MODIFY_CONFIG'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 161,
    procName: 'REMOTE_PROC_DOMAIN_DETACH_DEVICE_FLAGS',
    args: [
      ['dom', 'Dom'],
      ['xml', 'string'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'detachDeviceFlags',
};

export const domainDetachDeviceAlias: CallDef = {
  c: 'virDomainDetachDeviceAlias',
  object: 'Domain',
  name: 'detachDeviceAlias',
  doc: 'Start detaching the device with this alias; the DEVICE_REMOVED event tells when it is gone.',
  params: [{ name: 'alias', type: 'string', doc: 'the device alias (e.g. "virtio-disk1" or "ua-disk")' }],
  flags: 'DomainDeviceModifyFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save:VIR_DOMAIN_DEVICE_MODIFY_CONFIG'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 392,
    procName: 'REMOTE_PROC_DOMAIN_DETACH_DEVICE_ALIAS',
    args: [
      ['dom', 'Dom'],
      ['alias', 'string'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'detachDeviceAlias',
};

export const domainUpdateDeviceFlags: CallDef = {
  c: 'virDomainUpdateDeviceFlags',
  object: 'Domain',
  name: 'updateDeviceFlags',
  doc: 'Change a device in place (CD-ROM media, memballoon period, ...) in the running domain, its persistent definition, or both.',
  params: [{ name: 'xml', type: 'xml', doc: 'the device XML with the new settings' }],
  flags: 'DomainDeviceModifyFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:save:VIR_DOMAIN_DEVICE_MODIFY_CONFIG'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 174,
    procName: 'REMOTE_PROC_DOMAIN_UPDATE_DEVICE_FLAGS',
    args: [
      ['dom', 'Dom'],
      ['xml', 'string'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'updateDeviceFlags',
};

export const domainBlockResize: CallDef = {
  c: 'virDomainBlockResize',
  object: 'Domain',
  name: 'blockResize',
  doc: 'Grow the disk image under a disk of the running domain to a new size.',
  params: [
    { name: 'disk', type: 'string', doc: 'disk target (e.g. "vda") or source path' },
    { name: 'size', type: 'ulong', doc: 'the new size, in KiB (bytes with VIR_DOMAIN_BLOCK_RESIZE_BYTES)' },
  ],
  flags: 'DomainBlockResizeFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:block_write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 251,
    procName: 'REMOTE_PROC_DOMAIN_BLOCK_RESIZE',
    args: [
      ['dom', 'Dom'],
      ['disk', 'string'],
      ['size', 'uhyper'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'blockResize',
};
