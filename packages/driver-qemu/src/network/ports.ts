/**
 * The ports of a running network (libvirt's networkPort* calls of bridge_driver.c): the port
 * files net/network-ports.ts keeps, created by virNetworkPortCreateXML (the network allocates
 * the plug, networkAllocatePort) or by the QEMU driver for a starting guest NIC. A port's
 * bandwidth is the tc rules of the guest's tap on the bridge when there is one (found by the
 * tap's MAC, which is the guest's with the first byte changed).
 */
import {
  ErrorNumber,
  NetworkPortBandwidthParam as P,
  NetworkPortCreateFlags,
  TypedParameterType,
  typedParams,
  type NetworkPortRef,
  type NetworkRef,
  type TypedParams,
} from '@virtkit/core';
import { formatNetworkPortXml, parseNetworkPortXml, parseXml, type Bandwidth, type NetworkDef, type NetworkPortDef } from '@virtkit/xml';
import { clearBandwidth, setBandwidth } from '../net/bandwidth';
import { tapMac } from '../net/interfaces';
import { listLinks } from '../net/iproute';
import { readPorts, writePort } from '../net/network-ports';
import { networkError } from './store';

/** The network must run for any port call (libvirt checks after finding the port). */
export function checkActive(def: NetworkDef, active: boolean): void {
  if (!active) throw networkError(ErrorNumber.VIR_ERR_OPERATION_INVALID, `network '${def.name}' is not active`);
}

export function portRef(net: NetworkRef, port: NetworkPortDef): NetworkPortRef {
  return { network: net, uuid: port.uuid };
}

/** virNetworkObjLookupPort. */
export function findPort(stateDir: string, def: NetworkDef, uuid: string): NetworkPortDef {
  const port = readPorts(stateDir, def.name).find((p) => p.uuid === uuid.toLowerCase());
  if (!port) throw networkError(ErrorNumber.VIR_ERR_NO_NETWORK_PORT, `Network port with UUID ${uuid.toLowerCase()} does not exist`);
  return port;
}

/** networkAllocatePort for the forward modes this driver runs: the portgroup's bandwidth, the network's bridge. */
function allocate(def: NetworkDef, port: NetworkPortDef): void {
  const group = def.portGroups.find((g) => (port.group ? g.name === port.group : g.isDefault));
  if (!port.bandwidth && group?.bandwidth) port.bandwidth = group.bandwidth;
  const mode = def.forward.mode;
  if (['none', 'nat', 'route', 'open'].includes(mode)) {
    if (port.virtualPort?.type)
      throw networkError(
        ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
        `<virtualport type='${port.virtualPort.type}'> not supported for network '${def.name}' which uses IP forwarding`,
      );
    port.plug = { type: 'network', bridge: def.bridge!, macTableManager: def.macTableManager };
  } else if (mode === 'bridge' && def.bridge) {
    port.plug = { type: 'bridge', bridge: def.bridge, macTableManager: def.macTableManager };
  } else {
    throw networkError(
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      `network '${def.name}' with forward mode '${mode}' cannot allocate ports yet`,
    );
  }
}

/** networkPortCreateXML: a plug given in the XML only with RECLAIM, none given only without. */
export async function createPort(stateDir: string, def: NetworkDef, active: boolean, xml: string, flags: number): Promise<NetworkPortDef> {
  const port = parseNetworkPortXml(xml);
  checkActive(def, active);
  const reclaim = (flags & NetworkPortCreateFlags.VIR_NETWORK_PORT_CREATE_RECLAIM) !== 0;
  if (port.plug.type === 'none' && reclaim)
    throw networkError(ErrorNumber.VIR_ERR_INVALID_ARG, 'Port reclaim requested but plug type is none');
  if (port.plug.type !== 'none' && !reclaim)
    throw networkError(ErrorNumber.VIR_ERR_INVALID_ARG, 'Port reclaim not requested but plug type is not none');
  if (!reclaim) allocate(def, port);
  if (readPorts(stateDir, def.name).some((p) => p.uuid === port.uuid))
    throw networkError(ErrorNumber.VIR_ERR_NETWORK_PORT_EXIST, `Network port with UUID ${port.uuid} already exists`);
  await writePort(stateDir, def.name, port);
  await applyToTap(port);
  return port;
}

/** The bandwidth fields in libvirt's order, each with where it lives in the port. */
const FIELDS: [string, 'inbound' | 'outbound', 'average' | 'peak' | 'floor' | 'burst'][] = [
  [P.VIR_NETWORK_PORT_BANDWIDTH_IN_AVERAGE, 'inbound', 'average'],
  [P.VIR_NETWORK_PORT_BANDWIDTH_IN_PEAK, 'inbound', 'peak'],
  [P.VIR_NETWORK_PORT_BANDWIDTH_IN_FLOOR, 'inbound', 'floor'],
  [P.VIR_NETWORK_PORT_BANDWIDTH_IN_BURST, 'inbound', 'burst'],
  [P.VIR_NETWORK_PORT_BANDWIDTH_OUT_AVERAGE, 'outbound', 'average'],
  [P.VIR_NETWORK_PORT_BANDWIDTH_OUT_PEAK, 'outbound', 'peak'],
  [P.VIR_NETWORK_PORT_BANDWIDTH_OUT_BURST, 'outbound', 'burst'],
];

/** networkPortGetParameters: every field of a direction that has a limit, as unsigned ints. */
export function portParameters(port: NetworkPortDef): TypedParams {
  const bw = port.bandwidth;
  return typedParams(
    FIELDS.filter(([, dir]) => bw?.[dir]).map(([field, dir, key]) => ({
      field,
      type: TypedParameterType.VIR_TYPED_PARAM_UINT,
      value: Number(bw![dir]![key] ?? 0),
    })),
  );
}

/**
 * networkPortSetParameters: the parameters replace the whole bandwidth; a direction without
 * average (inbound: nor floor) has no limit. The tap's rules follow.
 */
export async function setPortParameters(stateDir: string, def: NetworkDef, port: NetworkPortDef, params: TypedParams): Promise<void> {
  const bw: Bandwidth = { inbound: {}, outbound: {} };
  for (const [field, dir, key] of FIELDS) if (params[field] !== undefined) bw[dir]![key] = BigInt(Number(params[field]));
  if (!bw.inbound!.average && !bw.inbound!.floor) delete bw.inbound;
  if (!bw.outbound!.average) delete bw.outbound;
  port.bandwidth = bw.inbound || bw.outbound ? bw : undefined;
  await applyToTap(port);
  await writePort(stateDir, def.name, port);
}

/** The guest tap on the port's bridge, if a guest is plugged in. */
async function tapOf(port: NetworkPortDef): Promise<string | undefined> {
  if (port.plug.type !== 'network' && port.plug.type !== 'bridge') return undefined;
  const bridge = port.plug.bridge;
  const mac = tapMac(port.mac);
  return (await listLinks()).find((l) => l.master === bridge && l.address?.toLowerCase() === mac)?.ifname;
}

/** Put the port's bandwidth on its tap (a tap is a bridge port: the guest's inbound is its egress). */
async function applyToTap(port: NetworkPortDef): Promise<void> {
  const tap = await tapOf(port);
  if (!tap) return;
  await clearBandwidth(tap);
  await setBandwidth(tap, parseXml(formatNetworkPortXml(port)), true);
}
