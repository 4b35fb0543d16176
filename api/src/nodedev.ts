/**
 * Host devices (libvirt's virNodeDevice* calls, include/libvirt/libvirt-nodedev.h): the PCI, USB,
 * network, storage and SCSI devices the host has, with their capabilities, and the vHBAs and
 * mediated devices a client may create.
 */
import type { CallDef } from './dsl';

/** virConnectListAllNodeDeviceFlags: capability and state filters of virConnectListAllNodeDevices. */
export enum ConnectListAllNodeDeviceFlags {
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_SYSTEM = 1 << 0,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV = 1 << 1,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV = 1 << 2,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_INTERFACE = 1 << 3,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_NET = 1 << 4,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_HOST = 1 << 5,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_TARGET = 1 << 6,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI = 1 << 7,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_STORAGE = 1 << 8,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_FC_HOST = 1 << 9,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS = 1 << 10,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_GENERIC = 1 << 11,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_DRM = 1 << 12,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV_TYPES = 1 << 13,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV = 1 << 14,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_CCW_DEV = 1 << 15,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_CSS_DEV = 1 << 16,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_VDPA = 1 << 17,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_CARD = 1 << 18,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_QUEUE = 1 << 19,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_MATRIX = 1 << 20,
  VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPD = 1 << 21,
  /** defined but not present */
  VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE = 1 << 30,
  /** present on the host */
  VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE = 0x80000000,
}

/** virNodeDeviceCreateXMLFlags. */
export enum NodeDeviceCreateXMLFlags {
  /** validate the XML against the schema */
  VIR_NODE_DEVICE_CREATE_XML_VALIDATE = 1 << 0,
}

/** virNodeDeviceDefineXMLFlags. */
export enum NodeDeviceDefineXMLFlags {
  /** validate the XML against the schema */
  VIR_NODE_DEVICE_DEFINE_XML_VALIDATE = 1 << 0,
}

export const nodeDeviceGetName: CallDef = {
  c: 'virNodeDeviceGetName',
  object: 'NodeDevice',
  name: 'getName',
  doc: 'The device name carried by this handle.',
  params: [],
  returns: 'string',
  since: '0.2.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'name',
};

export const nodeNumOfDevices: CallDef = {
  c: 'virNodeNumOfDevices',
  object: 'Connect',
  name: 'numOfDevices',
  doc: 'How many host devices carry the capability (all when cap is null).',
  params: [{ name: 'cap', type: 'string?', doc: 'a capability name such as pci or scsi_host, or null' }],
  flags: 'reserved',
  returns: 'int',
  since: '0.2.0',
  acl: ['connect:search_node_devices'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 111,
    procName: 'REMOTE_PROC_NODE_NUM_OF_DEVICES',
    priority: 'high',
    args: [
      ['cap', 'string?'],
      ['flags', 'uint'],
    ],
    ret: [['num', 'int']],
  },
  python: 'numOfDevices',
};

export const nodeListDevices: CallDef = {
  c: 'virNodeListDevices',
  object: 'Connect',
  name: 'listDevices',
  doc: 'Names of the host devices carrying the capability (all when cap is null), at most maxnames of them.',
  params: [
    { name: 'cap', type: 'string?', doc: 'a capability name, or null' },
    { name: 'maxnames', type: 'int', doc: 'the largest number of names to return' },
  ],
  flags: 'reserved',
  returns: 'string[]',
  since: '0.2.0',
  acl: ['connect:search_node_devices'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 112,
    procName: 'REMOTE_PROC_NODE_LIST_DEVICES',
    priority: 'high',
    args: [
      ['cap', 'string?'],
      ['maxnames', 'int'],
      ['flags', 'uint'],
    ],
    ret: [['names', 'string<65536>']],
  },
  python: 'listDevices',
};

