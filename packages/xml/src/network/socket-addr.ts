/**
 * IP addresses as libvirt's virSocketAddr handles them: numeric parsing with getaddrinfo's
 * rules (AI_NUMERICHOST: inet_aton forms for IPv4, inet_pton for IPv6), formatting with
 * getnameinfo's (glibc inet_ntop), prefixes, masks, ranges and PTR domains.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

/** One IPv4 (4 bytes) or IPv6 (16 bytes) address. */
export interface IpAddr {
  family: 4 | 6;
  bytes: number[];
}

const sysError = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_NONE, detail);
const internal = (detail: string) => VirError.internal(detail);

/** inet_aton's part syntax: decimal, 0-prefixed octal or 0x-prefixed hex. */
function atonPart(p: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]*$/.test(p)) return p.length === 2 ? 0 : parseInt(p.slice(2), 16);
  if (/^0[0-7]*$/.test(p)) return parseInt(p, 8);
  if (/^[1-9][0-9]*$/.test(p)) return Number(p);
  return undefined;
}

function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length > 4 || parts.some((p) => p === '')) return undefined;
  const nums = parts.map(atonPart);
  if (nums.some((n) => n === undefined)) return undefined;
  const vals = nums as number[];
  const last = vals[vals.length - 1];
  const lead = vals.slice(0, -1);
  if (lead.some((n) => n > 255) || last >= 2 ** (8 * (5 - vals.length))) return undefined;
  let value = last;
  lead.forEach((n, i) => (value += n * 2 ** (8 * (3 - i))));
  return [(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
}

function parseIPv6(text: string): number[] | undefined {
  let s = text;
  const tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.slice(lastColon + 1));
    if (!v4 || v4.slice(1).some((o) => Number(o) > 255)) return undefined;
    const b = v4.slice(1).map(Number);
    tail.push((b[0] << 8) | b[1], (b[2] << 8) | b[3]);
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const words = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const w of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return undefined;
      out.push(parseInt(w, 16));
    }
    return out;
  };
  const head = words(halves[0]);
  const rest = halves.length === 2 ? words(halves[1]) : [];
  if (!head || !rest) return undefined;
  const given = head.length + rest.length + tail.length;
  let all: number[];
  if (halves.length === 2) {
    if (given > 7) return undefined;
    all = [...head, ...new Array<number>(8 - given).fill(0), ...rest, ...tail];
  } else {
    if (given !== 8) return undefined;
    all = [...head, ...tail];
  }
  return all.flatMap((w) => [w >> 8, w & 255]);
}

/** Parse a numeric address without reporting; undefined when it is not one of `family`. */
export function tryParseIp(text: string, family?: 4 | 6): IpAddr | undefined {
  if (family !== 6) {
    const v4 = parseIPv4(text);
    if (v4) return { family: 4, bytes: v4 };
  }
  if (family !== 4 && text.includes(':')) {
    const v6 = parseIPv6(text);
    if (v6) return { family: 6, bytes: v6 };
  }
  return undefined;
}

/** virSocketAddrParse: a numeric address, or libvirt's getaddrinfo failure. */
export function parseIp(text: string, family?: 4 | 6): IpAddr {
  const a = tryParseIp(text, family);
  if (a) return a;
  const reason = family === 4 && tryParseIp(text, 6) ? 'Address family for hostname not supported' : 'Name or service not known';
  throw sysError(`Cannot parse socket address '${text}': ${reason}`);
}

/** virSocketAddrFormat (getnameinfo NI_NUMERICHOST, i.e. glibc's inet_ntop). */
export function formatIp(a: IpAddr): string {
  if (a.family === 4) return a.bytes.join('.');
  const w: number[] = [];
  for (let i = 0; i < 16; i += 2) w.push((a.bytes[i] << 8) | a.bytes[i + 1]);
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (w[i] === 0) {
      if (cur.base === -1) cur = { base: i, len: 1 };
      else cur.len++;
    } else if (cur.base !== -1) {
      if (best.base === -1 || cur.len > best.len) best = cur;
      cur = { base: -1, len: 0 };
    }
  }
  if (cur.base !== -1 && (best.base === -1 || cur.len > best.len)) best = cur;
  if (best.base !== -1 && best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && w[5] === 0xffff))) {
      out += a.bytes.slice(12).join('.');
      break;
    }
    out += w[i].toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) out += ':';
  return out;
}

export function ipEqual(a: IpAddr | undefined, b: IpAddr | undefined): boolean {
  return !!a && !!b && a.family === b.family && a.bytes.every((x, i) => x === b.bytes[i]);
}

/** virSocketAddrPrefixToNetmask; undefined when the prefix is too long for the family. */
export function prefixToNetmask(prefix: number, family: 4 | 6): IpAddr | undefined {
  const n = family === 4 ? 4 : 16;
  if (prefix > n * 8 || prefix < 0) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < n; i++) {
    const bits = Math.max(0, Math.min(8, prefix - 8 * i));
    bytes.push((0xff << (8 - bits)) & 0xff);
  }
  return { family, bytes };
}

