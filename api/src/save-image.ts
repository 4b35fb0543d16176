/**
 * The domain XML kept inside save images (libvirt's virDomainSaveImageGetXMLDesc/DefineXML and
 * virDomainManagedSaveGetXMLDesc/DefineXML): read it, or replace it with one of the same ABI.
 */
import type { CallDef } from './dsl';

/** virDomainSaveImageXMLFlags */
export enum DomainSaveImageXMLFlags {
  /** include security-sensitive data (same bit as VIR_DOMAIN_XML_SECURE) */
  VIR_DOMAIN_SAVE_IMAGE_XML_SECURE = 1 << 0,
}

export const domainSaveImageGetXMLDesc: CallDef = {
  c: 'virDomainSaveImageGetXMLDesc',
  object: 'Connect',
  name: 'saveImageGetXMLDesc',
  doc: 'The domain XML inside a file written by virDomainSave.',
  params: [{ name: 'file', type: 'string', doc: 'the saved file' }],
  flags: 'DomainSaveImageXMLFlags',
  returns: 'xml',
  since: '0.2.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 235,
    procName: 'REMOTE_PROC_DOMAIN_SAVE_IMAGE_GET_XML_DESC',
    priority: 'high',
    args: [
      ['file', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['xml', 'string']],
  },
  python: 'saveImageGetXMLDesc',
};

export const domainSaveImageDefineXML: CallDef = {
  c: 'virDomainSaveImageDefineXML',
  object: 'Connect',
  name: 'saveImageDefineXML',
  doc: 'Replace the domain XML inside a saved file with one of the same ABI; the saved state may change between running and paused.',
  params: [
    { name: 'file', type: 'string', doc: 'the saved file' },
    { name: 'dxml', type: 'xml', doc: 'the new domain XML' },
  ],
  flags: 'DomainSaveRestoreFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:hibernate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 236,
    procName: 'REMOTE_PROC_DOMAIN_SAVE_IMAGE_DEFINE_XML',
    priority: 'high',
    args: [
      ['file', 'string'],
      ['dxml', 'string'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'saveImageDefineXML',
};

export const domainManagedSaveGetXMLDesc: CallDef = {
  c: 'virDomainManagedSaveGetXMLDesc',
  object: 'Domain',
  name: 'managedSaveGetXMLDesc',
  doc: 'The domain XML inside the managed save image of the domain.',
  params: [],
  flags: 'DomainSaveImageXMLFlags',
  returns: 'xml',
  since: '0.2.0',
  acl: ['domain:read', 'domain:read_secure:VIR_DOMAIN_SAVE_IMAGE_XML_SECURE'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 388,
    procName: 'REMOTE_PROC_DOMAIN_MANAGED_SAVE_GET_XML_DESC',
    args: [
      ['dom', 'Dom'],
      ['flags', 'uint'],
    ],
    ret: [['xml', 'string']],
  },
  python: 'managedSaveGetXMLDesc',
};

export const domainManagedSaveDefineXML: CallDef = {
  c: 'virDomainManagedSaveDefineXML',
  object: 'Domain',
  name: 'managedSaveDefineXML',
  doc: 'Replace the domain XML inside the managed save image with one of the same ABI; the saved state may change between running and paused.',
  params: [{ name: 'dxml', type: 'string?', doc: 'the new domain XML, or null to keep it and change only the saved state' }],
  flags: 'DomainSaveRestoreFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write', 'domain:hibernate'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 389,
    procName: 'REMOTE_PROC_DOMAIN_MANAGED_SAVE_DEFINE_XML',
    args: [
      ['dom', 'Dom'],
      ['dxml', 'string?'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'managedSaveDefineXML',
};