export const connectListAllNodeDevices: CallDef = {
  c: 'virConnectListAllNodeDevices',
  object: 'Connect',
  name: 'listAllNodeDevices',
  doc: 'Every host device matching the capability and state filter flags, as fresh handles.',
  params: [],
  flags: 'ConnectListAllNodeDeviceFlags',
  returns: 'NodeDevice[]',
  since: '0.2.0',
  acl: ['connect:search_node_devices'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 285,
    procName: 'REMOTE_PROC_CONNECT_LIST_ALL_NODE_DEVICES',
    priority: 'high',
    args: [
      ['need_results', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['devices', 'NodeDev<65536>'],
      ['ret', 'uint'],
    ],
  },
  python: 'listAllDevices',
};

export const nodeDeviceLookupByName: CallDef = {
  c: 'virNodeDeviceLookupByName',
  object: 'Connect',
  name: 'nodeDeviceLookupByName',
  doc: 'A fresh handle to the host device with this name.',
  params: [{ name: 'name', type: 'string', doc: 'the device name' }],
  returns: 'NodeDevice',
  since: '0.2.0',
  acl: ['node_device:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 113,
    procName: 'REMOTE_PROC_NODE_DEVICE_LOOKUP_BY_NAME',
    priority: 'high',
    args: [['name', 'string']],
    ret: [['dev', 'NodeDev']],
  },
  python: 'nodeDeviceLookupByName',
};

export const nodeDeviceLookupSCSIHostByWWN: CallDef = {
  c: 'virNodeDeviceLookupSCSIHostByWWN',
  object: 'Connect',
  name: 'nodeDeviceLookupSCSIHostByWWN',
  doc: 'A fresh handle to the SCSI host whose fibre channel names are these.',
  params: [
    { name: 'wwnn', type: 'string', doc: 'the world wide node name' },
    { name: 'wwpn', type: 'string', doc: 'the world wide port name' },
  ],
  flags: 'reserved',
  returns: 'NodeDevice',
  since: '0.2.0',
  acl: ['node_device:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 297,
    procName: 'REMOTE_PROC_NODE_DEVICE_LOOKUP_SCSI_HOST_BY_WWN',
    priority: 'high',
    args: [
      ['wwnn', 'string'],
      ['wwpn', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['dev', 'NodeDev']],
  },
  python: 'nodeDeviceLookupSCSIHostByWWN',
};

export const nodeDeviceCreateXML: CallDef = {
  c: 'virNodeDeviceCreateXML',
  object: 'Connect',
  name: 'nodeDeviceCreateXML',
  doc: 'Create a transient host device (an NPIV vHBA or a mediated device) from XML.',
  params: [{ name: 'xmlDesc', type: 'string', doc: 'the node device XML', wire: 'xml_desc' }],
  flags: 'NodeDeviceCreateXMLFlags',
  returns: 'NodeDevice',
  since: '0.2.0',
  acl: ['node_device:write', 'node_device:start'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 123,
    procName: 'REMOTE_PROC_NODE_DEVICE_CREATE_XML',
    args: [
      ['xml_desc', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['dev', 'NodeDev']],
  },
  python: 'nodeDeviceCreateXML',
};

export const nodeDeviceDefineXML: CallDef = {
  c: 'virNodeDeviceDefineXML',
  object: 'Connect',
  name: 'nodeDeviceDefineXML',
  doc: 'Define a persistent host device (a mediated device) from XML without starting it.',
  params: [{ name: 'xmlDesc', type: 'string', doc: 'the node device XML', wire: 'xml_desc' }],
  flags: 'NodeDeviceDefineXMLFlags',
  returns: 'NodeDevice',
  since: '0.2.0',
  acl: ['node_device:write', 'node_device:save'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 428,
    procName: 'REMOTE_PROC_NODE_DEVICE_DEFINE_XML',
    args: [
      ['xml_desc', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['dev', 'NodeDev']],
  },
  python: 'nodeDeviceDefineXML',
};

export const nodeDeviceGetXMLDesc: CallDef = {
  c: 'virNodeDeviceGetXMLDesc',
  object: 'NodeDevice',
  name: 'getXMLDesc',
  doc: 'The XML description of the host device.',
  params: [],
  flags: 'reserved',
  returns: 'xml',
  since: '0.2.0',
  acl: ['node_device:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 114,
    procName: 'REMOTE_PROC_NODE_DEVICE_GET_XML_DESC',
    args: [
      ['name', 'NodeDev'],
      ['flags', 'uint'],
    ],
    ret: [['xml', 'string']],
  },
  python: 'XMLDesc',
};

export const nodeDeviceGetParent: CallDef = {
  c: 'virNodeDeviceGetParent',
  object: 'NodeDevice',
  name: 'getParent',
  doc: 'The name of the parent device, or null for the root.',
  params: [],
  returns: 'string?',
  since: '0.2.0',
  acl: ['node_device:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 115,
    procName: 'REMOTE_PROC_NODE_DEVICE_GET_PARENT',
    priority: 'high',
    args: [['name', 'NodeDev']],
    ret: [['parent_name', 'string?']],
  },
  python: 'parent',
};

export const nodeDeviceNumOfCaps: CallDef = {
  c: 'virNodeDeviceNumOfCaps',
  object: 'NodeDevice',
  name: 'numOfCaps',
  doc: 'How many capabilities the device lists.',
  params: [],
  returns: 'int',
  since: '0.2.0',
  acl: ['node_device:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 116,
    procName: 'REMOTE_PROC_NODE_DEVICE_NUM_OF_CAPS',
    priority: 'high',
    args: [['name', 'NodeDev']],
    ret: [['num', 'int']],
  },
  python: 'numOfCaps',
};

export const nodeDeviceListCaps: CallDef = {
  c: 'virNodeDeviceListCaps',
  object: 'NodeDevice',
  name: 'listCaps',
  doc: 'The names of the capabilities of the device, at most maxnames of them.',
  params: [{ name: 'maxnames', type: 'int', doc: 'the largest number of names to return' }],
  returns: 'string[]',
  since: '0.2.0',
  acl: ['node_device:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 117,
    procName: 'REMOTE_PROC_NODE_DEVICE_LIST_CAPS',
    priority: 'high',
    args: [
      ['name', 'NodeDev'],
      ['maxnames', 'int'],
    ],
    ret: [['names', 'string<65536>']],
  },
  python: 'listCaps',
};

export const nodeDeviceDestroy: CallDef = {
  c: 'virNodeDeviceDestroy',
  object: 'NodeDevice',
  name: 'destroy',
  doc: 'Remove a created device (a vHBA or a started mediated device) from the host.',
  params: [],
  returns: 'void',
  since: '0.2.0',
  acl: ['node_device:stop'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 124,
    procName: 'REMOTE_PROC_NODE_DEVICE_DESTROY',
    priority: 'high',
    args: [['name', 'NodeDev']],
    ret: [],
  },
  python: 'destroy',
};

export const nodeDeviceUndefine: CallDef = {
  c: 'virNodeDeviceUndefine',
  object: 'NodeDevice',
  name: 'undefine',
  doc: 'Remove the persistent definition of the device.',
  params: [],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['node_device:delete'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 429,
    procName: 'REMOTE_PROC_NODE_DEVICE_UNDEFINE',
    priority: 'high',
    args: [
      ['name', 'NodeDev'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'undefine',
};

export const nodeDeviceCreate: CallDef = {
  c: 'virNodeDeviceCreate',
  object: 'NodeDevice',
  name: 'create',
  doc: 'Start a defined but inactive device.',
  params: [],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['node_device:start'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 430,
    procName: 'REMOTE_PROC_NODE_DEVICE_CREATE',
    priority: 'high',
    args: [
      ['name', 'NodeDev'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'create',
};

export const nodeDeviceIsActive: CallDef = {
  c: 'virNodeDeviceIsActive',
  object: 'NodeDevice',
  name: 'isActive',
  doc: 'Whether the device is present on the host now.',
  params: [],
  returns: 'bool',
  since: '0.2.0',
  acl: ['node_device:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 436,
    procName: 'REMOTE_PROC_NODE_DEVICE_IS_ACTIVE',
    priority: 'high',
    args: [['name', 'NodeDev']],
    ret: [['active', 'int']],
  },
  python: 'isActive',
};

export const nodeDeviceIsPersistent: CallDef = {
  c: 'virNodeDeviceIsPersistent',
  object: 'NodeDevice',
  name: 'isPersistent',
  doc: 'Whether the device has a persistent definition.',
  params: [],
  returns: 'bool',
  since: '0.2.0',
  acl: ['node_device:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 435,
    procName: 'REMOTE_PROC_NODE_DEVICE_IS_PERSISTENT',
    priority: 'high',
    args: [['name', 'NodeDev']],
    ret: [['persistent', 'int']],
  },
  python: 'isPersistent',
};

export const nodeDeviceGetAutostart: CallDef = {
  c: 'virNodeDeviceGetAutostart',
  object: 'NodeDevice',
  name: 'getAutostart',
  doc: 'Whether the device is started when the host boots.',
  params: [],
  returns: 'bool',
  since: '0.2.0',
  acl: ['node_device:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 433,
    procName: 'REMOTE_PROC_NODE_DEVICE_GET_AUTOSTART',
    priority: 'high',
    args: [['name', 'NodeDev']],
    ret: [['autostart', 'int']],
  },
  python: 'autostart',
};

/** virNodeDeviceEventID: the event kinds accepted by virConnectNodeDeviceEventRegisterAny. */
export enum NodeDeviceEventID {
  /** virConnectNodeDeviceEventLifecycleCallback */
  VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE = 0,
  /** virConnectNodeDeviceEventGenericCallback: the device's properties changed */
  VIR_NODE_DEVICE_EVENT_ID_UPDATE = 1,
}

/** virNodeDeviceEventLifecycleType: the `event` of a node device lifecycle event. */
export enum NodeDeviceEventLifecycleType {
  VIR_NODE_DEVICE_EVENT_CREATED = 0,
  VIR_NODE_DEVICE_EVENT_DELETED = 1,
  VIR_NODE_DEVICE_EVENT_DEFINED = 2,
  VIR_NODE_DEVICE_EVENT_UNDEFINED = 3,
}

export const connectNodeDeviceEventRegisterAny: CallDef = {
  c: 'virConnectNodeDeviceEventRegisterAny',
  object: 'Connect',
  name: 'nodeDeviceEventRegisterAny',
  doc: 'Register a callback for one node device event ID, for one device or all; returns the callback ID.',
  params: [
    { name: 'dev', type: 'NodeDevice?', doc: 'the device to watch, or null for all devices' },
    { name: 'eventID', type: 'int', doc: 'a NodeDeviceEventID value' },
    { name: 'cb', type: 'Callback', doc: 'the callback, called with the connection, the device and the event' },
  ],
  returns: 'int',
  since: '0.2.0',
  acl: ['connect:search_node_devices'],
  readOnlySafe: true,
  impl: 'core',
  remote: {
    program: 'remote',
    proc: 374,
    procName: 'REMOTE_PROC_CONNECT_NODE_DEVICE_EVENT_REGISTER_ANY',
    args: [
      ['eventID', 'int'],
      ['dev', 'NodeDev?'],
    ],
    ret: [['callbackID', 'int']],
  },
  python: 'nodeDeviceEventRegisterAny',
};

export const connectNodeDeviceEventDeregisterAny: CallDef = {
  c: 'virConnectNodeDeviceEventDeregisterAny',
  object: 'Connect',
  name: 'nodeDeviceEventDeregisterAny',
  doc: 'Remove a callback registered with nodeDeviceEventRegisterAny.',
  params: [{ name: 'callbackID', type: 'int', doc: 'the ID returned at registration' }],
  returns: 'void',
  since: '0.2.0',
  acl: ['connect:read'],
  readOnlySafe: true,
  impl: 'core',
  remote: {
    program: 'remote',
    proc: 375,
    procName: 'REMOTE_PROC_CONNECT_NODE_DEVICE_EVENT_DEREGISTER_ANY',
    args: [['callbackID', 'int']],
    ret: [],
  },
  python: 'nodeDeviceEventDeregisterAny',
};
