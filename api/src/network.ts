/** Virtual networks (libvirt's virNetwork* calls, include/libvirt/libvirt-network.h). */
import type { CallDef, StructDef, WireStructDef } from './dsl';

/** virNetworkXMLFlags: flags of virNetworkGetXMLDesc. */
export enum NetworkXMLFlags {
  /** the persistent definition */
  VIR_NETWORK_XML_INACTIVE = 1 << 0,
}

/** virConnectListAllNetworksFlags: filter groups of virConnectListAllNetworks; an empty group selects all of it. */
export enum ConnectListAllNetworksFlags {
  VIR_CONNECT_LIST_NETWORKS_INACTIVE = 1 << 0,
  VIR_CONNECT_LIST_NETWORKS_ACTIVE = 1 << 1,
  VIR_CONNECT_LIST_NETWORKS_PERSISTENT = 1 << 2,
  VIR_CONNECT_LIST_NETWORKS_TRANSIENT = 1 << 3,
  VIR_CONNECT_LIST_NETWORKS_AUTOSTART = 1 << 4,
  VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART = 1 << 5,
}

/** virNetworkCreateFlags: flags of virNetworkCreateXMLFlags. */
export enum NetworkCreateFlags {
  /** validate the XML against the schema */
  VIR_NETWORK_CREATE_VALIDATE = 1 << 0,
}

/** virNetworkDefineFlags: flags of virNetworkDefineXMLFlags. */
export enum NetworkDefineFlags {
  /** validate the XML against the schema */
  VIR_NETWORK_DEFINE_VALIDATE = 1 << 0,
}

/** virNetworkUpdateCommand: what virNetworkUpdate does with the XML fragment. */
export enum NetworkUpdateCommand {
  /** invalid */
  VIR_NETWORK_UPDATE_COMMAND_NONE = 0,
  /** modify an existing element */
  VIR_NETWORK_UPDATE_COMMAND_MODIFY = 1,
  /** delete an existing element */
  VIR_NETWORK_UPDATE_COMMAND_DELETE = 2,
  /** add an element at the end of the list */
  VIR_NETWORK_UPDATE_COMMAND_ADD_LAST = 3,
  /** add an element at the start of the list */
  VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST = 4,
}

/** virNetworkUpdateSection: the part of the network virNetworkUpdate changes. */
export enum NetworkUpdateSection {
  /** invalid */
  VIR_NETWORK_SECTION_NONE = 0,
  /** `<bridge>` */
  VIR_NETWORK_SECTION_BRIDGE = 1,
  /** `<domain>` */
  VIR_NETWORK_SECTION_DOMAIN = 2,
  /** `<ip>` */
  VIR_NETWORK_SECTION_IP = 3,
  /** `<ip>/<dhcp>/<host>` */
  VIR_NETWORK_SECTION_IP_DHCP_HOST = 4,
  /** `<ip>/<dhcp>/<range>` */
  VIR_NETWORK_SECTION_IP_DHCP_RANGE = 5,
  /** `<forward>` */
  VIR_NETWORK_SECTION_FORWARD = 6,
  /** `<forward>/<interface>` */
  VIR_NETWORK_SECTION_FORWARD_INTERFACE = 7,
  /** `<forward>/<pf>` */
  VIR_NETWORK_SECTION_FORWARD_PF = 8,
  /** `<portgroup>` */
  VIR_NETWORK_SECTION_PORTGROUP = 9,
  /** `<dns>/<host>` */
  VIR_NETWORK_SECTION_DNS_HOST = 10,
  /** `<dns>/<txt>` */
  VIR_NETWORK_SECTION_DNS_TXT = 11,
  /** `<dns>/<srv>` */
  VIR_NETWORK_SECTION_DNS_SRV = 12,
}

/** virNetworkUpdateFlags: which definition virNetworkUpdate changes. */
export enum NetworkUpdateFlags {
  /** the live state when the network is active, else the persistent definition */
  VIR_NETWORK_UPDATE_AFFECT_CURRENT = 0,
  /** the live state only */
  VIR_NETWORK_UPDATE_AFFECT_LIVE = 1 << 0,
  /** the persistent definition only */
  VIR_NETWORK_UPDATE_AFFECT_CONFIG = 1 << 1,
}

/** virNetworkEventID: the event kinds accepted by virConnectNetworkEventRegisterAny. */
export enum NetworkEventID {
  /** virConnectNetworkEventLifecycleCallback */
  VIR_NETWORK_EVENT_ID_LIFECYCLE = 0,
}

