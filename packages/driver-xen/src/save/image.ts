/**
 * Saved-domain images in libvirt's libxl layout: a 64-byte header (magic, version, XML length),
 * the domain XML with its NUL, then the toolstack's own save stream. libvirt's payload is libxl's
 * raw stream; here it is what `xl save` writes (xl's header, config and that stream), since `xl`
 * is the toolstack boundary — so images move between virtkit hosts, not to a libvirtd host.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { ErrorNumber } from '@virtkit/core';
import { libxlError } from '../errors';

/** LIBXL_SAVE_MAGIC without its terminating NUL. */
const MAGIC = Buffer.from('libvirt-xml\n \0 \r', 'latin1');
const VERSION = 2;
/** magic, version, xmlLen and ten unused 32-bit words. */
const HEADER_BYTES = MAGIC.length + 4 + 4 + 40;

const failed = (detail: string) => libxlError(ErrorNumber.VIR_ERR_OPERATION_FAILED, detail);

function header(xmlLen: number): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(h, 0);
  h.writeUInt32LE(VERSION, MAGIC.length);
  h.writeUInt32LE(xmlLen, MAGIC.length + 4);
  return h;
}

/**
 * Write the image at `to` from the domain XML and the toolstack's save file, whole or not at all:
 * it is assembled beside `to` and renamed into place.
 */
export async function writeImage(to: string, xml: string, payloadFile: string): Promise<void> {
  const tmp = path.join(path.dirname(to), `.${path.basename(to)}.${randomBytes(6).toString('hex')}`);
  try {
    const xmlBytes = Buffer.concat([Buffer.from(xml, 'utf8'), Buffer.from([0])]);
    const fh = await fs.promises.open(tmp, 'wx', 0o600);
    try {
      await fh.write(Buffer.concat([header(xmlBytes.length), xmlBytes]));
      for await (const chunk of fs.createReadStream(payloadFile)) await fh.write(chunk as Buffer);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(tmp, to);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
}

/** Check that an image can be created at `to` before the domain is suspended into it. */
export async function checkWritable(to: string): Promise<void> {
  try {
    await fs.promises.access(path.dirname(to), fs.constants.W_OK);
  } catch (e) {
    throw failed(`Failed to create domain save file '${to}': ${(e as Error).message}`);
  }
}

/** libxlDomainSaveImageOpen: the XML an image holds and where the toolstack's stream starts. */
export async function readImage(from: string): Promise<{ xml: string; payloadOffset: number }> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(from, 'r');
  } catch (e) {
    throw libxlError(ErrorNumber.VIR_ERR_SYSTEM_ERROR, `Failed to open domain image file '${from}': ${(e as Error).message}`);
  }
  try {
    const h = Buffer.alloc(HEADER_BYTES);
    if ((await fh.read(h, 0, HEADER_BYTES, 0)).bytesRead !== HEADER_BYTES) throw failed('failed to read libxl header');
    if (!h.subarray(0, MAGIC.length).equals(MAGIC)) throw libxlError(ErrorNumber.VIR_ERR_INVALID_ARG, 'image magic is incorrect');
    const version = h.readUInt32LE(MAGIC.length);
    if (version > VERSION) throw failed(`image version is not supported (${version} > ${VERSION})`);
    const xmlLen = h.readInt32LE(MAGIC.length + 4);
    if (xmlLen <= 0) throw failed(`invalid XML length: ${xmlLen}`);
    const xml = Buffer.alloc(xmlLen);
    if ((await fh.read(xml, 0, xmlLen, HEADER_BYTES)).bytesRead !== xmlLen) throw failed('failed to read XML');
    const end = xml.indexOf(0);
    return { xml: xml.subarray(0, end < 0 ? xmlLen : end).toString('utf8'), payloadOffset: HEADER_BYTES + xmlLen };
  } finally {
    await fh.close();
  }
}

/** Copy the toolstack's stream out of an image, for `xl restore` to read as a file of its own. */
export async function extractPayload(from: string, offset: number, to: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
  await pipeline(fs.createReadStream(from, { start: offset }), fs.createWriteStream(to, { mode: 0o600 }));
}
