/**
 * Attribute readers with libvirt's virXMLProp* rules and messages: enums by name (optionally
 * refusing the zero value), yes/no tristates, unsigned integers.
 */
import { VirError } from '@virtkit/core';
import type { XmlElement } from './tree';
import { parseIntStrict } from './scaled';

/** virXMLProp*'s refusal of a value; the number readers say what they expected. */
function invalid(el: XmlElement, name: string, value: string, expected = ''): VirError {
  return VirError.xml(`Invalid value for attribute '${name}' in element '${el.name}': '${value}'.${expected}`);
}

function missing(el: XmlElement, name: string): VirError {
  return VirError.xml(`Missing required attribute '${name}' in element '${el.name}'`);
}

export interface PropOptions {
  required?: boolean;
  /** Refuse the enum's first value (index 0), as VIR_XML_PROP_NONZERO does. */
  nonzero?: boolean;
}

/** virXMLPropEnum over a list of names; returns the name, or undefined when absent. */
export function propEnum<T extends string>(el: XmlElement, name: string, values: readonly T[], opts: PropOptions = {}): T | undefined {
  const v = el.attr(name);
  if (v === undefined) {
    if (opts.required) throw missing(el, name);
    return undefined;
  }
  const idx = values.indexOf(v as T);
  if (idx < 0 || (opts.nonzero && idx === 0)) throw invalid(el, name, v);
  return values[idx];
}

/** virXMLPropTristateBool: `yes` / `no`, undefined when absent. */
export function propYesNo(el: XmlElement, name: string, opts: PropOptions = {}): 'yes' | 'no' | undefined {
  return propEnum(el, name, ['absent', 'yes', 'no'] as const, { ...opts, nonzero: true }) as 'yes' | 'no' | undefined;
}

/** virXMLPropUInt (base 10): an unsigned 32-bit value, undefined when absent. */
export function propUInt(el: XmlElement, name: string, opts: PropOptions = {}): number | undefined {
  const v = el.attr(name);
  if (v === undefined) {
    if (opts.required) throw missing(el, name);
    return undefined;
  }
  const n = parseIntStrict(v, 0, 0xffffffff);
  if (n === undefined) throw invalid(el, name, v, ' Expected non-negative integer value');
  return n;
}
