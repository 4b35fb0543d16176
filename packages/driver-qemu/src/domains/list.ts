/** The driver's domains by UUID, with libvirt's lookups and the virConnectListAllDomains filter. */
import { ConnectListAllDomainsFlags as L, DomainState, type DomainRef } from '@virtkit/core';
import { noDomain } from './errors';
import type { QemuDomainObj } from './obj';

/** What the list filter needs to know about a domain besides its state. */
export interface DomainListFacts {
  autostart: boolean;
  managedSave: boolean;
  snapshots: number;
  checkpoints: number;
}

export class DomainList {
  private readonly byUuid = new Map<string, QemuDomainObj>();

  all(): QemuDomainObj[] {
    return [...this.byUuid.values()];
  }

  add(obj: QemuDomainObj): void {
    this.byUuid.set(obj.uuid, obj);
  }

  remove(obj: QemuDomainObj): void {
    if (this.byUuid.get(obj.uuid) === obj) this.byUuid.delete(obj.uuid);
  }

  findByUuid(uuid: string): QemuDomainObj | undefined {
    return this.byUuid.get(uuid.toLowerCase());
  }

  findByName(name: string): QemuDomainObj | undefined {
    for (const d of this.byUuid.values()) if (d.name === name) return d;
    return undefined;
  }

  findById(id: number): QemuDomainObj | undefined {
    if (id < 0) return undefined;
    for (const d of this.byUuid.values()) if (d.active && d.id === id) return d;
    return undefined;
  }

  /** The domain behind a handle (qemuDomainObjFromDomain). */
  get(ref: DomainRef): QemuDomainObj {
    const d = this.findByUuid(ref.uuid);
    if (!d) throw noDomain(`no domain with matching uuid '${ref.uuid}' (${ref.name})`);
    return d;
  }

  lookupByName(name: string): DomainRef {
    const d = this.findByName(name);
    if (!d) throw noDomain(`no domain with matching name '${name}'`);
    return d.ref();
  }

  lookupByUuid(uuid: string): DomainRef {
    const d = this.findByUuid(uuid);
    if (!d) throw noDomain(`no domain with matching uuid '${uuid.toLowerCase()}'`);
    return d.ref();
  }

  lookupById(id: number): DomainRef {
    const d = this.findById(id);
    if (!d) throw noDomain(`no domain with matching id ${id}`);
    return d.ref();
  }

  /** virDomainObjListExport: the domains matching every filter group of `flags`. */
  filter(flags: number, facts: (d: QemuDomainObj) => DomainListFacts): DomainRef[] {
    const group = (a: number, b: number, hasA: boolean) => {
      const g = flags & (a | b);
      return !g || (g & a && hasA) || (g & b && !hasA);
    };
    const stateMask =
      flags &
      (L.VIR_CONNECT_LIST_DOMAINS_RUNNING |
        L.VIR_CONNECT_LIST_DOMAINS_PAUSED |
        L.VIR_CONNECT_LIST_DOMAINS_SHUTOFF |
        L.VIR_CONNECT_LIST_DOMAINS_OTHER);
    const out: DomainRef[] = [];
    for (const d of this.byUuid.values()) {
      if (!group(L.VIR_CONNECT_LIST_DOMAINS_ACTIVE, L.VIR_CONNECT_LIST_DOMAINS_INACTIVE, d.active)) continue;
      if (!group(L.VIR_CONNECT_LIST_DOMAINS_PERSISTENT, L.VIR_CONNECT_LIST_DOMAINS_TRANSIENT, d.persistent)) continue;
      if (stateMask && !stateMatches(stateMask, d.state.state)) continue;
      const f = facts(d);
      if (!group(L.VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, L.VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, f.managedSave)) continue;
      if (!group(L.VIR_CONNECT_LIST_DOMAINS_AUTOSTART, L.VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, f.autostart)) continue;
      if (!group(L.VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, L.VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, f.snapshots > 0)) continue;
      if (!group(L.VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT, L.VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT, f.checkpoints > 0)) continue;
      out.push(d.ref());
    }
    return out;
  }
}

function stateMatches(mask: number, state: number): boolean {
  if (mask & L.VIR_CONNECT_LIST_DOMAINS_RUNNING && state === DomainState.VIR_DOMAIN_RUNNING) return true;
  if (mask & L.VIR_CONNECT_LIST_DOMAINS_PAUSED && state === DomainState.VIR_DOMAIN_PAUSED) return true;
  if (mask & L.VIR_CONNECT_LIST_DOMAINS_SHUTOFF && state === DomainState.VIR_DOMAIN_SHUTOFF) return true;
  const other =
    state !== DomainState.VIR_DOMAIN_RUNNING && state !== DomainState.VIR_DOMAIN_PAUSED && state !== DomainState.VIR_DOMAIN_SHUTOFF;
  return (mask & L.VIR_CONNECT_LIST_DOMAINS_OTHER) !== 0 && other;
}
