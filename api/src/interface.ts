/** Host network interfaces (libvirt's virInterface* calls, include/libvirt/libvirt-interface.h). */
import type { CallDef } from './dsl';

/** virConnectListAllInterfacesFlags: filters of virConnectListAllInterfaces; none selects all. */
export enum ConnectListAllInterfacesFlags {
  VIR_CONNECT_LIST_INTERFACES_INACTIVE = 1 << 0,
  VIR_CONNECT_LIST_INTERFACES_ACTIVE = 1 << 1,
}

/** virInterfaceXMLFlags: flags of virInterfaceGetXMLDesc. */
export enum InterfaceXMLFlags {
  /** the configuration rather than the live state */
  VIR_INTERFACE_XML_INACTIVE = 1 << 0,
}

/** virInterfaceDefineFlags: flags of virInterfaceDefineXML. */
export enum InterfaceDefineFlags {
  /** validate the XML against the schema */
  VIR_INTERFACE_DEFINE_VALIDATE = 1 << 0,
}

export const interfaceGetName: CallDef = {
  c: 'virInterfaceGetName',
  object: 'Interface',
  name: 'getName',
  doc: 'The interface name carried by this handle.',
  params: [],
  returns: 'string',
  since: '0.2.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'name',
};

export const interfaceGetMACString: CallDef = {
  c: 'virInterfaceGetMACString',
  object: 'Interface',
  name: 'getMACString',
  doc: 'The interface MAC address carried by this handle.',
  params: [],
  returns: 'string',
  since: '0.2.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'MACString',
};

export const connectNumOfInterfaces: CallDef = {
  c: 'virConnectNumOfInterfaces',
  object: 'Connect',
  name: 'numOfInterfaces',
  doc: 'The number of active host interfaces.',
  params: [],
  returns: 'int',
  since: '0.2.0',
  acl: ['connect:search_interfaces'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 126,
    procName: 'REMOTE_PROC_CONNECT_NUM_OF_INTERFACES',
    priority: 'high',
    args: [],
    ret: [['num', 'int']],
  },
  python: 'numOfInterfaces',
};

export const connectListInterfaces: CallDef = {
  c: 'virConnectListInterfaces',
  object: 'Connect',
  name: 'listInterfaces',
  doc: 'Names of the active host interfaces, at most maxnames of them.',
  params: [{ name: 'maxnames', type: 'int', doc: 'the largest number of names to return' }],
  returns: 'string[]',
  since: '0.2.0',
  acl: ['connect:search_interfaces'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 127,
    procName: 'REMOTE_PROC_CONNECT_LIST_INTERFACES',
    priority: 'high',
    args: [['maxnames', 'int']],
    ret: [['names', 'string<16384>']],
  },
  python: 'listInterfaces',
};

export const connectNumOfDefinedInterfaces: CallDef = {
  c: 'virConnectNumOfDefinedInterfaces',
  object: 'Connect',
  name: 'numOfDefinedInterfaces',
  doc: 'The number of defined but inactive host interfaces.',
  params: [],
  returns: 'int',
  since: '0.2.0',
  acl: ['connect:search_interfaces'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 137,
    procName: 'REMOTE_PROC_CONNECT_NUM_OF_DEFINED_INTERFACES',
    priority: 'high',
    args: [],
    ret: [['num', 'int']],
  },
  python: 'numOfDefinedInterfaces',
};

export const connectListDefinedInterfaces: CallDef = {
  c: 'virConnectListDefinedInterfaces',
  object: 'Connect',
  name: 'listDefinedInterfaces',
  doc: 'Names of the defined but inactive host interfaces, at most maxnames of them.',
  params: [{ name: 'maxnames', type: 'int', doc: 'the largest number of names to return' }],
  returns: 'string[]',
  since: '0.2.0',
  acl: ['connect:search_interfaces'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 138,
    procName: 'REMOTE_PROC_CONNECT_LIST_DEFINED_INTERFACES',
    priority: 'high',
    args: [['maxnames', 'int']],
    ret: [['names', 'string<16384>']],
  },
  python: 'listDefinedInterfaces',
};

