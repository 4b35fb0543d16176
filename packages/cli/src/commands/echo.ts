/** echo: virsh's quoting test command (--shell, --xml, --split, --err). */
import type { CmdDef } from '../types';
import { flag } from '../opt';
import { multiValues } from '../parse';
import { splitCommas } from '../comma-list';

/** virsh's virBufferEscapeShell: quote only when a shell metacharacter is present. */
export function escapeShell(s: string): string {
  if (s === '') return "''";
  if (!/[\r\t\n !"#$&'()*;<>?[\\\]^`{|}~]/.test(s)) return s;
  return `'${s.replace(/'/g, "'\\''")}'`;
}

const XML_ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };

/** virsh's virBufferEscapeString: the five XML escapes; other control characters are dropped. */
export function escapeXml(s: string): string {
  // eslint-disable-next-line no-control-regex -- the control characters are what is matched
  return s.replace(/[<>&'"]|[\x01-\x08\x0b\x0c\x0e-\x1f]/g, (c) => XML_ESCAPES[c] ?? '');
}

export const echoCommand: CmdDef = {
  name: 'echo',
  group: 'virsh',
  help: '',
  opts: [],
  async handler(ctl, opts) {
    const [shell, xml, split] = [flag(opts, 'shell'), flag(opts, 'xml'), flag(opts, 'split')];
    if (shell && xml) ctl.fail('Options --shell and --xml are mutually exclusive');
    if (shell && split) ctl.fail('Options --shell and --split are mutually exclusive');
    if (xml && split) ctl.fail('Options --xml and --split are mutually exclusive');
    const args = multiValues(opts, 'string');
    if (args.length === 0) return true;
    let out = '';
    for (const arg of args) {
      if (xml) out += escapeXml(arg);
      else if (shell) out += escapeShell(arg);
      else if (split)
        out += splitCommas(arg)
          .map((p) => `${p}\n`)
          .join('');
      else out += arg;
      out += ' ';
    }
    // virBufferTrim: one trailing separator goes.
    if (out.endsWith(' ')) out = out.slice(0, -1);
    if (flag(opts, 'err')) ctl.error(out);
    else ctl.print(out);
    return true;
  },
};