/** virNetworkEventLifecycleType: the `event` of a network lifecycle event. */
export enum NetworkEventLifecycleType {
  VIR_NETWORK_EVENT_DEFINED = 0,
  VIR_NETWORK_EVENT_UNDEFINED = 1,
  VIR_NETWORK_EVENT_STARTED = 2,
  VIR_NETWORK_EVENT_STOPPED = 3,
}

/** virIPAddrType: the address family of a DHCP lease or an interface address. */
export enum IPAddrType {
  VIR_IP_ADDR_TYPE_IPV4 = 0,
  VIR_IP_ADDR_TYPE_IPV6 = 1,
}

/** virNetworkDHCPLease; the field names are the wire's (remote_network_dhcp_lease). */
export const NetworkDHCPLease: StructDef = {
  name: 'NetworkDHCPLease',
  c: 'virNetworkDHCPLease',
  doc: 'One DHCP lease handed out on a network.',
  fields: [
    { name: 'iface', type: 'string', doc: 'the network interface (bridge) name' },
    { name: 'expirytime', type: 'long', doc: 'seconds since the epoch when the lease expires (0: never)' },
    { name: 'type', type: 'int', doc: 'an IPAddrType value' },
    { name: 'mac', type: 'string?', doc: 'the client MAC address' },
    { name: 'iaid', type: 'string?', doc: 'the IPv6 identity association identifier' },
    { name: 'ipaddr', type: 'string', doc: 'the leased address' },
    { name: 'prefix', type: 'uint', doc: 'the network prefix length' },
    { name: 'hostname', type: 'string?', doc: 'the host name the client gave' },
    { name: 'clientid', type: 'string?', doc: 'the client identifier (IPv4) or DUID (IPv6)' },
  ],
};

/** remote_network_dhcp_lease as it travels. */
export const networkWireStructs: WireStructDef[] = [
  {
    name: 'NetworkDHCPLease',
    fields: [
      ['iface', 'string'],
      ['expirytime', 'hyper'],
      ['type', 'int'],
      ['mac', 'string?'],
      ['iaid', 'string?'],
      ['ipaddr', 'string'],
      ['prefix', 'uint'],
      ['hostname', 'string?'],
      ['clientid', 'string?'],
    ],
  },
];

