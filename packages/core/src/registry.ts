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
import { pathToFileURL } from 'node:url';
import type { Driver } from './driver-base';
import { ErrorDomain, ErrorNumber, VirError, isVirError } from './errors';
import { forgetDriverPackages, installedDriverPackages } from './driver-packages';

const drivers = new Map<string, Driver>();
/** The load of the plugins named by VIRTKIT_DRIVERS and drivers.json, started by the first lookup. */
let plugins: Promise<void> | undefined;

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

/** Folders a plugin's package name is resolved from, after core's own. */
function resolutionBases(fallback?: string): string[] {
  const bases = [process.argv[1] ? path.dirname(process.argv[1]) : undefined, process.cwd(), fallback];
  return bases.filter((b): b is string => !!b);
}

/** `file` as import() takes it: a file URL on Windows; a plain path elsewhere (Jest maps import() to require()). */
function importable(file: string): string {
  return process.platform === 'win32' ? pathToFileURL(file).href : file;
}

/**
 * Imports a module by specifier: a package name (resolved from core, then from the main program's
 * folder and the working directory) or a path (relative to the working directory); `fallback` is
 * tried last (the folder a driver package was found in). import() rather than require(), so
 * ESM-only plugins load and core's ESM build has no require to call.
 */
async function importModule(name: string, fallback?: string): Promise<unknown> {
  // import() would take a relative path from core's own folder.
  const spec = name.startsWith('.') ? path.resolve(name) : name;
  let last: unknown;
  try {
    return await import(spec);
  } catch (e) {
    last = e;
  }
  const tried = new Set<string>();
  for (const base of resolutionBases(fallback)) {
    let file: string;
    try {
      file = createRequire(path.join(base, 'noop.js')).resolve(base === fallback ? base : spec);
    } catch {
      continue; // not resolvable from there
    }
    if (tried.has(file)) continue;
    tried.add(file);
    try {
      return await import(importable(file));
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

/** The driver a module exports: `driver`, a default export, or the module itself; a CJS module's exports arrive as `default`. */
function driverOf(mod: unknown, spec: string): Driver {
  const isDriver = (d: unknown): d is Driver => typeof (d as Partial<Driver> | undefined)?.open === 'function';
  const m = mod as { default?: unknown; driver?: unknown };
  const cjs = m.default as { default?: unknown; driver?: unknown } | undefined;
  const d = [m.driver, m.default, cjs?.driver, cjs?.default, mod].find(isDriver);
  if (!d) throw VirError.internal(`module '${spec}' does not export a driver (export 'driver' or a default)`);
  return d;
}

/** Loads and registers the driver exported by a module (npm package name or file path). */
export async function loadDriverPlugin(spec: string, fallback?: string): Promise<Driver> {
  const d = driverOf(await importModule(spec, fallback), spec);
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

async function loadConfiguredPlugins(): Promise<void> {
  for (const spec of configuredPlugins()) await loadDriverPlugin(spec);
}

/** The driver for a URI scheme: registered, plugin, or an installed driver package loaded on demand. */
export async function driverForScheme(scheme: string): Promise<Driver> {
  // Concurrent first opens share one load of the configured plugins.
  plugins ??= loadConfiguredPlugins();
  await plugins;
  const known = drivers.get(scheme);
  if (known) return known;
  // URIs with a transport or a host reach the remote driver package as scheme 'remote'.
  const pkg = installedDriverPackages().get(scheme);
  if (pkg) {
    try {
      return await loadDriverPlugin(pkg.name, pkg.dir);
    } catch (e) {
      if (isVirError(e)) throw e;
      throw VirError.create(
        ErrorNumber.VIR_ERR_NO_CONNECT,
        ErrorDomain.VIR_FROM_NONE,
        `${scheme}:/// (the ${scheme} driver, ${pkg.name}, could not be loaded: ${(e as Error).message})`,
      );
    }
  }
  // The template already reads "no connection driver available for %s".
  throw VirError.create(ErrorNumber.VIR_ERR_NO_CONNECT, ErrorDomain.VIR_FROM_NONE, `${scheme}:///`);
}

/** Forget registrations and plugin state (tests). */
export function resetRegistry(): void {
  drivers.clear();
  plugins = undefined;
  forgetDriverPackages();
}
