/**
 * The vsh process's entry (`bin/vsh` runs it): the whole CLI is one pre-built bundle, `vsh.cjs`
 * (made at build time from the sources of every package it uses), compiled here from V8's code
 * cache `vsh.cjs.cache` next to it, so a run deserializes compiled code instead of parsing and
 * compiling about 1 MB of JavaScript. The cache is made by the build's warm-up run after it has
 * run the common commands (lazily compiled functions included); a cache that does not fit this
 * bundle or this V8 is ignored and remade at exit where the folder is writable.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

const bundle = path.join(__dirname, 'vsh.cjs');
const cacheFile = `${bundle}.cache`;

/** Says which bundle file and which V8 a cache was made for (V8 itself only checks the source's length). */
function stampOf(file: string): string {
  const st = statSync(file);
  return `vsh-code-cache ${st.size} ${st.mtimeMs} ${process.versions.v8} ${process.arch}\n`;
}

/** The cache made for this bundle and V8, or undefined. */
function readCache(stamp: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const head = Buffer.from(stamp);
  return data.subarray(0, head.length).equals(head) ? data.subarray(head.length) : undefined;
}

/** Replace the cache atomically; a read-only install just runs without one. */
function writeCache(stamp: string, script: vm.Script): void {
  const tmp = `${cacheFile}.${process.pid}`;
  try {
    writeFileSync(tmp, Buffer.concat([Buffer.from(stamp), script.createCachedData()]));
    renameSync(tmp, cacheFile);
  } catch {
    // not writable, or the process is going down: the next run tries again
  }
}

const stamp = stampOf(bundle);
const cachedData = readCache(stamp);
const source = readFileSync(bundle, 'utf8').replace(/^#!/, '//');
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: bundle,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (!cachedData || script.cachedDataRejected) process.on('exit', () => writeCache(stamp, script));
const mod = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(mod.exports, createRequire(bundle), mod, bundle, __dirname);
