/**
 * The `xen` driver: `xen:///system`, served in-process through the xl toolstack. Running domains
 * belong to Xen, not to the driver: they stay up across restarts and are found again on open.
 */
import { ErrorDomain, ErrorNumber, VirError, type Driver, type DriverConnection, type OpenOptions, type ParsedUri } from '@virtkit/core';
import { XenConnection } from './connection';
import { xenPaths } from './paths';
import { XlCommand } from './toolstack/xl';
import { XenDriver } from './xen-driver';

/**
 * One driver state per tree for the life of the process, as libvirt's libxl state driver lives as
 * long as the daemon: what the toolstack does not record (why a domain stopped) outlives the
 * connections. It polls only while a connection is open.
 */
const states = new Map<string, { driver: Promise<XenDriver>; connections: number }>();

export const driver: Driver = {
  name: 'xen',
  schemes: ['xen'],
  async open(uri: ParsedUri, _opts: OpenOptions): Promise<DriverConnection> {
    if (uri.path !== '' && uri.path !== '/' && uri.path !== '/system') {
      throw VirError.create(
        ErrorNumber.VIR_ERR_INTERNAL_ERROR,
        ErrorDomain.VIR_FROM_LIBXL,
        `unexpected Xen URI path '${uri.path}', try xen:///system`,
      );
    }
    const paths = xenPaths();
    const key = `${paths.configDir}\0${paths.xl}`;
    let entry = states.get(key);
    if (!entry) {
      const created = { driver: XenDriver.open(paths, new XlCommand(paths.xl, paths.xenstoreRead)), connections: 0 };
      created.driver.catch(() => states.get(key) === created && states.delete(key));
      states.set(key, created);
      entry = created;
    }
    const held = entry;
    const d = await held.driver;
    if (held.connections++ === 0) d.startPolling();
    return new XenConnection(d, () => {
      if (--held.connections === 0) d.stopPolling();
    });
  },
};
