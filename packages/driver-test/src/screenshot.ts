/**
 * testDomainScreenshot: every domain, running or not and whatever the screen number, "shows"
 * libvirt's test image, sent as a PNG through the stream (libvirt opens its installed copy as a
 * file stream and names the type image/png).
 */
import type { VirStream } from '@virtkit/core';
import { checkFlags } from './errors';
import { readDataFile } from './package-data';

export async function domainScreenshot(stream: VirStream, flags: number): Promise<string> {
  checkFlags(flags, 0, 'testDomainScreenshot');
  // Handed over whole, not paced by the reader: the caller reads only once it has the type.
  stream.download.end(readDataFile('screenshot/test-screenshot.png'));
  return 'image/png';
}
