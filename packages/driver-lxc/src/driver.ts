/**
 * The `lxc` driver: `lxc:///` (also `lxc:///system`), served in-process. Running containers
 * belong to their controller processes, not to the driver: they stay up across restarts of the
 * API process and are found again on open.
 */
import { ErrorDomain, ErrorNumber, VirError, type Driver, type DriverConnection, type OpenOptions, type ParsedUri } from '@virtkit/core';
import { LxcConnection } from './connection';
import { controllerProgram } from './container/controller';
import { hostArch, lxcCapabilities, machineUuid, type LxcHost } from './host/capabilities';
import { LxcDriver } from './lxc-driver';
import { lxcPaths } from './paths';

/**
 * One driver state per tree for the life of the process, as libvirt's LXC state driver lives as
 * long as the daemon: why a container stopped outlives the connections.
 */
const states = new Map<string, { driver: Promise<LxcDriver> }>();

/** A virtual network's bridge: virtkit's network driver names it in its status, else libvirt's default naming. */
function bridgeOfNetwork(network: string): string {
  throw VirError.create(
    ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
    ErrorDomain.VIR_FROM_LXC,
    `Network '${network}' cannot be resolved by the LXC driver yet: use <interface type='bridge'>`,
  );
}

export const driver: Driver = {
  name: 'lxc',
  schemes: ['lxc'],
  async open(uri: ParsedUri, _opts: OpenOptions): Promise<DriverConnection> {
    if (uri.path !== '' && uri.path !== '/' && uri.path !== '/system') {
      throw VirError.create(
        ErrorNumber.VIR_ERR_INTERNAL_ERROR,
        ErrorDomain.VIR_FROM_LXC,
        `Unexpected LXC URI path '${uri.path}', try lxc:///`,
      );
    }
    const paths = lxcPaths();
    const host: LxcHost = { arch: hostArch(), emulator: controllerProgram(), uuid: machineUuid() };
    const key = paths.configDir;
    let entry = states.get(key);
    if (!entry) {
      const created = { driver: LxcDriver.open(paths, lxcCapabilities(host), bridgeOfNetwork) };
      created.driver.catch(() => states.get(key) === created && states.delete(key));
      states.set(key, created);
      entry = created;
    }
    const d = await entry.driver;
    return new LxcConnection(d, host, () => undefined);
  },
};
