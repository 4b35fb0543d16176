/**
 * The drivers vsh ships with, each loaded only when a connection needs it: a process running
 * `list` on test:///default never loads (or compiles) the QEMU driver, and finds its driver
 * without scanning node_modules for driver packages. Other schemes, and drivers configured as
 * plugins (which still win), go through core's registry as before.
 */
import { defaultUri, isRemoteUri, parseUri, registerDriver, registeredDrivers, type Driver } from '@virtkit/core';

type DriverModule = { driver?: unknown; default?: unknown };

const FIRST_PARTY: Record<string, () => Promise<DriverModule>> = {
  test: () => import('@virtkit/driver-test'),
  qemu: () => import('@virtkit/driver-qemu'),
  lxc: () => import('@virtkit/driver-lxc'),
  xen: () => import('@virtkit/driver-xen'),
  remote: () => import('@virtkit/remote'),
};

/** The scheme open() will ask the registry for, or null when the URI does not parse (open reports that). */
function schemeOf(uri: string | null): string | null {
  try {
    const parsed = parseUri(uri ?? defaultUri());
    return isRemoteUri(parsed) ? 'remote' : parsed.driver.toLowerCase();
  } catch {
    return null;
  }
}

/** Register the first-party driver `uri` needs, unless a driver already serves its scheme. */
export async function registerDriverFor(uri: string | null): Promise<void> {
  const scheme = schemeOf(uri);
  const load = scheme === null ? undefined : FIRST_PARTY[scheme];
  if (!load || registeredDrivers().some((d) => d.schemes.some((s) => s.toLowerCase() === scheme))) return;
  const mod = await load();
  const d = (mod.driver ?? mod.default) as Driver | undefined;
  if (d && typeof d.open === 'function' && Array.isArray(d.schemes)) registerDriver(d);
}
