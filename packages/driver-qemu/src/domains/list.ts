/** The driver's domains by UUID, with libvirt's lookups and the virConnectListAllDomains filter. */
import { domainListMatches, type DomainListFacts, type DomainRef } from '@virtkit/core';
import { noDomain } from './errors';
import type { QemuDomainObj } from './obj';

/** What the list filter needs to know about a domain besides its own fields. */
export type DomainListExtras = Pick<DomainListFacts, 'autostart' | 'managedSave' | 'hasSnapshot' | 'hasCheckpoint'>;

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
  filter(flags: number, extras: (d: QemuDomainObj) => DomainListExtras): DomainRef[] {
    return this.all()
      .filter((d) => domainListMatches(flags, { active: d.active, persistent: d.persistent, state: d.state.state, ...extras(d) }))
      .map((d) => d.ref());
  }
}
