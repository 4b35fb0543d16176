/** `qemu_root` / `--qemu-root`: which URI virtkitd opens for the `qemu:///system` a client names. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseUri } from '@virtkit/core';
import { defaultConfig, parseCommandLine, parseConfigText } from '../src/config';
import { uriToOpen } from '../src/uri-map';

describe('qemu_root', () => {
  test('set by the config file or the command line, which wins; off by default', () => {
    expect(defaultConfig().qemuRoot).toBeNull();
    expect(parseConfigText('qemu_root = "/srv/vk"\n', defaultConfig()).qemuRoot).toBe('/srv/vk');
    expect(parseConfigText('{"qemu_root": "/srv/j/"}', defaultConfig()).qemuRoot).toBe('/srv/j');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkitd-qroot-'));
    const file = path.join(dir, 'virtkitd.conf');
    fs.writeFileSync(file, 'qemu_root = "/from/file"\n');
    try {
      expect(parseCommandLine(['--config', file]).config.qemuRoot).toBe('/from/file');
      expect(parseCommandLine(['--config', file, '--qemu-root', '/from/cli']).config.qemuRoot).toBe('/from/cli');
      expect(parseCommandLine(['--qemu-root=/x/../y']).config.qemuRoot).toBe('/y');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a relative or empty root is refused', () => {
    expect(() => parseConfigText('qemu_root = "rel/dir"', defaultConfig())).toThrow(/'qemu_root' needs an absolute path/);
    expect(() => parseConfigText('qemu_root = ""', defaultConfig())).toThrow(/absolute path/);
    expect(() => parseCommandLine(['--qemu-root'])).toThrow(/needs a value/);
  });

  test('qemu:///system is served from qemu:///embed?root=DIR; other URIs are opened as named', () => {
    const opened = uriToOpen(parseUri('qemu:///system'), '/srv/vk root');
    expect(opened).toMatchObject({ driver: 'qemu', path: '/embed', host: null });
    expect(opened.params.get('root')).toBe('/srv/vk root');
    for (const name of ['qemu:///session', 'qemu:///embed?root=/other', 'test:///default', 'qemu://elsewhere/system']) {
      const asked = parseUri(name);
      expect(uriToOpen(asked, '/srv/vk')).toBe(asked);
    }
    const asked = parseUri('qemu:///system');
    expect(uriToOpen(asked, null)).toBe(asked);
  });
});
