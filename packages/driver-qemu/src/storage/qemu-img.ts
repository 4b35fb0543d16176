/** qemu-img as the storage driver uses it: probe images, create, convert and resize them. */
import { execFile } from 'node:child_process';
import { fileError, internalError } from './errors';

/** What `qemu-img info --output=json` says about one image (only the parts the driver reads). */
export interface ImageInfo {
  format: string;
  virtualSize: bigint;
  clusterSize?: bigint;
  /** The backing file as qemu resolved it (absolute), and its format when the image names one. */
  backingPath?: string;
  backingFormat?: string;
  /** qcow2 header details: compatibility level and the feature bits libvirt reports. */
  compat?: string;
  features?: string[];
}

export interface QemuImgOptions {
  /** The binary (default `qemu-img` from PATH). */
  binary?: string;
  /** Upper bound for one invocation, ms (default 10 minutes: converts of large images take a while). */
  timeoutMs?: number;
}

/** Runs qemu-img; failures become libvirt's "Child process (...) unexpected exit status" errors. */
export class QemuImg {
  private readonly binary: string;
  private readonly timeoutMs: number;

  constructor(opts: QemuImgOptions = {}) {
    this.binary = opts.binary ?? 'qemu-img';
    this.timeoutMs = opts.timeoutMs ?? 600_000;
  }

  /** Run with `args`; resolves with stdout. */
  run(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(this.binary, args, { timeout: this.timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { code?: unknown };
        if (e.code === 'ENOENT') return reject(fileError(e, `Cannot find '${this.binary}' in path`));
        const status = typeof e.code === 'number' ? e.code : -1;
        const cmd = [this.binary, ...args].join(' ');
        reject(internalError(`Child process (${cmd}) unexpected exit status ${status}: ${stderr.trim()}`));
      });
    });
  }

  /**
   * Probe one image. `-U` reads images a running guest holds locked, and qemu-img does not open
   * the backing chain, so a missing backing file still gives an answer.
   */
  async info(file: string, format?: string): Promise<ImageInfo> {
    const args = ['info', '-U', '--output=json', ...(format ? ['-f', format] : []), file];
    return parseImageInfo(await this.run(args));
  }
}

/** The number after `"key":` kept exact (JSON.parse would round sizes above 2^53). */
function exactInt(json: string, key: string): bigint | undefined {
  const m = new RegExp(`"${key}":\\s*(\\d+)`).exec(json);
  return m ? BigInt(m[1]) : undefined;
}

/** Parse `qemu-img info --output=json` of one image. */
export function parseImageInfo(json: string): ImageInfo {
  const doc = JSON.parse(json) as Record<string, unknown>;
  const info: ImageInfo = { format: String(doc.format), virtualSize: exactInt(json, 'virtual-size') ?? 0n };
  const cluster = exactInt(json, 'cluster-size');
  if (cluster !== undefined) info.clusterSize = cluster;
  const backing = (doc['full-backing-filename'] ?? doc['backing-filename']) as string | undefined;
  if (backing !== undefined) info.backingPath = backing;
  if (typeof doc['backing-filename-format'] === 'string') info.backingFormat = doc['backing-filename-format'];
  const specific = doc['format-specific'] as { type?: string; data?: Record<string, unknown> } | undefined;
  if (specific?.type === 'qcow2' && specific.data) {
    info.compat = String(specific.data.compat);
    info.features = [];
    if (specific.data['lazy-refcounts'] === true) info.features.push('lazy_refcounts');
    if (specific.data['extended-l2'] === true) info.features.push('extended_l2');
  }
  return info;
}
