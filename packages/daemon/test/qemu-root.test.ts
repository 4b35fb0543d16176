/** `qemu_root` / `--qemu-root`: the setting (what it does to the URIs opened: open-policy.test.ts). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultConfig, parseCommandLine, parseConfigText } from '../src/config';

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
});
