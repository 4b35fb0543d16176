/**
 * Capability cache (libvirt's virQEMUCapsCache / virFileCache): one JSON file per binary in
 * `<cacheDir>/<sha256 of the binary path>.json`, holding the probed QemuCaps plus what makes it
 * valid — the binary's ctime and virtkit's version. An entry is reused while both match and
 * re-probed otherwise.
 *
 * Concurrency: opens in one process share a promise per binary; across processes a lock file
 * (`<hash>.lock`, created O_EXCL, holding the owner's pid) makes one process probe while the
 * others wait and then read its result. A lock whose owner is dead, or older than the stale
 * bound, is broken. Cache files are written atomically (temp file, fsync, rename).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic, pidAlive, sleep } from '../fsutil';
import pkg from '../../package.json';
import { probeBinary } from './probe';
import type { QemuCaps } from './types';

/** virtkit's version, part of the cache key. */
export const VIRTKIT_VERSION: string = (pkg as { version: string }).version;

/**
 * Layout of a cache file. Bump it whenever the probe records more: files of an older layout are
 * re-probed even within one virtkit version (development builds share a version number).
 * 2: host CPU expansion properties (`hostCpuProps`).
 */
const CACHE_FORMAT = 2;

interface CacheFile {
  format: typeof CACHE_FORMAT;
  binary: string;
  ctimeMs: number;
  virtkitVersion: string;
  probedAt: string;
  probeMs: number;
  caps: Omit<QemuCaps, 'flags'> & { flags: string[] };
}

export interface QemuCapsCacheOptions {
  /** Directory of the cache files (`<paths.cacheDir>/capabilities`). */
  dir: string;
  /** Version recorded in / required of cache entries (default: the package version). */
  version?: string;
  /** The probe (default: probeBinary). Tests inject a counting one. */
  probe?: (binary: string) => Promise<QemuCaps>;
  /** How long to wait for another process' lock before breaking it (ms). Default 120 000. */
  lockStaleMs?: number;
}

export function capsToJson(c: QemuCaps): CacheFile['caps'] {
  return { ...c, flags: [...c.flags].sort() };
}

export function capsFromJson(c: CacheFile['caps']): QemuCaps {
  return { ...c, flags: new Set(c.flags) };
}

export class QemuCapsCache {
  readonly dir: string;
  readonly version: string;
  private readonly probe: (binary: string) => Promise<QemuCaps>;
  private readonly lockStaleMs: number;
  private readonly inflight = new Map<string, Promise<QemuCaps>>();
  private readonly memory = new Map<string, { ctimeMs: number; caps: QemuCaps }>();
  /** Counters: probes run by this instance, cache-file hits, in-memory hits. */
  readonly stats = { probes: 0, fileHits: 0, memoryHits: 0 };

  constructor(opts: QemuCapsCacheOptions) {
    this.dir = opts.dir;
    this.version = opts.version ?? VIRTKIT_VERSION;
    this.probe = opts.probe ?? ((b) => probeBinary(b));
    this.lockStaleMs = opts.lockStaleMs ?? 120_000;
  }

  /** Cache file of a binary. */
  fileFor(binary: string): string {
    return path.join(this.dir, `${createHash('sha256').update(binary).digest('hex')}.json`);
  }

  /** Capabilities of `binary` (absolute path), probing only when the cache is missing or stale. */
  get(binary: string): Promise<QemuCaps> {
    const ctimeMs = fs.statSync(binary).ctimeMs;
    const mem = this.memory.get(binary);
    if (mem && mem.ctimeMs === ctimeMs) {
      this.stats.memoryHits++;
      return Promise.resolve(mem.caps);
    }
    let p = this.inflight.get(binary);
    if (!p) {
      p = this.load(binary).finally(() => this.inflight.delete(binary));
      this.inflight.set(binary, p);
    }
    return p;
  }

  /** Drop the in-memory copy (the file stays). */
  forget(binary: string): void {
    this.memory.delete(binary);
  }

  private readValid(binary: string, file: string, ctimeMs: number): QemuCaps | undefined {
    try {
      const c = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
      if (c.format !== CACHE_FORMAT || c.binary !== binary || c.ctimeMs !== ctimeMs || c.virtkitVersion !== this.version) return undefined;
      return capsFromJson(c.caps);
    } catch {
      return undefined;
    }
  }

  private async load(binary: string): Promise<QemuCaps> {
    const file = this.fileFor(binary);
    const ctimeMs = () => fs.statSync(binary).ctimeMs;
    const hit = this.readValid(binary, file, ctimeMs());
    if (hit) {
      this.stats.fileHits++;
      this.memory.set(binary, { ctimeMs: ctimeMs(), caps: hit });
      return hit;
    }
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o755 });
    const release = await this.lock(`${file.slice(0, -'.json'.length)}.lock`);
    try {
      // Another process may have probed while we waited for the lock.
      const ct = ctimeMs();
      const again = this.readValid(binary, file, ct);
      if (again) {
        this.stats.fileHits++;
        this.memory.set(binary, { ctimeMs: ct, caps: again });
        return again;
      }
      const t0 = performance.now();
      this.stats.probes++;
      const caps = await this.probe(binary);
      const entry: CacheFile = {
        format: CACHE_FORMAT,
        binary,
        ctimeMs: ct,
        virtkitVersion: this.version,
        probedAt: new Date().toISOString(),
        probeMs: Math.round(performance.now() - t0),
        caps: capsToJson(caps),
      };
      await writeFileAtomic(file, JSON.stringify(entry), 0o644);
      this.memory.set(binary, { ctimeMs: ct, caps });
      return caps;
    } finally {
      release();
    }
  }

  /** Take the cross-process lock file; resolves with its release. */
  private async lock(lockFile: string): Promise<() => void> {
    let delay = 5;
    for (;;) {
      try {
        const fd = fs.openSync(lockFile, 'wx', 0o644);
        fs.writeSync(fd, `${process.pid}\n`);
        fs.closeSync(fd);
        return () => fs.rmSync(lockFile, { force: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      // Break a lock whose owner died or that is too old.
      try {
        const owner = Number(fs.readFileSync(lockFile, 'utf8').trim());
        const age = Date.now() - fs.statSync(lockFile).mtimeMs;
        if ((owner > 0 && owner !== process.pid && !pidAlive(owner)) || age > this.lockStaleMs) {
          fs.rmSync(lockFile, { force: true });
          continue;
        }
      } catch {
        continue; // vanished meanwhile
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 100);
    }
  }
}

/** `qemu-system-*` binaries in PATH plus configured emulators (absolute paths, deduplicated). */
export function findQemuBinaries(extra: string[] = [], envPath = process.env.PATH ?? ''): string[] {
  const out = new Set<string>();
  for (const dir of envPath.split(':').filter(Boolean)) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names.sort()) {
      if (!/^qemu-system-[A-Za-z0-9_-]+$/.test(n)) continue;
      const p = path.join(dir, n);
      try {
        fs.accessSync(p, fs.constants.X_OK);
        out.add(p);
      } catch {
        /* not executable */
      }
    }
  }
  for (const e of extra) if (fs.existsSync(e)) out.add(path.resolve(e));
  return [...out];
}
