/**
 * What libvirt keeps of `<os>` (hvm guests) and `<clock>` after parsing: virDomainDefParseBootOptions
 * reads per OS type, so an hvm guest loses the init options of container guests, an `<acpi>` without
 * a table, an empty `<bios>` and a boot menu timeout without an enabled menu; virDomainClockDef
 * keeps the attributes of its offset kind only, a numeric adjustment of utc/localtime turning into
 * a variable offset.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { XmlElement } from '../tree';
import { removeChildren } from './node';

const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN, detail);
const xmlError = (detail: string) => VirError.xml(detail, ErrorDomain.VIR_FROM_DOMAIN);

/** Options libvirt reads for container (exe) guests only. */
const INIT_OPTIONS = ['init', 'initarg', 'initenv', 'initdir', 'inituser', 'initgroup'];

/** virDomainDefParseBootAcpiOptions: one table at most, of type slic. */
function normalizeAcpi(os: XmlElement): void {
  const acpi = os.element('acpi');
  if (!acpi) return;
  const tables = acpi.elements('table');
  if (tables.length > 1) throw xmlError('Only one acpi table is supported');
  if (tables.length === 0) {
    removeChildren(os, 'acpi');
    return;
  }
  const type = tables[0].attr('type');
  if (type === undefined) throw xmlError('Missing acpi table type');
  if (type !== 'slic') throw xmlError(`Unknown acpi table type: ${type}`);
}

/** The boot menu and BIOS settings as virDomainDefFormatInternal writes them. */
function normalizeMenuAndBios(os: XmlElement): void {
  const menu = os.element('bootmenu');
  if (menu) {
    const enable = menu.attr('enable');
    if (enable !== 'yes' && enable !== 'no') removeChildren(os, 'bootmenu');
    else if (enable === 'no') menu.attrs.delete('timeout');
  }
  const bios = os.element('bios');
  if (bios && bios.attr('useserial') === undefined && bios.attr('rebootTimeout') === undefined) removeChildren(os, 'bios');
}

/** The `<os>` children an hvm guest keeps. */
export function normalizeHvmOs(os: XmlElement): void {
  for (const name of INIT_OPTIONS) removeChildren(os, name);
  normalizeAcpi(os);
  normalizeMenuAndBios(os);
}

const CLOCK_OFFSETS = ['utc', 'localtime', 'variable', 'timezone', 'absolute'];
const CLOCK_BASES = ['utc', 'localtime'];

/** virDomainDefClockParse's attributes, rebuilt in virDomainClockDefFormat's order. */
export function normalizeClock(clock: XmlElement): void {
  let offset = clock.attr('offset') ?? 'utc';
  if (!CLOCK_OFFSETS.includes(offset)) throw unsupported(`unknown clock offset '${offset}'`);
  const adjustment = clock.attr('adjustment');
  const attrs: Array<[string, string]> = [];
  let basis = clock.attr('basis');
  if ((offset === 'utc' || offset === 'localtime') && adjustment !== undefined && adjustment !== 'reset') {
    if (!/^[+-]?\d+$/.test(adjustment.trim())) throw xmlError(`unknown clock adjustment '${adjustment}'`);
    basis = offset;
    offset = 'variable';
  }
  attrs.push(['offset', offset]);
  if ((offset === 'utc' || offset === 'localtime') && adjustment === 'reset') attrs.push(['adjustment', 'reset']);
  if (offset === 'variable') {
    if (basis !== undefined && !CLOCK_BASES.includes(basis)) throw unsupported(`unknown clock basis '${basis}'`);
    const adj = /^[+-]?\d+$/.test((adjustment ?? '').trim()) ? BigInt(adjustment!.trim()) : 0n;
    attrs.push(['adjustment', String(adj)], ['basis', basis ?? 'utc']);
  }
  if (offset === 'timezone') {
    const tz = clock.attr('timezone');
    if (tz === undefined)
      throw VirError.internal("missing 'timezone' attribute for clock with offset='timezone'", ErrorDomain.VIR_FROM_DOMAIN);
    attrs.push(['timezone', tz]);
  }
  if (offset === 'absolute') {
    const start = clock.attr('start');
    if (start === undefined || !/^\d+$/.test(start.trim())) {
      throw VirError.internal("missing 'start' attribute for clock with offset='absolute'", ErrorDomain.VIR_FROM_DOMAIN);
    }
    attrs.push(['start', String(BigInt(start.trim()))]);
  }
  clock.attrs.clear();
  for (const [k, v] of attrs) clock.attrs.set(k, v);
}
