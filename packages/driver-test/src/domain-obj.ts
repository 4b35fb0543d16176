/** One domain of the test driver (libvirt's virDomainObj with the test driver's extras). */
import { DomainShutoffReason, DomainState } from '@virtkit/core';
import type { DomainRef } from '@virtkit/core';
import { MomentTree } from './snapshot-tree';
import type { Taint } from '@virtkit/xml';
import { copyDomainDef, type DomainDef } from './domain-xml';
import { type DomainCheckpointDef, type DomainSnapshotDef } from '@virtkit/xml';

export class DomainObj {
  /** The running definition while active, the persistent one otherwise. */
  def: DomainDef;
  /** The persistent definition while a persistent domain runs (libvirt's newDef). */
  newDef: DomainDef | undefined;
  id = -1;
  state: number = DomainState.VIR_DOMAIN_SHUTOFF;
  reason: number = DomainShutoffReason.VIR_DOMAIN_SHUTOFF_UNKNOWN;
  persistent = false;
  autostart = false;
  hasManagedSave = false;
  /** What testDomainObjCheckTaint found when the node file was loaded. */
  taint: Taint = { taint: 0, deprecations: [] };
  readonly snapshots = new MomentTree<DomainSnapshotDef>();
  readonly checkpoints = new MomentTree<DomainCheckpointDef>();

  constructor(def: DomainDef) {
    this.def = def;
  }

  get name(): string {
    return this.def.name;
  }

  get uuid(): string {
    return this.def.uuid;
  }

  /** virDomainObjIsActive. */
  get active(): boolean {
    return this.id !== -1;
  }

  ref(): DomainRef {
    return { name: this.def.name, uuid: this.def.uuid, id: this.id };
  }

  setState(state: number, reason: number): void {
    this.state = state;
    this.reason = reason;
  }

  /** virDomainObjSetDefTransient: keep a persistent copy while running. */
  setDefTransient(): void {
    if (!this.persistent || this.newDef) return;
    this.newDef = copyDomainDef(this.def);
  }

  /** virDomainObjRemoveTransientDef. */
  removeTransientDef(): void {
    if (!this.newDef) return;
    this.def = this.newDef;
    this.newDef = undefined;
  }

  /** The persistent definition (virDomainObjGetPersistentDef). */
  persistentDef(): DomainDef {
    return this.active && this.newDef ? this.newDef : this.def;
  }

  /** virDomainObjAssignDef: install `def` as live or persistent definition; returns the one replaced. */
  assignDef(def: DomainDef, live: boolean): DomainDef | undefined {
    if (this.active) {
      const old = this.newDef;
      this.newDef = def;
      return old;
    }
    if (live) {
      if (!this.newDef) this.newDef = this.def;
      this.def = def;
      return undefined;
    }
    const old = this.def;
    this.def = def;
    return old;
  }
}
