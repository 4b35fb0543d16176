/** screenshot and send-key: the guest's screen into a file, keys into the guest (virsh-domain.c). */
import * as fs from 'node:fs';
import { VirStream } from '@virtkit/core';
import type { CmdDef } from '../types';
import { lookupDomain } from '../lookup';
import { multiValues } from '../parse';
import { req, str } from '../opt';
import { wrappingUint } from '../opt-numbers';
import { DOMAIN_OPT } from './shared-options';

/** VIR_DOMAIN_SEND_KEY_MAX_KEYS. */
const SEND_KEY_MAX_KEYS = 16;

/** virshGenFileName: `<domain>-<local time>` with the extension of the MIME type. */
function screenshotName(domain: string, mime: string): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  const ext = mime === 'image/x-portable-pixmap' ? '.ppm' : mime === 'image/png' ? '.png' : '';
  return `${domain}-${stamp}${ext}`;
}

/** virshKeyCodeGetInt: a number (decimal, 0x hex or 0 octal) up to 0xffff, or -1. */
function keycodeNumber(text: string): number {
  if (!/^(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.test(text)) return -1;
  const v = text.toLowerCase().startsWith('0x') ? parseInt(text, 16) : text.startsWith('0') ? parseInt(text || '0', 8) : parseInt(text, 10);
  return v > 0xffff ? -1 : v;
}

export const screenCommands: CmdDef[] = [
  {
    name: 'screenshot',
    group: 'domain',
    help: 'take a screenshot of a current domain console and store it into a file',
    opts: [DOMAIN_OPT, { name: 'file', type: 'string' }, { name: 'screen', type: 'string' }],
    async handler(ctl, opts) {
      let file = str(ctl, opts, 'file');
      const screen = wrappingUint(ctl, opts, 'screen') ?? 0;
      const name = req(ctl, opts, 'domain');
      const dom = await lookupDomain(ctl, name);
      const stream = new VirStream();
      const chunks: Buffer[] = [];
      stream.download.on('data', (c: Buffer) => chunks.push(c));
      const received = new Promise<void>((resolve) => stream.download.on('end', resolve));
      const mime = await ctl.attempt(`could not take a screenshot of ${name}`, () => dom.screenshot(stream, screen, 0));
      file ??= screenshotName(dom.getName(), mime ?? '');
      let fd: number;
      try {
        fd = fs.openSync(file, 'w', 0o666);
      } catch {
        return ctl.fail(`cannot create file ${file}`);
      }
      await received;
      fs.writeSync(fd, Buffer.concat(chunks));
      fs.closeSync(fd);
      ctl.printExtra(`Screenshot saved to ${file}, with type of ${mime}`);
      return true;
    },
  },
  {
    name: 'send-key',
    group: 'domain',
    help: 'Send keycodes to the guest',
    opts: [
      DOMAIN_OPT,
      { name: 'codeset', type: 'string' },
      { name: 'holdtime', type: 'string' },
      { name: 'keycode', type: 'string', required: true, multi: true },
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      let codesetName = str(ctl, opts, 'codeset') ?? 'linux';
      const holdtime = wrappingUint(ctl, opts, 'holdtime') ?? 0;
      // qnum was first called rfb; virsh still takes the old name.
      if (codesetName === 'rfb') codesetName = 'qnum';
      // The key tables live in the QEMU driver: loaded for this command only, not by every vsh run.
      const { keycodeFromName, KEYCODE_SET_NAMES } = await import('@virtkit/driver-qemu');
      const codeset = KEYCODE_SET_NAMES.indexOf(codesetName);
      if (codeset < 0) return ctl.fail(`unknown codeset: '${codesetName}'`);
      const keys = multiValues(opts, 'keycode');
      const codes: number[] = [];
      for (const k of keys) {
        if (codes.length === SEND_KEY_MAX_KEYS) return ctl.fail('too many keycodes');
        let code = keycodeNumber(k);
        if (code < 0) code = keycodeFromName(codeset, k);
        if (code < 0) return ctl.fail(`invalid keycode: '${k}'`);
        codes.push(code);
      }
      await dom.sendKey(codeset, holdtime, codes, 0);
      return true;
    },
  },
];
