/** Saved state: a running domain's memory written to a file and brought back from it. */
import type { CallDef } from './dsl';

/** virDomainSaveRestoreFlags: flags of save, restore and managed save. */
export enum DomainSaveRestoreFlags {
  /** avoid the file system cache */
  VIR_DOMAIN_SAVE_BYPASS_CACHE = 1 << 0,
  /** the domain runs after restore, whatever it did when saved */
  VIR_DOMAIN_SAVE_RUNNING = 1 << 1,
  /** the domain is paused after restore, whatever it did when saved */
  VIR_DOMAIN_SAVE_PAUSED = 1 << 2,
  /** re-initialize the NVRAM from its template */
  VIR_DOMAIN_SAVE_RESET_NVRAM = 1 << 3,
}

export const domainSave: CallDef = {
  c: 'virDomainSave',
  object: 'Domain',
  name: 'save',
  doc: 'Save the memory of the running domain to a file and stop it.',
  params: [{ name: 'to', type: 'string', doc: 'the file to write' }],
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:hibernate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 55,
    procName: 'REMOTE_PROC_DOMAIN_SAVE',
    args: [
      ['dom', 'Dom'],
      ['to', 'string'],
    ],
    ret: [],
  },
  python: 'save',
};

export const domainSaveFlags: CallDef = {
  c: 'virDomainSaveFlags',
  object: 'Domain',
  name: 'saveFlags',
  doc: 'Save the memory of the running domain to a file and stop it, optionally with another XML to restore with.',
  params: [
    { name: 'to', type: 'string', doc: 'the file to write' },
    { name: 'dxml', type: 'string?', doc: 'a domain XML to restore with instead, or null' },
  ],
  flags: 'DomainSaveRestoreFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:hibernate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 232,
    procName: 'REMOTE_PROC_DOMAIN_SAVE_FLAGS',
    args: [
      ['dom', 'Dom'],
      ['to', 'string'],
      ['dxml', 'string?'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'saveFlags',
};

export const domainRestore: CallDef = {
  c: 'virDomainRestore',
  object: 'Connect',
  name: 'restore',
  doc: 'Start a domain from a file written by virDomainSave.',
  params: [{ name: 'from', type: 'string', doc: 'the saved file' }],
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:start'],
  readOnlySafe: false,
  impl: 'driver',
  remote: { program: 'remote', proc: 54, procName: 'REMOTE_PROC_DOMAIN_RESTORE', args: [['from', 'string']], ret: [] },
  python: 'restore',
};

export const domainRestoreFlags: CallDef = {
  c: 'virDomainRestoreFlags',
  object: 'Connect',
  name: 'restoreFlags',
  doc: 'Start a domain from a saved file, optionally with another XML, running or paused.',
  params: [
    { name: 'from', type: 'string', doc: 'the saved file' },
    { name: 'dxml', type: 'string?', doc: 'a domain XML to restore with instead, or null' },
  ],
  flags: 'DomainSaveRestoreFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:start'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 233,
    procName: 'REMOTE_PROC_DOMAIN_RESTORE_FLAGS',
    args: [
      ['from', 'string'],
      ['dxml', 'string?'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'restoreFlags',
};

export const domainManagedSave: CallDef = {
  c: 'virDomainManagedSave',
  object: 'Domain',
  name: 'managedSave',
  doc: 'Save the running domain to an image the driver keeps; the next start restores it.',
  params: [],
  flags: 'DomainSaveRestoreFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:hibernate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 182,
    procName: 'REMOTE_PROC_DOMAIN_MANAGED_SAVE',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'managedSave',
};

export const domainManagedSaveRemove: CallDef = {
  c: 'virDomainManagedSaveRemove',
  object: 'Domain',
  name: 'managedSaveRemove',
  doc: 'Delete the managed save image of the domain.',
  params: [],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:hibernate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 184,
    procName: 'REMOTE_PROC_DOMAIN_MANAGED_SAVE_REMOVE',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'managedSaveRemove',
};
