/**
 * The tiny guest fixture boots Debian's kernel to its busybox init under QEMU TCG, says so on the
 * serial console, and powers off when the ACPI power button is pressed (what later tests of
 * networking, the agent and virDomainShutdown rely on).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeIf, QEMU_SYSTEM, tinyGuest, tinyGuestSaid, waitFor } from '@virtkit/testkit';

describeIf('qemu', 'tiny-guest')('tiny guest', () => {
  test('boots to userspace under TCG and powers off on the ACPI power button', async () => {
    const { kernel, initrd } = tinyGuest();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiny-guest-'));
    const log = path.join(dir, 'console.log');
    const qemu = spawn(
      QEMU_SYSTEM,
      [
        '-machine',
        'pc,accel=tcg',
        '-m',
        '128',
        '-nodefaults',
        '-display',
        'none',
        '-no-reboot',
        '-serial',
        `file:${log}`,
        '-monitor',
        'stdio',
        '-kernel',
        kernel,
        '-initrd',
        initrd,
        '-append',
        'console=ttyS0 quiet tg.counter=0',
      ],
      { stdio: ['pipe', 'ignore', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) => qemu.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => tinyGuestSaid(log, /^acpid ready$/) !== null, 150_000, 'the guest to reach userspace');
      expect(tinyGuestSaid(log, /^userspace at \d+\.\d+s$/)).not.toBeNull();
      qemu.stdin.write('system_powerdown\n');
      expect(await exited).toBe(0);
      expect(tinyGuestSaid(log, /^power button, powering off$/)).not.toBeNull();
    } finally {
      qemu.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 200_000);
});
