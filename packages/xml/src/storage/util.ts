/** Small helpers libvirt's storage parser relies on. */

/** virFileSanitizePath: squeeze repeated slashes, drop a trailing one; a leading `//` stays. */
export function sanitizePath(p: string): string {
  let prefix = '';
  let rest = p;
  if (p.startsWith('//') && p[2] !== '/') {
    prefix = '/';
    rest = p.slice(1);
  }
  let out = rest.replace(/\/{2,}/g, '/');
  if (out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
  return prefix + out;
}
