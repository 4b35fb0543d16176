/**
 * Finds the installed driver packages: any package under the `@virtkit` scope, or named
 * `virtkit-driver-*` (optionally scoped), whose package.json declares
 * `"virtkit": {"driver": {"schemes": [...]}}`. Searched in every `node_modules` folder on the
 * module path of the main program, the working directory and core itself, nearest first, so
 * the program's own dependencies win.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface DriverManifest {
  name?: string;
  virtkit?: { driver?: { schemes?: unknown } };
}

/** What a package declares, or undefined when it is not a driver package. */
function manifestSchemes(dir: string): { name: string; schemes: string[] } | undefined {
  let manifest: DriverManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as DriverManifest;
  } catch {
    return undefined;
  }
  const schemes = manifest.virtkit?.driver?.schemes;
  if (!manifest.name || !Array.isArray(schemes)) return undefined;
  return { name: manifest.name, schemes: schemes.filter((s): s is string => typeof s === 'string') };
}

function isDriverCandidate(scope: string | null, name: string): boolean {
  return scope === '@virtkit' || name.startsWith('virtkit-driver-');
}

/** Candidate package folders of one node_modules folder. */
function candidatesIn(nodeModules: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(nodeModules);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.startsWith('@')) {
      if (isDriverCandidate(null, entry)) found.push(path.join(nodeModules, entry));
      continue;
    }
    let scoped: string[] = [];
    try {
      scoped = fs.readdirSync(path.join(nodeModules, entry));
    } catch {
      continue;
    }
    for (const name of scoped) if (isDriverCandidate(entry, name)) found.push(path.join(nodeModules, entry, name));
  }
  return found;
}

function nodeModulesChain(from: string): string[] {
  const chain: string[] = [];
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (path.basename(dir) !== 'node_modules') chain.push(path.join(dir, 'node_modules'));
    if (dir === path.dirname(dir)) return chain;
  }
}

export interface DriverPackage {
  /** The package name, loaded by name first (so a program's module mapping applies). */
  name: string;
  /** The folder it was found in, the fallback when the name does not resolve from here. */
  dir: string;
}

let cache: Map<string, DriverPackage> | undefined;

/** Scheme → installed driver package; the nearest declaration of a scheme wins. */
export function installedDriverPackages(): Map<string, DriverPackage> {
  if (cache) return cache;
  // Core's own folder is known in its builds; its source run as an ES module (tsx) has no __dirname.
  const here = typeof __dirname === 'string' ? __dirname : undefined;
  const starts = [process.argv[1] ? path.dirname(process.argv[1]) : undefined, process.cwd(), here];
  const byScheme = new Map<string, DriverPackage>();
  // The three starts share most of their chains: read each node_modules folder once.
  const read = new Set<string>();
  for (const start of starts) {
    if (!start) continue;
    for (const nodeModules of nodeModulesChain(start)) {
      if (read.has(nodeModules)) continue;
      read.add(nodeModules);
      for (const dir of candidatesIn(nodeModules)) {
        const manifest = manifestSchemes(dir);
        if (!manifest) continue;
        for (const scheme of manifest.schemes.map((s) => s.toLowerCase())) {
          if (!byScheme.has(scheme)) byScheme.set(scheme, { name: manifest.name, dir });
        }
      }
    }
  }
  cache = byScheme;
  return byScheme;
}

/** Forget what was found (tests that install packages while running). */
export function forgetDriverPackages(): void {
  cache = undefined;
}
