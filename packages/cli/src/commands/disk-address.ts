/**
 * The `--address` of virsh's attach-disk: `pci:D.B.S.F`, `ide|scsi|sata:C.B.U`, `ccw:C.S.D`,
 * `usb:B.P`, parsed as virsh's virshAddressParse does (any one character separates the numbers,
 * text after the last number is ignored) and written as the `<address>` element it prints.
 */

export type DiskAddress =
  | { type: 'pci'; domain: number; bus: number; slot: number; fn: number; multifunction: boolean }
  | { type: 'drive'; controller: number; bus: number; unit: bigint }
  | { type: 'ccw'; cssid: number; ssid: number; devno: number }
  | { type: 'usb'; bus: number; port: number };

const UINT_MAX = 0xffffffffn;
const ULLONG_MAX = 0xffffffffffffffffn;

/**
 * strtoul/strtoull as libvirt's virStrToLong_uip/ullp call them with an end pointer: leading
 * space and a sign are skipped, a minus or no digit at all is an error, and so is a value beyond `max`.
 */
function parseUnsigned(text: string, at: number, base: 10 | 16, max: bigint): { value: bigint; end: number } | null {
  let i = at;
  while (i < text.length && /[ \t\n\v\f\r]/.test(text[i]!)) i++;
  const sign = text[i] === '+' || text[i] === '-' ? text[i++] : '';
  const digit = base === 16 ? /[0-9a-fA-F]/ : /[0-9]/;
  if (base === 16 && text[i] === '0' && /[xX]/.test(text[i + 1] ?? '') && digit.test(text[i + 2] ?? '')) i += 2;
  const start = i;
  while (i < text.length && digit.test(text[i]!)) i++;
  if (i === start || sign === '-') return null;
  const value = BigInt((base === 16 ? '0x' : '') + text.slice(start, i));
  return value > max ? null : { value, end: i };
}

/** `count` numbers after the type, each one character past the end of the one before. */
function numbers(text: string, from: number, specs: Array<[10 | 16, bigint]>): bigint[] | null {
  const out: bigint[] = [];
  let at = from;
  for (const [base, max] of specs) {
    if (at > text.length) return null;
    const n = parseUnsigned(text, at, base, max);
    if (!n) return null;
    out.push(n.value);
    at = n.end + 1;
  }
  return out;
}

/** virshAddressParse: the address, or null where virsh says "Invalid address.". */
export function parseDiskAddress(text: string, multifunction: boolean): DiskAddress | null {
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const type = text.slice(0, colon);
  const at = colon + 1;
  const hex: [16, bigint] = [16, UINT_MAX];
  const dec: [10, bigint] = [10, UINT_MAX];
  switch (type) {
    case 'pci': {
      const n = numbers(text, at, [hex, hex, hex, hex]);
      return n && { type: 'pci', domain: Number(n[0]), bus: Number(n[1]), slot: Number(n[2]), fn: Number(n[3]), multifunction };
    }
    case 'ide':
    case 'scsi':
    case 'sata': {
      const n = numbers(text, at, [dec, dec, [10, ULLONG_MAX]]);
      return n && { type: 'drive', controller: Number(n[0]), bus: Number(n[1]), unit: n[2]! };
    }
    case 'ccw': {
      const n = numbers(text, at, [hex, hex, hex]);
      return n && { type: 'ccw', cssid: Number(n[0]), ssid: Number(n[1]), devno: Number(n[2]) };
    }
    case 'usb': {
      const n = numbers(text, at, [dec, dec]);
      return n && { type: 'usb', bus: Number(n[0]), port: Number(n[1]) };
    }
    default:
      return null;
  }
}

const hex = (n: number, width: number) => `0x${n.toString(16).padStart(width, '0')}`;

/** virshAddressFormat: the `<address .../>` line. */
export function formatDiskAddress(a: DiskAddress): string {
  switch (a.type) {
    case 'pci':
      return (
        `<address type='pci' domain='${hex(a.domain, 4)}' bus='${hex(a.bus, 2)}' slot='${hex(a.slot, 2)}' function='${hex(a.fn, 1)}'` +
        `${a.multifunction ? " multifunction='on'" : ''}/>\n`
      );
    case 'drive':
      return `<address type='drive' controller='${a.controller}' bus='${a.bus}' unit='${a.unit}'/>\n`;
    case 'ccw':
      return `<address type='ccw' cssid='${hex(a.cssid, 2)}' ssid='${hex(a.ssid, 1)}' devno='${hex(a.devno, 4)}'/>\n`;
    case 'usb':
      return `<address type='usb' bus='${a.bus}' port='${a.port}'/>\n`;
  }
}

/** virsh's complaint when the address kind (the text before `:`) does not suit the target's prefix. */
export function addressMismatch(target: string, kind: string): string | null {
  if (target.startsWith('vd')) return kind === 'pci' || kind === 'ccw' ? null : 'expecting a pci:0000.00.00.00 or ccw:00.0.0000 address.';
  if (target.startsWith('sd'))
    return kind === 'scsi' || kind === 'usb' || kind === 'sata' ? null : 'expecting a scsi:00.00.00 or usb:00.00 or sata:00.00.00 address.';
  if (target.startsWith('hd')) return kind === 'ide' ? null : 'expecting an ide:00.00.00 address.';
  return null;
}
