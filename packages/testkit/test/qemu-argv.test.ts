/**
 * The text `domxml-to-native qemu-argv` prints on a QEMU connection: libvirt's one-line command
 * (environment, then the quoted arguments, blank-separated, one final newline). driver-qemu's
 * converter is checked against libvirt's qemuxml2argv expectations, whose `.args` hold the same
 * command with one argument per line; the fake host of that test suite stands in for the real one.
 * (test/cli/qemu-live.test.ts runs `vsh domxml-to-native` on a real QEMU connection.)
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { domainXmlToQemuArgv } from '@virtkit/driver-qemu';
import { latestCaps, testHostContext } from '@virtkit/testkit';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');
const CASES = path.join(FIXTURES, 'corpus/qemuxml2argv');

test.each(['audio-none-minimal', 'boot-cdrom', 'disk-cache', 'controller-virtio-scsi'])('%s: the .args command on one line', (name) => {
  const xml = readFileSync(path.join(CASES, `${name}.xml`), 'utf8');
  const lines = readFileSync(path.join(CASES, `${name}.args`), 'utf8')
    .replace(/\n$/, '')
    .split(' \\\n');
  const text = domainXmlToQemuArgv(xml, latestCaps(FIXTURES), testHostContext(FIXTURES));
  expect(text).toBe(`${lines.join(' ')}\n`);
});
