/**
 * virDomainOpenConsole and virDomainOpenChannel for the QEMU driver: the pty of a console, serial
 * or parallel port, or the pty or UNIX socket of a channel, of a running domain joined to a stream,
 * one session per device (libvirt's qemuDomainOpenConsole and qemuDomainOpenChannel).
 */
import { ChrdevSessions, DomainChannelFlags as CH, DomainConsoleFlags as C, VirError, type DriverConnection } from '@virtkit/core';
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

/** The channel a name means: by alias, or by target name for a virtio channel; else the first channel. */
function findChannel(devices: readonly DomainDevice[], name: string | null): DomainDevice | undefined {
  const channels = devices.filter((d) => d.kind === 'channel');
  if (name === null) return channels[0];
  return channels.find((d) => {
    const target = d.el.element('target');
    return d.el.element('alias')?.attr('name') === name || (target?.attr('type') === 'virtio' && target.attr('name') === name);
  });
}

export const consoleHooks: QemuDriverExtension = (driver) => {
  driver.addHooks({ closing: async () => sessionsOf(driver).closeAll() });
};

export const consoleMethods: QemuConnectionExtension = (
  driver,
): Pick<Required<DriverConnection>, 'domainOpenConsole' | 'domainOpenChannel'> => ({
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

  async domainOpenChannel(dom, name, stream, flags) {
    checkFlags(flags, CH.VIR_DOMAIN_CHANNEL_FORCE, 'qemuDomainOpenChannel');
    const obj = driver.domains.get(dom);
    if (!obj.active) throw notRunning();
    const chr = findChannel(obj.def.devices, name);
    if (!chr) throw VirError.internal(`cannot find channel ${name ?? '<null>'}`, FROM_QEMU);
    const type = chr.el.attr('type');
    const path = chr.el.element('source')?.attr('path');
    if ((type !== 'pty' && type !== 'unix') || !path)
      throw VirError.internal(`channel ${name ?? '<null>'} is not using a PTY or UNIX socket`, FROM_QEMU);
    sessionsOf(driver).open(path, stream, (flags & CH.VIR_DOMAIN_CHANNEL_FORCE) !== 0, {
      unixSocket: type === 'unix',
      busyMessage: 'Active channel stream exists for this domain',
    });
  },
});
