/**
 * Network ports as files, the contract between the QEMU driver and the network driver (libvirt's
 * virNetworkObjAddPort / virNetworkPortDefSaveStatus): each port of running network NAME is
 * `<networkStateDir>/NAME/ports/UUID.xml`, a `<networkport>`. A guest NIC of type `network` gets
 * one when the domain starts (virDomainNetDefToNetworkPort: the domain as owner, the NIC's MAC,
 * portgroup, bandwidth, VLAN and virtualport) and loses it when the domain stops; its UUID goes
 * into the NIC's live `<source portid>`.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  escapeXml,
  formatNetworkPortXml,
  parseNetworkPortXml,
  serializeElement,
  type DomainDef,
  type NetworkPortDef,
  type XmlElement,
} from '@virtkit/xml';
import { writeFileAtomic } from '../fsutil';
import type { NetworkDirs } from './network-bridge';

/** The folder holding the ports of network `network`. */
export function portsDir(stateDir: string, network: string): string {
  return path.join(stateDir, network, 'ports');
}

/** Every port file of network `network` (none when the folder is missing). */
export function readPorts(stateDir: string, network: string): NetworkPortDef[] {
  const dir = portsDir(stateDir, network);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.xml'));
  } catch {
    return [];
  }
  return names.sort().flatMap((n) => {
    try {
      return [parseNetworkPortXml(fs.readFileSync(path.join(dir, n), 'utf8'))];
    } catch {
      // a port file that was being rewritten or is damaged is not a port
      return [];
    }
  });
}

/** Save port `def` of network `network` (virNetworkPortDefSaveStatus), atomically. */
export function writePort(stateDir: string, network: string, def: NetworkPortDef): Promise<void> {
  return writeFileAtomic(path.join(portsDir(stateDir, network), `${def.uuid}.xml`), formatNetworkPortXml(def));
}

/** Forget port `uuid` of network `network` (virNetworkPortDefDeleteStatus). */
export function removePort(stateDir: string, network: string, uuid: string): void {
  fs.rmSync(path.join(portsDir(stateDir, network), `${uuid}.xml`), { force: true });
}

/** virDomainNetDefToNetworkPort, plugged into `bridge` as the network allocated it. */
function portOfInterface(dom: DomainDef, el: XmlElement, bridge: string): NetworkPortDef {
  const src = el.element('source');
  const group = src?.attr('portgroup');
  // The NIC's own sub-elements are read with the port parser's rules.
  const own = ['virtualport', 'bandwidth', 'vlan']
    .map((n) => el.element(n))
    .filter((c): c is XmlElement => !!c)
    .map((c) => serializeElement(c, 1))
    .join('');
  const xml =
    `<networkport><uuid>${randomUUID()}</uuid><owner><name>${escapeXml(dom.name)}</name><uuid>${dom.uuid}</uuid></owner>` +
    `${group ? `<group>${escapeXml(group)}</group>` : ''}<mac address='${el.element('mac')?.attr('address') ?? ''}'/>${own}</networkport>`;
  const port = parseNetworkPortXml(xml);
  port.plug = { type: 'network', bridge };
  return port;
}

/**
 * Give `network` NIC `el` of starting domain `dom` its port on `bridge`, and name the port in the
 * NIC's live XML as libvirt does (`<source network portgroup portid bridge>`, in that order).
 */
export async function addInterfacePort(dirs: NetworkDirs, dom: DomainDef, el: XmlElement, bridge: string): Promise<void> {
  const src = el.element('source');
  const network = src?.attr('network');
  if (!src || !network) return;
  const port = portOfInterface(dom, el, bridge);
  await writePort(dirs.networkStateDir, network, port);
  const liveBridge = src.attr('bridge');
  src.attrs.delete('bridge');
  src.attrs.set('portid', port.uuid);
  if (liveBridge !== undefined) src.attrs.set('bridge', liveBridge);
}

/** Release the port of `network` NIC `el` of a stopped domain (networkReleasePort). */
export function releaseInterfacePort(dirs: NetworkDirs, el: XmlElement): void {
  const src = el.element('source');
  const network = src?.attr('network');
  const portid = src?.attr('portid');
  if (network && portid) removePort(dirs.networkStateDir, network, portid);
}
