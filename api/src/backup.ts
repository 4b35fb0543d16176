/** Domain backup jobs (push and pull mode). */
import type { CallDef } from './dsl';

/** virDomainBackupBeginFlags: flags of virDomainBackupBegin. */
export enum DomainBackupBeginFlags {
  /** use images the caller created beforehand */
  VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL = 1 << 0,
}

export const domainBackupBegin: CallDef = {
  c: 'virDomainBackupBegin',
  object: 'Domain',
  name: 'backupBegin',
  doc: 'Start a backup job of the domain disks, optionally creating a checkpoint at the same time.',
  params: [
    { name: 'backupXML', type: 'xml', doc: 'the backup XML', wire: 'backup_xml' },
    { name: 'checkpointXML', type: 'string?', doc: 'checkpoint XML to create along, or null', wire: 'checkpoint_xml' },
  ],
  flags: 'DomainBackupBeginFlags',
  returns: 'void',
  since: '0.1.0',
  acl: ['domain:checkpoint', 'domain:block_write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 421,
    procName: 'REMOTE_PROC_DOMAIN_BACKUP_BEGIN',
    args: [
      ['dom', 'Dom'],
      ['backup_xml', 'string'],
      ['checkpoint_xml', 'string?'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'backupBegin',
};

export const domainBackupGetXMLDesc: CallDef = {
  c: 'virDomainBackupGetXMLDesc',
  object: 'Domain',
  name: 'backupGetXMLDesc',
  doc: 'The XML description of the running backup job.',
  params: [],
  flags: 'reserved',
  returns: 'xml',
  since: '0.1.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 422,
    procName: 'REMOTE_PROC_DOMAIN_BACKUP_GET_XML_DESC',
    priority: 'high',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [['xml', 'string']],
  },
  python: 'backupGetXMLDesc',
};
