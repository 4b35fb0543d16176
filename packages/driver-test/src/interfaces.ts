/**
 * Host interfaces of the test driver (libvirt's test_driver.c interface calls over
 * virinterfaceobj.c): definitions by name, an active flag, and the change transaction.
 */
import { ConnectListAllInterfacesFlags as L, ErrorNumber, InterfaceDefineFlags, type InterfaceRef } from '@virtkit/core';
import { formatInterfaceXml, parseInterfaceElement, parseInterfaceXml, type InterfaceDef, type XmlElement } from '@virtkit/xml';
import type { TestState } from './state';
import { checkFlags, err, opInvalid } from './errors';

export interface InterfaceObj {
  def: InterfaceDef;
  active: boolean;
}

const LIST_INTERFACES_FILTERS_ACTIVE = L.VIR_CONNECT_LIST_INTERFACES_ACTIVE | L.VIR_CONNECT_LIST_INTERFACES_INACTIVE;

/** virGetInterface: the handle carries the name and the MAC ("" when the definition has none). */
const ifaceRef = (o: InterfaceObj): InterfaceRef => ({ name: o.def.name ?? '', mac: o.def.mac ?? '' });

/** testInterfaceObjFindByName. */
function byName(state: TestState, name: string): InterfaceObj {
  const o = state.interfaces.get(name);
  if (!o) throw err(ErrorNumber.VIR_ERR_NO_INTERFACE, `no interface with matching name '${name}'`);
  return o;
}

/** virInterfaceObjListAssignDef: a definition replaces the one of the same name, keeping its state. */
function assignDef(state: TestState, def: InterfaceDef): InterfaceObj {
  const name = def.name ?? '';
  const existing = state.interfaces.get(name);
  if (existing) {
    existing.def = def;
    return existing;
  }
  const o: InterfaceObj = { def, active: false };
  state.interfaces.set(name, o);
  return o;
}

/** testParseInterfaces: an `<interface>` of a node file, active. */
export function loadInterface(state: TestState, el: XmlElement): void {
  assignDef(state, parseInterfaceElement(el)).active = true;
}

export function names(state: TestState, active: boolean): string[] {
  return [...state.interfaces.values()].filter((o) => o.active === active).map((o) => o.def.name ?? '');
}

/** testConnectListAllInterfaces: only the active/inactive filter exists. */
export function listAll(state: TestState, flags: number): InterfaceRef[] {
  checkFlags(flags, LIST_INTERFACES_FILTERS_ACTIVE, 'testConnectListAllInterfaces');
  const want = flags & LIST_INTERFACES_FILTERS_ACTIVE;
  return [...state.interfaces.values()]
    .filter(
      (o) =>
        !want || (want & L.VIR_CONNECT_LIST_INTERFACES_ACTIVE && o.active) || (want & L.VIR_CONNECT_LIST_INTERFACES_INACTIVE && !o.active),
    )
    .map(ifaceRef);
}

export const lookupByName = (state: TestState, name: string): InterfaceRef => ifaceRef(byName(state, name));

/** testInterfaceLookupByMACString: exactly one interface may carry the MAC (compared case-insensitively). */
export function lookupByMAC(state: TestState, mac: string): InterfaceRef {
  const found = [...state.interfaces.values()].filter((o) => o.def.mac !== undefined && o.def.mac.toLowerCase() === mac.toLowerCase());
  if (!found.length) throw err(ErrorNumber.VIR_ERR_NO_INTERFACE, `no interface with matching mac '${mac}'`);
  if (found.length > 1) throw err(ErrorNumber.VIR_ERR_MULTIPLE_INTERFACES, null);
  return { name: found[0]!.def.name ?? '', mac };
}

export const isActive = (state: TestState, iface: InterfaceRef): boolean => byName(state, iface.name).active;

export function getXMLDesc(state: TestState, iface: InterfaceRef, flags: number): string {
  checkFlags(flags, 0, 'testInterfaceGetXMLDesc');
  return formatInterfaceXml(byName(state, iface.name).def);
}

export function defineXML(state: TestState, xml: string, flags: number): InterfaceRef {
  checkFlags(flags, InterfaceDefineFlags.VIR_INTERFACE_DEFINE_VALIDATE, 'testInterfaceDefineXML');
  return ifaceRef(assignDef(state, parseInterfaceXml(xml)));
}

/** testInterfaceUndefine: libvirt's test driver removes even an active interface. */
export function undefine(state: TestState, iface: InterfaceRef): void {
  byName(state, iface.name);
  state.interfaces.delete(iface.name);
}

/** testInterfaceCreate / testInterfaceDestroy: the state must change. */
export function setActive(state: TestState, iface: InterfaceRef, active: boolean, flags: number): void {
  checkFlags(flags, 0, active ? 'testInterfaceCreate' : 'testInterfaceDestroy');
  const o = byName(state, iface.name);
  if (o.active === active) throw opInvalid(null);
  o.active = active;
}

/**
 * testInterfaceChangeBegin: keep a copy of every definition to roll back to; like libvirt's
 * virInterfaceObjListClone the copies are inactive.
 */
export function changeBegin(state: TestState, flags: number): void {
  checkFlags(flags, 0, 'testInterfaceChangeBegin');
  if (state.interfaceBackup) throw opInvalid('there is another transaction running.');
  state.interfaceBackup = new Map([...state.interfaces].map(([k, o]) => [k, { def: o.def, active: false }]));
}

export function changeCommit(state: TestState, flags: number): void {
  checkFlags(flags, 0, 'testInterfaceChangeCommit');
  if (!state.interfaceBackup) throw opInvalid('no transaction running, nothing to be committed.');
  state.interfaceBackup = undefined;
}

export function changeRollback(state: TestState, flags: number): void {
  checkFlags(flags, 0, 'testInterfaceChangeRollback');
  const backup = state.interfaceBackup;
  if (!backup) throw opInvalid('no transaction running, nothing to rollback.');
  state.interfaces.clear();
  for (const [k, o] of backup) state.interfaces.set(k, o);
  state.interfaceBackup = undefined;
}
