/**
 * virDomainDefOSValidate: the firmware rules. With `<os firmware=...>` the driver picks the
 * firmware, so the loader may say nothing about which one; without it the loader must name its
 * path. A stateless loader has no NVRAM, and only EFI (or, chosen by hand, a pflash loader) keeps
 * state.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { DomainDef } from './types';

const detail = (text: string) => VirError.create(ErrorNumber.VIR_ERR_XML_DETAIL, ErrorDomain.VIR_FROM_DOMAIN, text);
const autoselected = (what: string) => detail(`${what} cannot be specified when firmware autoselection is enabled`);

/** The loader as libvirt reads it (virDomainLoaderDefParseXML): present when `<loader>` or `<nvram>` is. */
function readLoader(def: DomainDef) {
  const os = def.os.el;
  const loader = os.element('loader');
  const nvram = os.element('nvram');
  if (!loader && !nvram) return undefined;
  const path = loader?.text() || undefined;
  return {
    readonly: loader?.attr('readonly'),
    // Post-parse makes a loader with a path a 'rom' one unless it says otherwise.
    type: loader?.attr('type') ?? (path ? 'rom' : undefined),
    path,
    secure: loader?.attr('secure'),
    stateless: loader?.attr('stateless'),
    nvramTemplate: nvram?.attr('template'),
    nvram: nvram !== undefined && (nvram.attr('type') !== undefined || nvram.text() !== ''),
  };
}

/** Check the OS firmware settings; `autoselect` says whether the driver can choose firmware. */
export function validateOsFirmware(def: DomainDef, autoselect: boolean): void {
  const firmware = def.os.el.attr('firmware');
  const loader = readLoader(def);
  if (firmware) {
    if (!autoselect) throw detail('firmware auto selection not implemented for this driver');
    if (!loader) return;
    if (loader.readonly !== undefined) throw autoselected("loader attribute 'readonly'");
    if (loader.type !== undefined) throw autoselected("loader attribute 'type'");
    if (loader.path) throw autoselected('loader path');
    if (loader.nvramTemplate !== undefined) throw autoselected("nvram attribute 'template'");
    // 'yes' is accepted: the first autoselection used it to ask for Secure Boot.
    if (loader.secure === 'no') throw autoselected("loader attribute 'secure'");
    if (loader.nvram && firmware !== 'efi') throw detail(`firmware type '${firmware}' does not support nvram`);
  } else {
    if (def.os.el.element('firmware')?.element('feature')) {
      throw detail('cannot use feature-based firmware autoselection when firmware autoselection is disabled');
    }
    if (!loader) return;
    if (!loader.path) throw detail('no loader path specified and firmware auto selection disabled');
  }
  if (loader.stateless === 'yes') {
    if (loader.nvramTemplate !== undefined) throw detail('NVRAM template is not permitted when loader is stateless');
    if (loader.nvram) throw detail('NVRAM is not permitted when loader is stateless');
  } else if (loader.stateless === 'no') {
    if (!firmware && loader.type !== 'pflash') throw detail('Only pflash loader type permits NVRAM');
    if (firmware && firmware !== 'efi') throw detail('Only EFI firmware permits NVRAM');
  }
}
