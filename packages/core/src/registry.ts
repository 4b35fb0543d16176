/**
 * Which driver serves which URI scheme. Installed driver packages declare their schemes in their
 * package.json (`"virtkit": {"driver": {"schemes": ["qemu"]}}`) and are loaded on first use of a
 * scheme; core names none of them. Other drivers come in as plugins: registered explicitly, or
 * named in the `VIRTKIT_DRIVERS` environment variable (comma-separated module specifiers) or in
 * the config file (`$VIRTKIT_CONFIG`, else `$XDG_CONFIG_HOME/virtkit/drivers.json`:
 * `{"drivers": [...]}`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type { Driver } from './driver-base';
import { ErrorDomain, ErrorNumber, VirError } from './errors';
import { forgetDriverPackages, installedDriverPackages } from './driver-packages';

const drivers = new Map<string, Driver>();
let pluginsLoaded = false;

/** Make `driver` serve its schemes, replacing any earlier driver of the same scheme. */
export function registerDriver(driver: Driver): void {
  if (!driver || typeof driver.open !== 'function' || !Array.isArray(driver.schemes)) {
    throw VirError.invalidArg('a driver must have a name, a list of schemes and an open() method');
  }
  for (const s of driver.schemes) drivers.set(s.toLowerCase(), driver);
}

/** The drivers registered so far, one entry per driver. */
export function registeredDrivers(): Driver[] {
  return [...new Set(drivers.values())];
}

/**
 * Loads a module by specifier: a package name (resolved from here, then from the working
 * directory) or a path; `fallback` is tried last (the folder a driver package was found in).
 */
function loadModule(spec: string, fallback?: string): unknown {
  const candidates = [spec];
  try {
    candidates.push(createRequire(path.join(process.cwd(), 'noop.js')).resolve(spec));
  } catch {
    // not resolvable from the working directory; the plain specifier may still resolve
  }
  if (fallback) candidates.push(fallback);
  let last: unknown;
  for (const c of candidates) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- plugins are named at run time
      return require(c);
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

function driverOf(mod: unknown, spec: string): Driver {
  const m = mod as { default?: Driver; driver?: Driver } & Partial<Driver>;
  const d = m.driver ?? m.default ?? (m.open ? (m as Driver) : undefined);
  if (!d) throw VirError.internal(`module '${spec}' does not export a driver (export 'driver' or a default)`);
  return d;
}

/** Loads and registers the driver exported by a module (npm package name or file path). */
export function loadDriverPlugin(spec: string, fallback?: string): Driver {
  const d = driverOf(loadModule(spec, fallback), spec);
  registerDriver(d);
  return d;
}

function configuredPlugins(): string[] {
  const fromEnv = (process.env.VIRTKIT_DRIVERS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const file =
    process.env.VIRTKIT_CONFIG ?? path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'virtkit', 'drivers.json');
  let fromFile: string[] = [];
  if (fs.existsSync(file)) {
    const conf = JSON.parse(fs.readFileSync(file, 'utf8')) as { drivers?: string[] };
    fromFile = (conf.drivers ?? []).map((d) => (d.startsWith('.') ? path.resolve(path.dirname(file), d) : d));
  }
  return [...fromEnv, ...fromFile];
}

/** The driver for a URI scheme: registered, plugin, or an installed driver package loaded on demand. */
export function driverForScheme(scheme: string): Driver {
  if (!pluginsLoaded) {
    pluginsLoaded = true;
    for (const spec of configuredPlugins()) loadDriverPlugin(spec);
  }
  const known = drivers.get(scheme);
  if (known) return known;
  // URIs with a transport or a host reach the remote driver package as scheme 'remote'.
  const pkg = installedDriverPackages().get(scheme);
  if (pkg) {
    try {
      return loadDriverPlugin(pkg.name, pkg.dir);
    } catch (e) {
      if (e instanceof VirError) throw e;
      throw VirError.create(
        ErrorNumber.VIR_ERR_NO_CONNECT,
        ErrorDomain.VIR_FROM_NONE,
        `the ${scheme} driver (${pkg.name}) could not be loaded: ${(e as Error).message}`,
      );
    }
  }
  throw VirError.create(ErrorNumber.VIR_ERR_NO_CONNECT, ErrorDomain.VIR_FROM_NONE, `no connection driver available for ${scheme}:///`);
}

/** Forget registrations and plugin state (tests). */
export function resetRegistry(): void {
  drivers.clear();
  pluginsLoaded = false;
  forgetDriverPackages();
}
