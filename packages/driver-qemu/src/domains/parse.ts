import { formatDomainXml, parseDomainXml, type DomainDef } from '@virtkit/xml';
import { VirError } from '@virtkit/core';
import type { QemuCaps } from '../caps/types';
import { qemuArgvParseHooks } from '../command/parse';
import { prepareAddresses } from '../command/prepare';
import { nativeConversionContext } from '../command/native-context';
import { qemuParseHooks } from '../domain-postparse';
import { kvmAvailable } from '../caps/probe';
import { configUnsupported } from './errors';

/** Names end up in file names: libvirt refuses `/` (and a newline, which breaks its lists). */
function checkName(def: DomainDef): void {
  if (def.name.includes('/')) throw VirError.xml(`name ${def.name} cannot contain '/'`);
  if (def.name.includes('\n')) throw VirError.xml(`name ${def.name} cannot contain '\n'`);
}

/** `kvm` needs KVM in the binary's probe; `qemu` (TCG) always works. */
function checkVirtType(def: DomainDef, caps: QemuCaps): void {
  if (def.virtType === 'kvm' && (caps.machines.kvm.length === 0 || !kvmAvailable())) {
    throw configUnsupported(`Emulator '${def.emulator ?? caps.emulator}' does not support virt type 'kvm'`);
  }
}

/** Machine aliases (`pc`, `q35`) become the canonical type, a missing one the binary's default. */
function canonicalizeMachine(def: DomainDef, caps: QemuCaps): void {
  const machines = caps.machines[def.virtType === 'kvm' ? 'kvm' : 'tcg'];
  if (def.os.machine === undefined) {
    def.os.machine = machines.find((m) => m.isDefault)?.name;
    return;
  }
  const m = machines.find((x) => x.alias === def.os.machine);
  if (m) def.os.machine = m.name;
}

/** Parse a definition to define or start with the binary described by `caps`. */
export function parseForQemu(xml: string, caps: QemuCaps): DomainDef {
  const base = qemuArgvParseHooks(caps, nativeConversionContext());
  const def = parseDomainXml(xml, {
    ...base,
    abiUpdate: true,
    postParse: (d) => {
      checkName(d);
      if (d.emulator === undefined) d.emulator = caps.emulator;
      checkVirtType(d, caps);
      canonicalizeMachine(d, caps);
      base.postParse?.(d);
    },
    // A new definition gets its USB ports now (qemuDomainAssignUSBAddresses with newDomain).
    assignAddresses: (d) => {
      base.assignAddresses?.(d);
      prepareAddresses(d);
    },
  });
  return def;
}

/** Read back a definition the driver wrote itself (config file or status file). */
export function parseStored(xml: string, live: boolean): DomainDef {
  return parseDomainXml(xml, qemuParseHooks(!live));
}

/** A copy of a definition (through its XML). */
export function copyDef(def: DomainDef, live = false): DomainDef {
  return parseStored(formatDomainXml(def, { inactive: !live, secure: true }), live);
}
