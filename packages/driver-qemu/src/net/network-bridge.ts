/**
 * The one thing the QEMU driver asks of the network driver for `<interface type='network'>`:
 * which bridge a running network's guests are plugged into (libvirt asks for a network port and
 * reads the bridge from it). The network driver keeps each running network's status XML as
 * `<networkStateDir>/NAME.xml` (libvirt's /run/libvirt/network/NAME.xml: a `<network>`, bare or
 * inside `<networkstatus>`), and persistent definitions in `<networkConfigDir>/NAME.xml`; this
 * module reads only those files, so it works with a network started by any process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseXml, type XmlElement } from '@virtkit/xml';

/** Where the network driver keeps networks. */
export interface NetworkDirs {
  networkStateDir: string;
  networkConfigDir: string;
}

/** A running network as a guest NIC needs it. */
export interface NetworkBridge {
  bridge: string;
  /** `<mtu size>` of the network, when set. */
  mtu?: number;
}

/** Forward modes whose guests get a tap on the network's bridge (the others use macvtap or hostdev). */
const TAP_MODES = new Set(['none', 'nat', 'route', 'open', 'bridge']);

function readNetwork(file: string): XmlElement | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const root = parseXml(text);
  return root.name === 'network' ? root : root.element('network');
}

/** The bridge of running network `name`, or the VirError libvirt gives for it. */
export function networkBridge(dirs: NetworkDirs, name: string): NetworkBridge {
  const net = readNetwork(path.join(dirs.networkStateDir, `${name}.xml`));
  if (!net) {
    if (fs.existsSync(path.join(dirs.networkConfigDir, `${name}.xml`))) {
      throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_NETWORK, `network '${name}' is not active`);
    }
    throw VirError.create(ErrorNumber.VIR_ERR_NO_NETWORK, ErrorDomain.VIR_FROM_NETWORK, `no network with matching name '${name}'`);
  }
  const mode = net.element('forward')?.attr('mode') ?? 'none';
  const bridge = net.element('bridge')?.attr('name');
  if (!TAP_MODES.has(mode) || !bridge) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      ErrorDomain.VIR_FROM_QEMU,
      `network '${name}' with forward mode '${mode}' is not supported by this driver yet`,
    );
  }
  const mtu = net.element('mtu')?.attr('size');
  return { bridge, mtu: mtu ? Number(mtu) : undefined };
}