export const networkUpdate: CallDef = {
  c: 'virNetworkUpdate',
  object: 'Network',
  name: 'update',
  doc: 'Add, delete or modify one element of a section of the network definition, live and/or persistent.',
  params: [
    { name: 'command', type: 'uint', doc: 'a NetworkUpdateCommand value' },
    { name: 'section', type: 'uint', doc: 'a NetworkUpdateSection value' },
    { name: 'parentIndex', type: 'int', doc: 'which `<ip>` the section sits in (-1: the first matching one)' },
    { name: 'xml', type: 'xml', doc: 'the XML of the element' },
  ],
  flags: 'NetworkUpdateFlags',
  returns: 'void',
  since: '0.2.0',
  // libvirt also checks network:save only when the update may reach the persistent definition
  // (CONFIG, or CURRENT); the DSL has no negated flag condition, so save is always checked.
  acl: ['network:write', 'network:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 291,
    procName: 'REMOTE_PROC_NETWORK_UPDATE',
    priority: 'high',
    args: [
      ['net', 'Net'],
      ['command', 'uint'],
      ['section', 'uint'],
      ['parentIndex', 'int'],
      ['xml', 'string'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'update',
};

export const networkGetDHCPLeases: CallDef = {
  c: 'virNetworkGetDHCPLeases',
  object: 'Network',
  name: 'getDHCPLeases',
  doc: "The network's DHCP leases, or only those of one MAC address.",
  params: [{ name: 'mac', type: 'string?', doc: 'a MAC address to select, or null for all leases' }],
  flags: 'reserved',
  returns: 'NetworkDHCPLease[]',
  since: '0.2.0',
  acl: ['network:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 341,
    procName: 'REMOTE_PROC_NETWORK_GET_DHCP_LEASES',
    args: [
      ['net', 'Net'],
      ['mac', 'string?'],
      ['need_results', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['leases', 'NetworkDHCPLease<65536>'],
      ['ret', 'uint'],
    ],
  },
  python: 'DHCPLeases',
};

export const networkGetName: CallDef = {
  c: 'virNetworkGetName',
  object: 'Network',
  name: 'getName',
  doc: 'The network name carried by this handle.',
  params: [],
  returns: 'string',
  since: '0.2.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'name',
};

export const networkGetUUIDString: CallDef = {
  c: 'virNetworkGetUUIDString',
  object: 'Network',
  name: 'getUUIDString',
  doc: 'The network UUID carried by this handle, in text form.',
  params: [],
  returns: 'uuid',
  since: '0.2.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'UUIDString',
};

export const connectNumOfNetworks: CallDef = {
  c: 'virConnectNumOfNetworks',
  object: 'Connect',
  name: 'numOfNetworks',
  doc: 'The number of active networks.',
  params: [],
  returns: 'int',
  since: '0.2.0',
  acl: ['connect:search_networks'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 52,
    procName: 'REMOTE_PROC_CONNECT_NUM_OF_NETWORKS',
    priority: 'high',
    args: [],
    ret: [['num', 'int']],
  },
  python: 'numOfNetworks',
};

export const connectListNetworks: CallDef = {
  c: 'virConnectListNetworks',
  object: 'Connect',
  name: 'listNetworks',
  doc: 'Names of the active networks, at most maxnames of them.',
  params: [{ name: 'maxnames', type: 'int', doc: 'the largest number of names to return' }],
  returns: 'string[]',
  since: '0.2.0',
  acl: ['connect:search_networks'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 38,
    procName: 'REMOTE_PROC_CONNECT_LIST_NETWORKS',
    priority: 'high',
    args: [['maxnames', 'int']],
    ret: [['names', 'string<16384>']],
  },
  python: 'listNetworks',
};

export const connectNumOfDefinedNetworks: CallDef = {
  c: 'virConnectNumOfDefinedNetworks',
  object: 'Connect',
  name: 'numOfDefinedNetworks',
  doc: 'The number of defined but inactive networks.',
  params: [],
  returns: 'int',
  since: '0.2.0',
  acl: ['connect:search_networks'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 50,
    procName: 'REMOTE_PROC_CONNECT_NUM_OF_DEFINED_NETWORKS',
    priority: 'high',
    args: [],
    ret: [['num', 'int']],
  },
  python: 'numOfDefinedNetworks',
};

export const connectListDefinedNetworks: CallDef = {
  c: 'virConnectListDefinedNetworks',
  object: 'Connect',
  name: 'listDefinedNetworks',
  doc: 'Names of the defined but inactive networks, at most maxnames of them.',
  params: [{ name: 'maxnames', type: 'int', doc: 'the largest number of names to return' }],
  returns: 'string[]',
  since: '0.2.0',
  acl: ['connect:search_networks'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 36,
    procName: 'REMOTE_PROC_CONNECT_LIST_DEFINED_NETWORKS',
    priority: 'high',
    args: [['maxnames', 'int']],
    ret: [['names', 'string<16384>']],
  },
  python: 'listDefinedNetworks',
};

export const connectListAllNetworks: CallDef = {
  c: 'virConnectListAllNetworks',
  object: 'Connect',
  name: 'listAllNetworks',
  doc: 'Every network matching the filter flags, as fresh handles.',
  params: [],
  flags: 'ConnectListAllNetworksFlags',
  returns: 'Network[]',
  since: '0.2.0',
  acl: ['connect:search_networks'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 283,
    procName: 'REMOTE_PROC_CONNECT_LIST_ALL_NETWORKS',
    priority: 'high',
    args: [
      ['need_results', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['nets', 'Net<16384>'],
      ['ret', 'uint'],
    ],
  },
  python: 'listAllNetworks',
};

export const networkLookupByName: CallDef = {
  c: 'virNetworkLookupByName',
  object: 'Connect',
  name: 'networkLookupByName',
  doc: 'A fresh handle to the network with this name.',
  params: [{ name: 'name', type: 'string', doc: 'the network name' }],
  returns: 'Network',
  since: '0.2.0',
  acl: ['network:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 46,
    procName: 'REMOTE_PROC_NETWORK_LOOKUP_BY_NAME',
    priority: 'high',
    args: [['name', 'string']],
    ret: [['net', 'Net']],
  },
  python: 'networkLookupByName',
};

export const networkLookupByUUIDString: CallDef = {
  c: 'virNetworkLookupByUUIDString',
  object: 'Connect',
  name: 'networkLookupByUUIDString',
  doc: 'A fresh handle to the network with this UUID.',
  params: [{ name: 'uuidstr', type: 'uuid', doc: 'the network UUID in text form', wire: 'uuid' }],
  returns: 'Network',
  since: '0.2.0',
  acl: ['network:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 47,
    procName: 'REMOTE_PROC_NETWORK_LOOKUP_BY_UUID',
    priority: 'high',
    args: [['uuid', 'uuid']],
    ret: [['net', 'Net']],
  },
  python: 'networkLookupByUUIDString',
};

export const networkCreateXML: CallDef = {
  c: 'virNetworkCreateXML',
  object: 'Connect',
  name: 'networkCreateXML',
  doc: 'Create and start a transient network from XML.',
  params: [{ name: 'xmlDesc', type: 'xml', doc: 'the network XML', wire: 'xml' }],
  returns: 'Network',
  since: '0.2.0',
  acl: ['network:write', 'network:start'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 40,
    procName: 'REMOTE_PROC_NETWORK_CREATE_XML',
    args: [['xml', 'string']],
    ret: [['net', 'Net']],
  },
  python: 'networkCreateXML',
};

export const networkCreateXMLFlags: CallDef = {
  c: 'virNetworkCreateXMLFlags',
  object: 'Connect',
  name: 'networkCreateXMLFlags',
  doc: 'Create and start a transient network from XML, with flags.',
  params: [{ name: 'xmlDesc', type: 'xml', doc: 'the network XML', wire: 'xml' }],
  flags: 'NetworkCreateFlags',
  returns: 'Network',
  since: '0.2.0',
  acl: ['network:write', 'network:start'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 437,
    procName: 'REMOTE_PROC_NETWORK_CREATE_XML_FLAGS',
    priority: 'high',
    args: [
      ['xml', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['net', 'Net']],
  },
  python: 'networkCreateXMLFlags',
};

export const networkDefineXML: CallDef = {
  c: 'virNetworkDefineXML',
  object: 'Connect',
  name: 'networkDefineXML',
  doc: 'Define (or redefine) a persistent network from XML without starting it.',
  params: [{ name: 'xml', type: 'xml', doc: 'the network XML' }],
  returns: 'Network',
  since: '0.2.0',
  acl: ['network:write', 'network:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 41,
    procName: 'REMOTE_PROC_NETWORK_DEFINE_XML',
    priority: 'high',
    args: [['xml', 'string']],
    ret: [['net', 'Net']],
  },
  python: 'networkDefineXML',
};

export const networkDefineXMLFlags: CallDef = {
  c: 'virNetworkDefineXMLFlags',
  object: 'Connect',
  name: 'networkDefineXMLFlags',
  doc: 'Define (or redefine) a persistent network from XML, with flags.',
  params: [{ name: 'xml', type: 'xml', doc: 'the network XML' }],
  flags: 'NetworkDefineFlags',
  returns: 'Network',
  since: '0.2.0',
  acl: ['network:write', 'network:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 432,
    procName: 'REMOTE_PROC_NETWORK_DEFINE_XML_FLAGS',
    priority: 'high',
    args: [
      ['xml', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['net', 'Net']],
  },
  python: 'networkDefineXMLFlags',
};

export const networkCreate: CallDef = {
  c: 'virNetworkCreate',
  object: 'Network',
  name: 'create',
  doc: 'Start an inactive network.',
  params: [],
  returns: 'void',
  since: '0.2.0',
  acl: ['network:start'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 39,
    procName: 'REMOTE_PROC_NETWORK_CREATE',
    args: [['net', 'Net']],
    ret: [],
  },
  python: 'create',
};

export const networkDestroy: CallDef = {
  c: 'virNetworkDestroy',
  object: 'Network',
  name: 'destroy',
  doc: 'Stop an active network; a transient one disappears.',
  params: [],
  returns: 'void',
  since: '0.2.0',
  acl: ['network:stop'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 42,
    procName: 'REMOTE_PROC_NETWORK_DESTROY',
    priority: 'high',
    args: [['net', 'Net']],
    ret: [],
  },
  python: 'destroy',
};

export const networkUndefine: CallDef = {
  c: 'virNetworkUndefine',
  object: 'Network',
  name: 'undefine',
  doc: 'Remove the persistent definition of the network; an active one becomes transient.',
  params: [],
  returns: 'void',
  since: '0.2.0',
  acl: ['network:delete'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 49,
    procName: 'REMOTE_PROC_NETWORK_UNDEFINE',
    priority: 'high',
    args: [['net', 'Net']],
    ret: [],
  },
  python: 'undefine',
};

export const networkGetXMLDesc: CallDef = {
  c: 'virNetworkGetXMLDesc',
  object: 'Network',
  name: 'getXMLDesc',
  doc: 'The network XML, live or inactive as the flags ask.',
  params: [],
  flags: 'NetworkXMLFlags',
  returns: 'xml',
  since: '0.2.0',
  acl: ['network:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 43,
    procName: 'REMOTE_PROC_NETWORK_GET_XML_DESC',
    priority: 'high',
    args: [
      ['net', 'Net'],
      ['flags', 'uint'],
    ],
    ret: [['xml', 'string']],
  },
  python: 'XMLDesc',
};

export const networkGetBridgeName: CallDef = {
  c: 'virNetworkGetBridgeName',
  object: 'Network',
  name: 'getBridgeName',
  doc: "The name of the network's bridge device.",
  params: [],
  returns: 'string',
  since: '0.2.0',
  acl: ['network:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 45,
    procName: 'REMOTE_PROC_NETWORK_GET_BRIDGE_NAME',
    priority: 'high',
    args: [['net', 'Net']],
    ret: [['name', 'string']],
  },
  python: 'bridgeName',
};

export const networkGetAutostart: CallDef = {
  c: 'virNetworkGetAutostart',
  object: 'Network',
  name: 'getAutostart',
  doc: 'Whether the network starts when the host (or its driver) starts.',
  params: [],
  returns: 'bool',
  since: '0.2.0',
  acl: ['network:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 44,
    procName: 'REMOTE_PROC_NETWORK_GET_AUTOSTART',
    priority: 'high',
    args: [['net', 'Net']],
    ret: [['autostart', 'int']],
  },
  python: 'autostart',
};

export const networkSetAutostart: CallDef = {
  c: 'virNetworkSetAutostart',
  object: 'Network',
  name: 'setAutostart',
  doc: 'Choose whether the network starts when the host (or its driver) starts.',
  params: [{ name: 'autostart', type: 'bool', doc: 'true to start with the host' }],
  returns: 'void',
  since: '0.2.0',
  acl: ['network:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 48,
    procName: 'REMOTE_PROC_NETWORK_SET_AUTOSTART',
    priority: 'high',
    args: [
      ['net', 'Net'],
      ['autostart', 'int'],
    ],
    ret: [],
  },
  python: 'setAutostart',
};

export const networkIsActive: CallDef = {
  c: 'virNetworkIsActive',
  object: 'Network',
  name: 'isActive',
  doc: 'Whether the network is active.',
  params: [],
  returns: 'bool',
  since: '0.2.0',
  acl: ['network:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 152,
    procName: 'REMOTE_PROC_NETWORK_IS_ACTIVE',
    priority: 'high',
    args: [['net', 'Net']],
    ret: [['active', 'int']],
  },
  python: 'isActive',
};

export const networkIsPersistent: CallDef = {
  c: 'virNetworkIsPersistent',
  object: 'Network',
  name: 'isPersistent',
  doc: 'Whether the network has a persistent definition.',
  params: [],
  returns: 'bool',
  since: '0.2.0',
  acl: ['network:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 153,
    procName: 'REMOTE_PROC_NETWORK_IS_PERSISTENT',
    priority: 'high',
    args: [['net', 'Net']],
    ret: [['persistent', 'int']],
  },
  python: 'isPersistent',
};

export const connectNetworkEventRegisterAny: CallDef = {
  c: 'virConnectNetworkEventRegisterAny',
  object: 'Connect',
  name: 'networkEventRegisterAny',
  doc: 'Register a callback for one network event ID, for one network or all; returns the callback ID.',
  params: [
    { name: 'net', type: 'Network?', doc: 'the network to watch, or null for all networks' },
    { name: 'eventID', type: 'int', doc: 'a NetworkEventID value' },
    { name: 'cb', type: 'Callback', doc: 'the callback, called with the connection, the network and the event' },
  ],
  returns: 'int',
  since: '0.2.0',
  acl: ['connect:search_networks'],
  readOnlySafe: true,
  impl: 'core',
  remote: {
    program: 'remote',
    proc: 313,
    procName: 'REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY',
    priority: 'high',
    args: [
      ['eventID', 'int'],
      ['net', 'Net?'],
    ],
    ret: [['callbackID', 'int']],
  },
  python: 'networkEventRegisterAny',
};

export const connectNetworkEventDeregisterAny: CallDef = {
  c: 'virConnectNetworkEventDeregisterAny',
  object: 'Connect',
  name: 'networkEventDeregisterAny',
  doc: 'Remove a callback registered with networkEventRegisterAny.',
  params: [{ name: 'callbackID', type: 'int', doc: 'the ID returned at registration' }],
  returns: 'void',
  since: '0.2.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'core',
  remote: {
    program: 'remote',
    proc: 314,
    procName: 'REMOTE_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY',
    priority: 'high',
    args: [['callbackID', 'int']],
    ret: [],
  },
  python: 'networkEventDeregisterAny',
};
