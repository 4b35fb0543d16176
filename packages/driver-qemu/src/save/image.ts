/**
 * libvirt's QEMU save image (virQEMUSaveHeader): the 16-byte magic `LibvirtQemudSave`, then
 * version 2, the length of the data after the header, whether the domain was running, the
 * compression (0: raw), the cookie offset and 14 unused words, all 32-bit in host (little)
 * endianness; then the domain XML, NUL-terminated; then QEMU's migration stream.
 */
import * as fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { ErrorNumber, VirError } from '@virtkit/core';
import { FROM_QEMU } from '../domains/errors';

const MAGIC = 'LibvirtQemudSave';
const VERSION = 2;
export const HEADER_BYTES = 16 + 4 * 19;

export interface SaveImage {
  xml: string;
  wasRunning: boolean;
  /** Where QEMU's migration stream starts. */
  streamOffset: number;
}

/** The header and XML of an image; QEMU appends its stream after them. */
export function encodeImageHead(xml: string, wasRunning: boolean): Buffer {
  const data = Buffer.from(`${xml}\0`, 'utf8');
  const head = Buffer.alloc(HEADER_BYTES);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(VERSION, 16);
  head.writeUInt32LE(data.length, 20);
  head.writeUInt32LE(wasRunning ? 1 : 0, 24);
  return Buffer.concat([head, data]);
}

function badImage(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_OPERATION_FAILED, FROM_QEMU, detail);
}

/** Read an image's header and XML (libvirt's qemuSaveImageOpen checks). */
export function readImageHead(file: string): SaveImage {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw VirError.create(ErrorNumber.VIR_ERR_SYSTEM_ERROR, FROM_QEMU, `cannot open file '${file}': ${(e as Error).message}`);
  }
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    if (fs.readSync(fd, head, 0, HEADER_BYTES, 0) < HEADER_BYTES) throw badImage('failed to read qemu header');
    if (head.toString('latin1', 0, 16) !== MAGIC) throw badImage('image magic is incorrect');
    const version = head.readUInt32LE(16);
    if (version > VERSION) throw badImage(`image version is not supported (${version} > ${VERSION})`);
    const length = head.readUInt32LE(20);
    if (head.readUInt32LE(28) !== 0) throw badImage('compressed save images are not supported here');
    const data = Buffer.alloc(length);
    if (fs.readSync(fd, data, 0, length, HEADER_BYTES) < length) throw badImage('failed to read domain XML');
    const end = data.indexOf(0);
    return {
      xml: data.toString('utf8', 0, end < 0 ? length : end),
      wasRunning: head.readUInt32LE(24) === 1,
      streamOffset: HEADER_BYTES + length,
    };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Replace the XML and saved state of an image atomically: a new file beside it with the new
 * header and a copy of QEMU's stream, renamed over it, so a crash leaves one image or the other.
 */
export async function rewriteImageHead(file: string, xml: string, wasRunning: boolean): Promise<void> {
  const image = readImageHead(file);
  const tmp = `${file}.new`;
  try {
    await fs.promises.writeFile(tmp, encodeImageHead(xml, wasRunning), { mode: 0o600, flag: 'wx' });
    await pipeline(fs.createReadStream(file, { start: image.streamOffset }), fs.createWriteStream(tmp, { flags: 'a' }));
    const out = await fs.promises.open(tmp, 'r');
    await out.sync().finally(() => out.close());
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
  await fs.promises.rename(tmp, file);
}