/** virSocketAddrGetNumNetmaskBits: -1 unless the mask is contiguous ones then zeros. */
export function netmaskBits(mask: IpAddr): number {
  let bits = 0;
  let seenZero = false;
  for (const b of mask.bytes) {
    for (let k = 7; k >= 0; k--) {
      if (b & (1 << k)) {
        if (seenZero) return -1;
        bits++;
      } else seenZero = true;
    }
  }
  return bits;
}

/** virSocketAddrGetIPPrefix: the prefix given, else the netmask's, else the classful default. */
export function ipPrefix(address: IpAddr | undefined, netmask: IpAddr | undefined, prefix: number | undefined): number {
  if (prefix && prefix > 0) return prefix;
  if (netmask) return netmaskBits(netmask);
  if (address?.family === 4) {
    if (address.bytes.every((b) => b === 0)) return 0;
    const octet = address.bytes[0];
    if ((octet & 0x80) === 0) return 8;
    if ((octet & 0xc0) === 0x80) return 16;
    if ((octet & 0xe0) === 0xc0) return 24;
    return -1;
  }
  if (address?.family === 6) return address.bytes.every((b) => b === 0) ? 0 : 64;
  return 0;
}

/** virSocketAddrMaskByPrefix. */
export function maskByPrefix(a: IpAddr, prefix: number): IpAddr | undefined {
  const mask = prefixToNetmask(prefix, a.family);
  return mask && { family: a.family, bytes: a.bytes.map((b, i) => b & mask.bytes[i]) };
}

/**
 * virSocketAddrGetRange: the number of addresses from start to end, checking that both lie in
 * network/prefix (when given) and, for IPv4, avoid the network and broadcast addresses.
 */
export function rangeSize(start: IpAddr, end: IpAddr, network?: IpAddr, prefix = 0): number {
  const s = formatIp(start);
  const e = formatIp(end);
  if (start.family !== end.family) throw internal(`mismatch of address family in range ${s} - ${e}`);
  if (network) {
    const n = formatIp(network);
    if (start.family !== network.family) throw internal(`mismatch of address family in range ${s} - ${e} for network ${n}`);
    const mask = prefix < 0 ? undefined : prefixToNetmask(prefix, network.family);
    if (!mask) throw internal(`bad prefix ${prefix} for network ${n} when checking range ${s} - ${e}`);
    const inNet = (a: IpAddr) => a.bytes.every((b, i) => (b & mask.bytes[i]) === (network.bytes[i] & mask.bytes[i]));
    if (!inNet(start) || !inNet(end)) throw internal(`range ${s} - ${e} is not entirely within network ${n}/${prefix}`);
    if (start.family === 4) {
      const netaddr = network.bytes.map((b, i) => b & mask.bytes[i]);
      const bcast = network.bytes.map((b, i) => (b | ~mask.bytes[i]) & 0xff);
      if (start.bytes.every((b, i) => b === netaddr[i]))
        throw internal(`start of range ${s} - ${e} in network ${n}/${prefix} is the network address`);
      if (end.bytes.every((b, i) => b === bcast[i]))
        throw internal(`end of range ${s} - ${e} in network ${n}/${prefix} is the broadcast address`);
    }
  }
  const b1 = start.bytes;
  const b2 = end.bytes;
  const same = start.family === 4 ? 2 : 14;
  for (let i = 0; i < same; i++) if (b1[i] !== b2[i]) throw internal(`range ${s} - ${e} is too large (> 65535)`);
  const size = (b2[same] - b1[same]) * 256 + (b2[same + 1] - b1[same + 1]);
  if (size < 0) throw internal(start.family === 4 ? `range ${s} - ${e} is reversed ` : `range ${s} - ${e} start larger than end`);
  return size + 1;
}

/** virSocketAddrPTRDomain: the reverse zone of address/prefix, undefined when not on a boundary. */
export function ptrDomain(a: IpAddr, prefix: number): string | undefined {
  if (a.family === 4) {
    if (prefix === 0 || prefix >= 32 || prefix % 8 !== 0) return undefined;
    const parts: string[] = [];
    for (let i = prefix / 8; i > 0; i--) parts.push(`${a.bytes[i - 1]}.`);
    return parts.join('') + 'in-addr.arpa';
  }
  if (prefix === 0 || prefix >= 128 || prefix % 4 !== 0) return undefined;
  const nibbles = a.bytes.flatMap((b) => [b >> 4, b & 15]);
  const parts: string[] = [];
  for (let i = prefix / 4; i > 0; i--) parts.push(`${nibbles[i - 1].toString(16)}.`);
  return parts.join('') + 'ip6.arpa';
}

/** virMacAddrParse: six hex pairs separated by ':' (one or two digits each); lower-cased. */
export function parseMac(text: string): string | undefined {
  const parts = text.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
  return parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
}

/** virMacAddrIsMulticast: the low bit of the first octet. */
export function macIsMulticast(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}
