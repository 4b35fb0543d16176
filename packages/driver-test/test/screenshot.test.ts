import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { VirStream } from '@virtkit/core';
import { testIf } from '@virtkit/testkit';
import { failure, open, py } from './helpers';
import type { TestConnection } from '../src/connection';

const IMAGE = readFileSync(path.join(__dirname, '..', 'data', 'screenshot', 'test-screenshot.png'));

/**
 * A PNG's critical chunks (header, palette, pixels) as [type, data hex]: the picture, without the
 * ancillary time and date text that Debian's build rewrote in its installed copy of the image.
 */
function chunks(png: Buffer): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (/^[A-Z]/.test(type)) out.push([type, png.toString('hex', at + 8, at + 8 + len)]);
    at += 12 + len;
  }
  return out;
}

let c: TestConnection;
beforeEach(async () => {
  c = await open();
});
afterEach(async () => {
  await c.close();
});

async function shoot(name: string, screen: number): Promise<[string, Buffer]> {
  const stream = new VirStream();
  const mime = await c.domainScreenshot(await c.domainLookupByName(name), stream, screen, 0);
  return [mime, await stream.receiveAll()];
}

describe('screenshot', () => {
  it("sends libvirt's test image as image/png for any domain and screen, running or not", async () => {
    expect(await shoot('test', 0)).toEqual(['image/png', IMAGE]);
    await c.domainDefineXML("<domain type='test'><name>off</name><memory>1024</memory><os><type>hvm</type></os></domain>");
    expect(await shoot('off', 5)).toEqual(['image/png', IMAGE]);
  });

  it("refuses unknown flags with libvirt's error", async () => {
    const dom = await c.domainLookupByName('test');
    expect(await failure(c.domainScreenshot(dom, new VirStream(), 0, 1))).toEqual([
      8,
      12,
      'unsupported flags (0x1) in function testDomainScreenshot',
    ]);
  });

  testIf('libvirt-python')("is the image libvirt's own test driver sends", async () => {
    const real = py(`st = c.newStream()
mime = c.lookupByName("test").screenshot(st, 0, 0)
data = b""
while True:
    b = st.recv(65536)
    if not b: break
    data += b
st.finish()
out = [mime, data.hex()]`) as [string, string];
    const [mime, ours] = await shoot('test', 0);
    expect(mime).toBe(real[0]);
    expect(chunks(ours)).toEqual(chunks(Buffer.from(real[1], 'hex')));
  });
});
