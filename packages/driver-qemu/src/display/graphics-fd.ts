/**
 * virDomainOpenGraphics and virDomainOpenGraphicsFD for the QEMU driver (libvirt's
 * qemuDomainOpenGraphics and qemuDomainOpenGraphicsFD): one end of a connected UNIX socket goes to
 * QEMU with `getfd`, and QMP `add_client` makes the VNC or SPICE server serve it as a client. For
 * OpenGraphicsFD the driver makes the pair itself (a listener in its private directory, gone once
 * connected: Node has no socketpair()) and returns the other end, held open for its receiver.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  DomainOpenGraphicsFlags as G,
  ErrorNumber,
  holdSocketFd,
  releaseFd,
  VirError,
  type DomainRef,
  type DriverConnection,
} from '@virtkit/core';
import type { QemuConnectionExtension } from '../connection-extensions';
import { checkFlags, FROM_QEMU, notRunning } from '../domains/errors';
import type { QemuDriver } from '../qemu-driver';

type GraphicsFdMethods = Pick<Required<DriverConnection>, 'domainOpenGraphics' | 'domainOpenGraphicsFD'>;

/** The name QEMU keeps the descriptor under between `getfd` and `add_client`, as libvirt's. */
const FDNAME = 'graphicsfd';

/** Make QEMU's display server of graphics device `idx` serve the socket `fd` as a client. */
async function addClient(driver: QemuDriver, dom: DomainRef, idx: number, fd: number, flags: number, fn: string): Promise<void> {
  checkFlags(flags, G.VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH, fn);
  const obj = driver.domains.get(dom);
  if (!obj.active) throw notRunning();
  const graphics = obj.def.devices.filter((d) => d.kind === 'graphics');
  if (idx >= graphics.length) throw VirError.internal(`No graphics backend with index ${idx}`, FROM_QEMU);
  const type = graphics[idx]!.el.attr('type') ?? '';
  if (type !== 'vnc' && type !== 'spice') {
    throw VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, FROM_QEMU, `Can only open VNC or SPICE graphics backends, not ${type}`);
  }
  await driver.withJob(obj, 'modify', fn, async () => {
    if (!obj.active) throw notRunning();
    const mon = obj.monitor();
    await mon.getfd(FDNAME, fd);
    try {
      await mon.execute('add_client', { protocol: type, fdname: FDNAME, skipauth: (flags & G.VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH) !== 0 });
    } catch (e) {
      await mon.execute('closefd', { fdname: FDNAME }).catch(() => undefined);
      throw e;
    }
  });
}

/** Two connected ends of a UNIX socket, neither read by Node: `[ours, theirs]`. */
async function socketPair(dir: string): Promise<[net.Socket, net.Socket]> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `graphics.${randomBytes(6).toString('hex')}.sock`);
  const server = net.createServer({ pauseOnConnect: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, resolve);
  });
  try {
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const ours = net.createConnection(file);
    // Paused before it connects, so Node never starts reading it.
    ours.pause();
    await new Promise<void>((resolve, reject) => {
      ours.once('connect', resolve);
      ours.once('error', reject);
    });
    return [ours, await accepted];
  } finally {
    server.close();
    fs.rmSync(file, { force: true });
  }
}

export const graphicsFdMethods: QemuConnectionExtension = (driver): GraphicsFdMethods => ({
  async domainOpenGraphics(dom, idx, fd, flags) {
    await addClient(driver, dom, idx, fd, flags, 'qemuDomainOpenGraphics');
  },

  async domainOpenGraphicsFD(dom, idx, flags) {
    const [forQemu, forCaller] = await socketPair(driver.paths.libDir);
    const qemuFd = holdSocketFd(forQemu);
    try {
      await addClient(driver, dom, idx, qemuFd, flags, 'qemuDomainOpenGraphicsFD');
    } catch (e) {
      forCaller.destroy();
      throw e;
    } finally {
      // QEMU keeps a duplicate of its end; ours closes whatever happens.
      releaseFd(qemuFd);
    }
    return holdSocketFd(forCaller);
  },
});