export const connectListAllInterfaces: CallDef = {
  c: 'virConnectListAllInterfaces',
  object: 'Connect',
  name: 'listAllInterfaces',
  doc: 'Every host interface matching the filter flags, as fresh handles.',
  params: [],
  flags: 'ConnectListAllInterfacesFlags',
  returns: 'Interface[]',
  since: '0.2.0',
  acl: ['connect:search_interfaces'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 284,
    procName: 'REMOTE_PROC_CONNECT_LIST_ALL_INTERFACES',
    priority: 'high',
    args: [
      ['need_results', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['ifaces', 'Iface<16384>'],
      ['ret', 'uint'],
    ],
  },
  python: 'listAllInterfaces',
};

export const interfaceLookupByName: CallDef = {
  c: 'virInterfaceLookupByName',
  object: 'Connect',
  name: 'interfaceLookupByName',
  doc: 'A fresh handle to the host interface with this name.',
  params: [{ name: 'name', type: 'string', doc: 'the interface name' }],
  returns: 'Interface',
  since: '0.2.0',
  acl: ['interface:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 128,
    procName: 'REMOTE_PROC_INTERFACE_LOOKUP_BY_NAME',
    priority: 'high',
    args: [['name', 'string']],
    ret: [['iface', 'Iface']],
  },
  python: 'interfaceLookupByName',
};

export const interfaceLookupByMACString: CallDef = {
  c: 'virInterfaceLookupByMACString',
  object: 'Connect',
  name: 'interfaceLookupByMACString',
  doc: 'A fresh handle to the one host interface with this MAC address.',
  params: [{ name: 'macstr', type: 'string', doc: 'the MAC address in text form', wire: 'mac' }],
  returns: 'Interface',
  since: '0.2.0',
  acl: ['interface:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 129,
    procName: 'REMOTE_PROC_INTERFACE_LOOKUP_BY_MAC_STRING',
    priority: 'high',
    args: [['mac', 'string']],
    ret: [['iface', 'Iface']],
  },
  python: 'interfaceLookupByMACString',
};

export const interfaceDefineXML: CallDef = {
  c: 'virInterfaceDefineXML',
  object: 'Connect',
  name: 'interfaceDefineXML',
  doc: 'Define (or redefine) a host interface configuration from XML without starting it.',
  params: [{ name: 'xml', type: 'xml', doc: 'the interface XML' }],
  flags: 'InterfaceDefineFlags',
  returns: 'Interface',
  since: '0.2.0',
  acl: ['interface:write', 'interface:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 131,
    procName: 'REMOTE_PROC_INTERFACE_DEFINE_XML',
    priority: 'high',
    args: [
      ['xml', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['iface', 'Iface']],
  },
  python: 'interfaceDefineXML',
};

export const interfaceChangeBegin: CallDef = {
  c: 'virInterfaceChangeBegin',
  object: 'Connect',
  name: 'interfaceChangeBegin',
  doc: 'Snapshot the host interface configuration so that a later rollback can restore it.',
  params: [],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['connect:interface_transaction'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 220,
    procName: 'REMOTE_PROC_INTERFACE_CHANGE_BEGIN',
    args: [['flags', 'uint']],
    ret: [],
  },
  python: 'changeBegin',
};

export const interfaceChangeCommit: CallDef = {
  c: 'virInterfaceChangeCommit',
  object: 'Connect',
  name: 'interfaceChangeCommit',
  doc: 'Keep the host interface changes made since interfaceChangeBegin.',
  params: [],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['connect:interface_transaction'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 221,
    procName: 'REMOTE_PROC_INTERFACE_CHANGE_COMMIT',
    args: [['flags', 'uint']],
    ret: [],
  },
  python: 'changeCommit',
};

export const interfaceChangeRollback: CallDef = {
  c: 'virInterfaceChangeRollback',
  object: 'Connect',
  name: 'interfaceChangeRollback',
  doc: 'Restore the host interface configuration saved by interfaceChangeBegin.',
  params: [],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['connect:interface_transaction'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 222,
    procName: 'REMOTE_PROC_INTERFACE_CHANGE_ROLLBACK',
    args: [['flags', 'uint']],
    ret: [],
  },
  python: 'changeRollback',
};

export const interfaceGetXMLDesc: CallDef = {
  c: 'virInterfaceGetXMLDesc',
  object: 'Interface',
  name: 'getXMLDesc',
  doc: 'The interface XML, live or as defined as the flags ask.',
  params: [],
  flags: 'InterfaceXMLFlags',
  returns: 'xml',
  since: '0.2.0',
  acl: ['interface:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 130,
    procName: 'REMOTE_PROC_INTERFACE_GET_XML_DESC',
    args: [
      ['iface', 'Iface'],
      ['flags', 'uint'],
    ],
    ret: [['xml', 'string']],
  },
  python: 'XMLDesc',
};

export const interfaceUndefine: CallDef = {
  c: 'virInterfaceUndefine',
  object: 'Interface',
  name: 'undefine',
  doc: 'Remove the configuration of the host interface.',
  params: [],
  returns: 'void',
  since: '0.2.0',
  acl: ['interface:delete'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 132,
    procName: 'REMOTE_PROC_INTERFACE_UNDEFINE',
    priority: 'high',
    args: [['iface', 'Iface']],
    ret: [],
  },
  python: 'undefine',
};

export const interfaceCreate: CallDef = {
  c: 'virInterfaceCreate',
  object: 'Interface',
  name: 'create',
  doc: 'Bring the host interface up.',
  params: [],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['interface:start'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 133,
    procName: 'REMOTE_PROC_INTERFACE_CREATE',
    args: [
      ['iface', 'Iface'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'create',
};

export const interfaceDestroy: CallDef = {
  c: 'virInterfaceDestroy',
  object: 'Interface',
  name: 'destroy',
  doc: 'Bring the host interface down.',
  params: [],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['interface:stop'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 134,
    procName: 'REMOTE_PROC_INTERFACE_DESTROY',
    priority: 'high',
    args: [
      ['iface', 'Iface'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'destroy',
};

export const interfaceIsActive: CallDef = {
  c: 'virInterfaceIsActive',
  object: 'Interface',
  name: 'isActive',
  doc: 'Whether the host interface is up.',
  params: [],
  returns: 'bool',
  since: '0.2.0',
  acl: ['interface:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 156,
    procName: 'REMOTE_PROC_INTERFACE_IS_ACTIVE',
    priority: 'high',
    args: [['iface', 'Iface']],
    ret: [['active', 'int']],
  },
  python: 'isActive',
};
