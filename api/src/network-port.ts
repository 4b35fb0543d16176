/** Network ports (libvirt's virNetworkPort* calls, include/libvirt/libvirt-network.h): a guest's connection to a virtual network. */
import type { CallDef, TypedParamFamilyDef } from './dsl';

/** virNetworkPortCreateFlags: flags of virNetworkPortCreateXML. */
export enum NetworkPortCreateFlags {
  /** reclaim resources the port already uses (its plug is given in the XML) */
  VIR_NETWORK_PORT_CREATE_RECLAIM = 1 << 0,
  /** validate the XML against the schema */
  VIR_NETWORK_PORT_CREATE_VALIDATE = 1 << 1,
}

/** VIR_NETWORK_PORT_BANDWIDTH_* (libvirt-network.h): the typed parameters of a port, all unsigned ints. */
export const networkPortBandwidthParams: TypedParamFamilyDef = {
  name: 'NetworkPortBandwidthParam',
  doc: 'VIR_NETWORK_PORT_BANDWIDTH_*: typed parameters of virNetworkPortGetParameters and virNetworkPortSetParameters.',
  fields: [
    {
      constant: 'VIR_NETWORK_PORT_BANDWIDTH_IN_AVERAGE',
      field: 'inbound.average',
      type: 'VIR_TYPED_PARAM_UINT',
      doc: 'inbound average, KiB/s',
    },
    { constant: 'VIR_NETWORK_PORT_BANDWIDTH_IN_PEAK', field: 'inbound.peak', type: 'VIR_TYPED_PARAM_UINT', doc: 'inbound peak, KiB/s' },
    { constant: 'VIR_NETWORK_PORT_BANDWIDTH_IN_BURST', field: 'inbound.burst', type: 'VIR_TYPED_PARAM_UINT', doc: 'inbound burst, KiB' },
    { constant: 'VIR_NETWORK_PORT_BANDWIDTH_IN_FLOOR', field: 'inbound.floor', type: 'VIR_TYPED_PARAM_UINT', doc: 'inbound floor, KiB/s' },
    {
      constant: 'VIR_NETWORK_PORT_BANDWIDTH_OUT_AVERAGE',
      field: 'outbound.average',
      type: 'VIR_TYPED_PARAM_UINT',
      doc: 'outbound average, KiB/s',
    },
    { constant: 'VIR_NETWORK_PORT_BANDWIDTH_OUT_PEAK', field: 'outbound.peak', type: 'VIR_TYPED_PARAM_UINT', doc: 'outbound peak, KiB/s' },
    { constant: 'VIR_NETWORK_PORT_BANDWIDTH_OUT_BURST', field: 'outbound.burst', type: 'VIR_TYPED_PARAM_UINT', doc: 'outbound burst, KiB' },
  ],
};

