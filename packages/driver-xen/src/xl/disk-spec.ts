/**
 * xl's disk specification strings (Xen's docs/misc/xl-disk-configuration.txt, parsed by
 * libxlutil's xlu_disk_parse, which libvirt calls): comma-separated `key=value` pairs, bare
 * flags and the positional parameters target, format, vdev and access. `target=` takes the rest
 * of the string, commas included.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

export interface XlDiskSpec {
  target?: string;
  format?: string;
  vdev?: string;
  readwrite: boolean;
  cdrom: boolean;
  backend?: string;
}

const FORMATS = new Set(['raw', 'qcow', 'qcow2', 'vhd', 'qed', 'empty']);
const BACKENDS = new Set(['phy', 'tap', 'qdisk', 'standalone']);
const POSITIONAL = ['target', 'format', 'vdev', 'access'] as const;

function bad(spec: string, why: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_CONF_SYNTAX, ErrorDomain.VIR_FROM_XENXL, `invalid disk specification '${spec}': ${why}`);
}

/** The legacy `prefix:` forms of a target, such as `phy:/dev/vg/lv` or `tap:qcow2:/img`. */
function stripLegacyPrefixes(target: string, out: XlDiskSpec): string {
  for (;;) {
    const m = /^(phy|file|tap|tap2|aio|raw|qcow|qcow2|vhd):/.exec(target);
    if (!m) return target;
    const prefix = m[1];
    if (prefix === 'phy') out.backend = 'phy';
    else if (prefix === 'tap' || prefix === 'tap2') out.backend = 'tap';
    else if (prefix !== 'file' && prefix !== 'aio') out.format = prefix;
    target = target.slice(m[0].length);
  }
}

export function parseXlDiskSpec(spec: string): XlDiskSpec {
  const named = new Map<string, string>();
  const positional: string[] = [];
  let rest = spec;
  while (rest.length > 0 || positional.length + named.size === 0) {
    rest = rest.replace(/^[ \t]+/, '');
    if (rest.startsWith('target=')) {
      named.set('target', rest.slice('target='.length));
      break;
    }
    const comma = rest.indexOf(',');
    const token = comma < 0 ? rest : rest.slice(0, comma);
    rest = comma < 0 ? '' : rest.slice(comma + 1);
    const eq = token.indexOf('=');
    if (eq >= 0) {
      const key = token.slice(0, eq);
      if (named.has(key)) throw bad(spec, `parameter '${key}' given twice`);
      named.set(key, token.slice(eq + 1));
    } else if (token === 'cdrom') {
      named.set('devtype', 'cdrom');
    } else if (['discard', 'no-discard', 'direct-io-safe', 'trusted', 'untrusted'].includes(token)) {
      // Flags that change nothing libvirt records.
    } else {
      positional.push(token);
    }
    if (comma < 0) break;
  }
  // xm's three-part form `target,vdev,access` has no format: recognised when the second part
  // is not a format name.
  const order =
    positional.length === 3 && !FORMATS.has(positional[1]) && positional[1] !== '' ? (['target', 'vdev', 'access'] as const) : POSITIONAL;
  for (const [i, value] of positional.entries()) {
    const key = order[i];
    if (!key) throw bad(spec, 'too many positional parameters');
    if (named.has(key)) throw bad(spec, `parameter '${key}' given twice`);
    named.set(key, value);
  }

  const out: XlDiskSpec = { readwrite: true, cdrom: false };
  let vdev = named.get('vdev') || undefined;
  if (vdev?.endsWith(':cdrom')) {
    vdev = vdev.slice(0, -':cdrom'.length);
    out.cdrom = true;
  }
  out.vdev = vdev;
  const devtype = named.get('devtype');
  if (devtype === 'cdrom') out.cdrom = true;
  else if (devtype && devtype !== 'disk') throw bad(spec, `unknown devtype '${devtype}'`);
  const format = named.get('format');
  if (format) {
    if (!FORMATS.has(format)) throw bad(spec, `unknown format '${format}'`);
    out.format = format;
  }
  const backend = named.get('backendtype');
  if (backend) {
    if (!BACKENDS.has(backend)) throw bad(spec, `unknown backendtype '${backend}'`);
    out.backend = backend;
  }
  const access = named.get('access');
  if (access === undefined || access === '') out.readwrite = !out.cdrom;
  else if (access === 'r' || access === 'ro') out.readwrite = false;
  else if (access === 'w' || access === 'rw') out.readwrite = true;
  else throw bad(spec, `unknown access '${access}'`);
  const target = named.get('target');
  if (target) out.target = stripLegacyPrefixes(target, out);
  if (!out.vdev) throw bad(spec, 'no vdev specified');
  return out;
}
