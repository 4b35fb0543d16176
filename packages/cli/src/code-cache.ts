/**
 * Runs a pre-built CommonJS bundle compiled from V8's code cache, `<file>.cache` beside it, so a
 * vsh run deserializes compiled code instead of parsing and compiling its JavaScript. A cache
 * that does not fit the file or this V8 is ignored and remade at exit (with the functions the run
 * compiled) where the folder is writable.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** Says which file and which V8 a cache was made for (V8 itself only checks the source's length). */
function stampOf(file: string): Buffer {
  const st = statSync(file);
  return Buffer.from(`vsh-code-cache ${st.size} ${st.mtimeMs} ${process.versions.v8} ${process.arch}\n`);
}

/** The cache made for this file and V8, or undefined. */
function readCache(cacheFile: string, stamp: Buffer): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  return data.subarray(0, stamp.length).equals(stamp) ? data.subarray(stamp.length) : undefined;
}

/** Replace the cache atomically; a read-only install just runs without one. */
function writeCache(cacheFile: string, stamp: Buffer, script: vm.Script): void {
  const tmp = `${cacheFile}.${process.pid}`;
  try {
    writeFileSync(tmp, Buffer.concat([stamp, script.createCachedData()]));
    renameSync(tmp, cacheFile);
  } catch {
    // not writable, or the process is going down: a later run tries again
  }
}

/**
 * Run the bundle `file` as a CommonJS module and return its exports. `shared` gives the modules
 * its `require` returns instead of loading them (the packages a side bundle shares with vsh's).
 */
export function runCached(file: string, shared: Record<string, unknown> = {}): unknown {
  const cacheFile = `${file}.cache`;
  const stamp = stampOf(file);
  const cachedData = readCache(cacheFile, stamp);
  const source = readFileSync(file, 'utf8').replace(/^#!/, '//');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (!cachedData || script.cachedDataRejected) process.on('exit', () => writeCache(cacheFile, stamp, script));
  const load = createRequire(file);
  const req = Object.assign((id: string) => (id in shared ? shared[id] : load(id)), { resolve: load.resolve });
  const mod = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(mod.exports, req, mod, file, path.dirname(file));
  return mod.exports;
}
