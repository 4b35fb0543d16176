/**
 * The bridge of a virtual network, for `<interface type='network'>`: read from the network
 * driver's files, as the QEMU driver does (each running network's status XML is
 * `<state dir>/NAME.xml`, a `<network>` bare or inside `<networkstatus>`; definitions are in
 * `<config dir>/NAME.xml`), so a network started by any process is found. The directories are
 * those of `qemu:///system`'s network driver, or `VIRTKIT_LXC_NETWORK_STATE_DIR` /
 * `VIRTKIT_LXC_NETWORK_CONFIG_DIR`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseXml } from '@virtkit/xml';

/** Forward modes whose guests plug into the network's bridge. */
const BRIDGED_MODES = new Set(['none', 'nat', 'route', 'open', 'bridge']);

export function networkBridge(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const stateDir = env.VIRTKIT_LXC_NETWORK_STATE_DIR || '/run/virtkit/network';
  const configDir = env.VIRTKIT_LXC_NETWORK_CONFIG_DIR || '/etc/virtkit/qemu/networks';
  let text: string;
  try {
    text = fs.readFileSync(path.join(stateDir, `${name}.xml`), 'utf8');
  } catch {
    if (fs.existsSync(path.join(configDir, `${name}.xml`))) {
      throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_NETWORK, `network '${name}' is not active`);
    }
    throw VirError.create(ErrorNumber.VIR_ERR_NO_NETWORK, ErrorDomain.VIR_FROM_NETWORK, `no network with matching name '${name}'`);
  }
  const root = parseXml(text);
  const net = root.name === 'network' ? root : root.element('network');
  const mode = net?.element('forward')?.attr('mode') ?? 'none';
  const bridge = net?.element('bridge')?.attr('name');
  if (!BRIDGED_MODES.has(mode) || !bridge) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      ErrorDomain.VIR_FROM_LXC,
      `network '${name}' with forward mode '${mode}' is not supported by this driver yet`,
    );
  }
  return bridge;
}
