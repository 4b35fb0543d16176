/** virsh's global options (before the command): -c URI, -r, -q, -h, -v, -V, --version[=TYPE], ... */
import { CliError } from './errors';

export interface Globals {
  uri: string | null;
  readOnly: boolean;
  quiet: boolean;
  timing: boolean;
  help: boolean;
  /** -d NUM: the debug level, when in virsh's range [0-4]. */
  debug: number | null;
  /** -e: the console escape sequence. */
  escape: string | null;
  keepaliveInterval: number | null;
  keepaliveCount: number | null;
  /** -l FILE */
  log: string | null;
  /** Notes virsh prints and carries on after (an out-of-range debug level). */
  warnings: string[];
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

/** virsh's virshAllowedEscapeChar: `^` followed by one of these. */
const ESCAPE_CHARS = /^[@A-Z[\\\]^_a-z]$/;

/** virStrToLong_i: the whole text as a C int (base 0 allows 0x and leading-0 octal), else null. */
function cInt(text: string, base: 0 | 10): number | null {
  const t = text.trim() === text ? text : text.trimStart();
  const m = base === 10 ? /^[+-]?\d+$/.exec(t) : /^[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(t);
  if (!m) return null;
  const neg = t.startsWith('-');
  const body = t.replace(/^[+-]/, '');
  const n =
    base === 0 && /^0[xX]/.test(body)
      ? parseInt(body.slice(2), 16)
      : base === 0 && /^0\d/.test(body)
        ? parseInt(body, 8)
        : parseInt(body, 10);
  const v = neg ? -n : n;
  return v < -0x80000000 || v > 0x7fffffff ? null : v;
}

/** Parse the global options as getopt_long("+...") does: stop at the first non-option word. */
export function parseGlobals(argv: string[]): Globals {
  const g: Globals = {
    uri: null,
    readOnly: false,
    quiet: false,
    timing: false,
    help: false,
    version: null,
    rest: [],
    debug: null,
    escape: null,
    keepaliveInterval: null,
    keepaliveCount: null,
    log: null,
    warnings: [],
  };
  const apply = (short: string, value: string | null, long: boolean): void => {
    const v = value ?? '';
    switch (short) {
      case 'd': {
        const n = cInt(v, 10);
        if (n === null) throw new CliError(`option ${long ? '--debug' : '-d'} takes a numeric argument`);
        if (n < 0 || n > 4) g.warnings.push(`ignoring debug level ${n} out of range [0-4]`);
        else g.debug = n;
        break;
      }
      case 'e':
        if (!((v.length === 2 && v[0] === '^' && ESCAPE_CHARS.test(v[1])) || (v.length === 1 && v !== '^'))) {
          throw new CliError(`Invalid string '${v}' for escape sequence`);
        }
        g.escape = v;
        break;
      case 'k':
      case 'K': {
        const name = long ? (short === 'k' ? '--keepalive-interval' : '--keepalive-count') : `-${short}`;
        const n = cInt(v, 0);
        if (n === null) throw new CliError(`Invalid value for option ${name}`);
        if (n < 0) throw new CliError(`option ${name} requires a positive integer argument`);
        if (short === 'k') g.keepaliveInterval = n;
        else g.keepaliveCount = n;
        break;
      }
      case 'l':
        g.log = v;
        break;
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
        apply(def.short, null, true);
      } else if (eq >= 0) {
        apply(def.short, a.slice(eq + 1), true);
      } else {
        if (i + 1 >= argv.length) throw new CliError(`option '-${def.short}'/'--${name}' requires an argument`);
        apply(def.short, argv[++i], true);
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
          apply(ch, value, false);
          break;
        }
        if (!SHORT_FLAGS.has(ch)) throw new CliError(`unsupported option '-${ch}'. See --help.`);
        apply(ch, null, false);
      }
      continue;
    }
    break;
  }
  g.rest = argv.slice(i);
  return g;
}
