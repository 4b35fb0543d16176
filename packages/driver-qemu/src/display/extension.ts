/**
 * The guest's screen and keyboard for the QEMU driver: virDomainScreenshot (QMP `screendump`
 * into a private temporary file whose bytes go to the stream; PNG when QEMU can write it, else
 * PPM, with libvirt's MIME types) and virDomainSendKey (codes translated to QEMU's numbered codes
 * for QMP `send-key`), as libvirt's qemuDomainScreenshot and qemuDomainSendKey.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, KeycodeSet as K, VirError, type DriverConnection } from '@virtkit/core';
import type { QemuConnectionExtension } from '../connection-extensions';
import { checkFlags, FROM_QEMU, notRunning } from '../domains/errors';
import { KEYCODE_SET_NAMES, translateKeycode } from '../keys/keymap';

/** VIR_DOMAIN_SEND_KEY_MAX_KEYS. */
const SEND_KEY_MAX_KEYS = 16;

type DisplayMethods = Pick<Required<DriverConnection>, 'domainScreenshot' | 'domainSendKey'>;

/** The video device and its head that screen number `screen` names (heads counted across devices). */
function screenDevice(videos: { alias?: string; heads: number }[], screen: number): { alias?: string; head: number } {
  let left = screen;
  for (const v of videos) {
    if (left < v.heads) return { alias: v.alias, head: left };
    left -= v.heads;
  }
  throw VirError.operationInvalid('no such screen ID', FROM_QEMU);
}

export const displayMethods: QemuConnectionExtension = (driver): DisplayMethods => ({
  async domainScreenshot(dom, stream, screen, flags) {
    checkFlags(flags, 0, 'qemuDomainScreenshot');
    const obj = driver.domains.get(dom);
    return driver.withJob(obj, 'query', 'virDomainScreenshot', async () => {
      if (!obj.active) throw notRunning();
      const videos = obj.def.devices
        .filter((d) => d.kind === 'video')
        .map((d) => ({ alias: d.el.element('alias')?.attr('name'), heads: Number(d.el.element('model')?.attr('heads') ?? 1) }));
      if (videos.length === 0) throw VirError.operationInvalid('no screens to take screenshot from', FROM_QEMU);
      const caps = await driver.caps();
      const args: Record<string, unknown> = {};
      if (screen) {
        if (!caps.flags.has('screendump_device')) {
          throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, FROM_QEMU, 'qemu does not allow specifying screen ID');
        }
        const at = screenDevice(videos, screen);
        if (at.alias) args.device = at.alias;
        args.head = at.head;
      }
      const png = caps.flags.has('screenshot-format-png');
      if (png) args.format = 'png';
      // QEMU writes the file itself: it lives in the driver's private directory, readable by us only.
      const file = path.join(driver.paths.libDir, `qemu.screendump.${randomBytes(6).toString('hex')}`);
      fs.mkdirSync(driver.paths.libDir, { recursive: true });
      fs.writeFileSync(file, '', { mode: 0o600 });
      let image: Buffer;
      try {
        await obj.monitor().execute('screendump', { filename: file, ...args });
        image = fs.readFileSync(file);
      } finally {
        fs.rmSync(file, { force: true });
      }
      stream.download.write(image);
      stream.download.end();
      return png ? 'image/png' : 'image/x-portable-pixmap';
    });
  },

  async domainSendKey(dom, codeset, holdtime, keycodes, flags) {
    if (codeset > K.VIR_KEYCODE_SET_QNUM) throw VirError.invalidArg(`Unsupported codeset '${codeset}'`, ErrorDomain.VIR_FROM_DOMAIN);
    if (keycodes.length === 0)
      throw VirError.invalidArg('nkeycodes in virDomainSendKey must be greater than zero', ErrorDomain.VIR_FROM_DOMAIN);
    if (keycodes.length > SEND_KEY_MAX_KEYS)
      throw VirError.invalidArg(`nkeycodes must be <= ${SEND_KEY_MAX_KEYS}`, ErrorDomain.VIR_FROM_DOMAIN);
    checkFlags(flags, 0, 'qemuDomainSendKey');
    const qnums = keycodes.map((code) => {
      if (codeset === K.VIR_KEYCODE_SET_QNUM) return code;
      const q = translateKeycode(codeset, K.VIR_KEYCODE_SET_QNUM, code);
      if (q < 0) {
        throw VirError.internal(
          `cannot translate keycode ${code >>> 0} of ${KEYCODE_SET_NAMES[codeset]} codeset to qnum keycode`,
          FROM_QEMU,
        );
      }
      return q;
    });
    const obj = driver.domains.get(dom);
    await driver.withJob(obj, 'modify', 'virDomainSendKey', async () => {
      if (!obj.active) throw notRunning();
      const args: Record<string, unknown> = { keys: qnums.map((data) => ({ type: 'number', data })) };
      if (holdtime) args['hold-time'] = holdtime;
      await obj.monitor().execute('send-key', args);
    });
  },
});
