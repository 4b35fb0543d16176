/** virsh's global options (before the command): -c URI, -r, -q, -h, -v, -V, --version[=TYPE], ... */
import { CliError } from './errors';

export interface Globals {
  uri: string | null;
  readOnly: boolean;
  quiet: boolean;
  timing: boolean;
  help: boolean;
  version: 'short' | 'long' | null;
  /** The command words after the options. */
  rest: string[];
}

const LONG: Record<string, { short: string; arg: boolean }> = {
  connect: { short: 'c', arg: true },
  debug: { short: 'd', arg: true },
  escape: { short: 'e', arg: true },
  help: { short: 'h', arg: false },
  'keepalive-interval': { short: 'k', arg: true },
  'keepalive-count': { short: 'K', arg: true },
  log: { short: 'l', arg: true },
  quiet: { short: 'q', arg: false },
  readonly: { short: 'r', arg: false },
  timing: { short: 't', arg: false },
};
const SHORT_WITH_ARG = new Set(['c', 'd', 'e', 'k', 'K', 'l']);
const SHORT_FLAGS = new Set(['h', 'q', 'r', 't', 'v', 'V']);

/** Parse the global options as getopt_long("+...") does: stop at the first non-option word. */
export function parseGlobals(argv: string[]): Globals {
  const g: Globals = { uri: null, readOnly: false, quiet: false, timing: false, help: false, version: null, rest: [] };
  const apply = (short: string, value: string | null): void => {
    switch (short) {
      case 'c':
        g.uri = value;
        break;
      case 'q':
        g.quiet = true;
        break;
      case 'r':
        g.readOnly = true;
        break;
      case 't':
        g.timing = true;
        break;
      case 'h':
        g.help = true;
        break;
      case 'v':
        g.version ??= 'short';
        break;
      case 'V':
        g.version ??= 'long';
        break;
      default:
        break;
    }
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (name === 'version') {
        const t = eq >= 0 ? a.slice(eq + 1) : 'short';
        if (t !== 'short' && t !== 'long') throw new CliError(`unknown version type '${t}'`);
        g.version ??= t;
        continue;
      }
      const def = LONG[name];
      if (!def) throw new CliError(`unsupported option '${a}'. See --help.`);
      if (!def.arg) {
        if (eq >= 0) throw new CliError(`unsupported option '-${def.short}'. See --help.`);
        apply(def.short, null);
      } else if (eq >= 0) {
        apply(def.short, a.slice(eq + 1));
      } else {
        if (i + 1 >= argv.length) throw new CliError(`option '-${def.short}'/'--${name}' requires an argument`);
        apply(def.short, argv[++i]);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const ch = a[k];
        if (SHORT_WITH_ARG.has(ch)) {
          const long = Object.keys(LONG).find((n) => LONG[n].short === ch)!;
          let value = a.slice(k + 1);
          if (!value) {
            if (i + 1 >= argv.length) throw new CliError(`option '-${ch}'/'--${long}' requires an argument`);
            value = argv[++i];
          }
          apply(ch, value);
          break;
        }
        if (!SHORT_FLAGS.has(ch)) throw new CliError(`unsupported option '-${ch}'. See --help.`);
        apply(ch, null);
      }
      continue;
    }
    break;
  }
  g.rest = argv.slice(i);
  return g;
}
