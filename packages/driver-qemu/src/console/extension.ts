/**
 * virDomainOpenConsole for the QEMU driver: the pty of a console, serial or parallel port of a
 * running domain joined to a stream, one session per device (libvirt's qemuDomainOpenConsole).
 */
import { ChrdevSessions, DomainConsoleFlags as C, VirError, type DriverConnection } from '@virtkit/core';
import type { DomainDevice } from '@virtkit/xml';
import type { QemuConnectionExtension, QemuDriverExtension } from '../connection-extensions';
import { checkFlags, FROM_QEMU, notRunning } from '../domains/errors';
import type { QemuDriver } from '../qemu-driver';

const sessionsByDriver = new WeakMap<QemuDriver, ChrdevSessions>();

function sessionsOf(driver: QemuDriver): ChrdevSessions {
  let s = sessionsByDriver.get(driver);
  if (!s) {
    s = new ChrdevSessions(FROM_QEMU);
    sessionsByDriver.set(driver, s);
  }
  return s;
}

/** The device a console name means: by alias among consoles, serials, parallels; else the first console or serial. */
function findChardev(devices: readonly DomainDevice[], devName: string | null): DomainDevice | undefined {
  const ofKind = (k: string) => devices.filter((d) => d.kind === k);
  if (devName === null) return ofKind('console')[0] ?? ofKind('serial')[0];
  return ['console', 'serial', 'parallel'].flatMap(ofKind).find((d) => d.el.element('alias')?.attr('name') === devName);
}

export const consoleHooks: QemuDriverExtension = (driver) => {
  driver.addHooks({ closing: async () => sessionsOf(driver).closeAll() });
};

export const consoleMethods: QemuConnectionExtension = (driver): Pick<Required<DriverConnection>, 'domainOpenConsole'> => ({
  async domainOpenConsole(dom, devName, stream, flags) {
    checkFlags(flags, C.VIR_DOMAIN_CONSOLE_FORCE | C.VIR_DOMAIN_CONSOLE_SAFE, 'qemuDomainOpenConsole');
    const obj = driver.domains.get(dom);
    if (!obj.active) throw notRunning();
    const chr = findChardev(obj.def.devices, devName);
    if (!chr) throw VirError.internal(`cannot find character device ${devName ?? '<null>'}`, FROM_QEMU);
    const path = chr.el.element('source')?.attr('path');
    if (chr.el.attr('type') !== 'pty' || !path) {
      throw VirError.internal(
        `character device ${devName ?? chr.el.element('alias')?.attr('name') ?? '<null>'} is not using a PTY`,
        FROM_QEMU,
      );
    }
    sessionsOf(driver).open(path, stream, (flags & C.VIR_DOMAIN_CONSOLE_FORCE) !== 0);
  },
});