export const networkListAllPorts: CallDef = {
  c: 'virNetworkListAllPorts',
  object: 'Network',
  name: 'listAllPorts',
  doc: 'Every port of the (active) network, as fresh handles.',
  params: [],
  flags: 'reserved',
  returns: 'NetworkPort[]',
  since: '0.2.0',
  acl: ['network:search_ports'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 404,
    procName: 'REMOTE_PROC_NETWORK_LIST_ALL_PORTS',
    priority: 'high',
    args: [
      ['network', 'Net'],
      ['need_results', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['ports', 'NetPort<16384>'],
      ['ret', 'uint'],
    ],
  },
  python: 'listAllPorts',
};

export const networkPortLookupByUUIDString: CallDef = {
  c: 'virNetworkPortLookupByUUIDString',
  object: 'Network',
  name: 'portLookupByUUIDString',
  doc: 'A fresh handle to the port of the network with this UUID.',
  params: [{ name: 'uuidstr', type: 'uuid', doc: 'the port UUID in text form', wire: 'uuid' }],
  returns: 'NetworkPort',
  since: '0.2.0',
  acl: ['network_port:getattr'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 405,
    procName: 'REMOTE_PROC_NETWORK_PORT_LOOKUP_BY_UUID',
    priority: 'high',
    args: [
      ['network', 'Net'],
      ['uuid', 'uuid'],
    ],
    ret: [['port', 'NetPort']],
  },
  python: 'portLookupByUUIDString',
};

export const networkPortCreateXML: CallDef = {
  c: 'virNetworkPortCreateXML',
  object: 'Network',
  name: 'portCreateXML',
  doc: 'Create a port on the (active) network from its XML; without RECLAIM the network allocates its plug.',
  params: [{ name: 'xmldesc', type: 'xml', doc: 'the network port XML', wire: 'xml' }],
  flags: 'NetworkPortCreateFlags',
  returns: 'NetworkPort',
  since: '0.2.0',
  acl: ['network_port:create'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 406,
    procName: 'REMOTE_PROC_NETWORK_PORT_CREATE_XML',
    args: [
      ['network', 'Net'],
      ['xml', 'string'],
      ['flags', 'uint'],
    ],
    ret: [['port', 'NetPort']],
  },
  python: 'portCreateXML',
};

export const networkPortGetParameters: CallDef = {
  c: 'virNetworkPortGetParameters',
  object: 'NetworkPort',
  name: 'getParameters',
  doc: 'The bandwidth of the port as NetworkPortBandwidthParam typed parameters.',
  params: [],
  flags: 'reserved',
  returns: 'TypedParams',
  since: '0.2.0',
  acl: ['network_port:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 407,
    procName: 'REMOTE_PROC_NETWORK_PORT_GET_PARAMETERS',
    args: [
      ['port', 'NetPort'],
      ['nparams', 'int'],
      ['flags', 'uint'],
    ],
    ret: [
      ['params', 'TP<16>'],
      ['nparams', 'int'],
    ],
  },
  python: 'parameters',
};

export const networkPortSetParameters: CallDef = {
  c: 'virNetworkPortSetParameters',
  object: 'NetworkPort',
  name: 'setParameters',
  doc: "Replace the port's bandwidth, live: a direction without average (or inbound floor) loses its limit.",
  params: [{ name: 'params', type: 'TypedParams', doc: 'NetworkPortBandwidthParam values' }],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['network_port:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 408,
    procName: 'REMOTE_PROC_NETWORK_PORT_SET_PARAMETERS',
    args: [
      ['port', 'NetPort'],
      ['params', 'TP<16>'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'setParameters',
};

export const networkPortGetXMLDesc: CallDef = {
  c: 'virNetworkPortGetXMLDesc',
  object: 'NetworkPort',
  name: 'getXMLDesc',
  doc: 'The network port XML.',
  params: [],
  flags: 'reserved',
  returns: 'xml',
  since: '0.2.0',
  acl: ['network_port:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 409,
    procName: 'REMOTE_PROC_NETWORK_PORT_GET_XML_DESC',
    args: [
      ['port', 'NetPort'],
      ['flags', 'uint'],
    ],
    ret: [['xml', 'string']],
  },
  python: 'XMLDesc',
};

export const networkPortDelete: CallDef = {
  c: 'virNetworkPortDelete',
  object: 'NetworkPort',
  name: 'delete',
  doc: 'Release the port and what the network allocated for it.',
  params: [],
  flags: 'reserved',
  returns: 'void',
  since: '0.2.0',
  acl: ['network_port:delete'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 410,
    procName: 'REMOTE_PROC_NETWORK_PORT_DELETE',
    args: [
      ['port', 'NetPort'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'delete',
};

export const networkPortGetUUIDString: CallDef = {
  c: 'virNetworkPortGetUUIDString',
  object: 'NetworkPort',
  name: 'getUUIDString',
  doc: 'The port UUID carried by this handle, in text form.',
  params: [],
  returns: 'uuid',
  since: '0.2.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'UUIDString',
};

export const networkPortGetNetwork: CallDef = {
  c: 'virNetworkPortGetNetwork',
  object: 'NetworkPort',
  name: 'getNetwork',
  doc: 'A handle to the network the port belongs to.',
  params: [],
  returns: 'Network',
  since: '0.2.0',
  acl: [],
  readOnlySafe: true,
  impl: 'handle',
  remote: null,
  python: 'network',
};
