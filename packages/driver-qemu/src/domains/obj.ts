import { DomainState, type DomainRef } from '@virtkit/core';
import { type DomainDef } from '@virtkit/xml';
import type { DomainStateInfo, QemuDomainRuntime } from '../process';
import type { QmpClient } from '../qmp/client';
import { notRunning } from './errors';

/** A domain the QEMU driver knows: its definitions, its runtime while active, per-module state. */
export class QemuDomainObj {
  /** The persistent definition (absent for a transient domain). */
  persistentDef: DomainDef | undefined;
  /** The definition QEMU runs with (aliases, id) while active. */
  liveDef: DomainDef | undefined;
  /**
   * Set by a reboot through the power button: when the guest then shuts down, the machine is
   * reset and resumed instead of stopped (libvirt's fake reboot).
   */
  fakeReboot = false;
  /** Per-domain state of extension modules (block jobs, checkpoints, ...), by module key. */
  readonly extensions = new Map<string, unknown>();

  constructor(
    readonly runtime: QemuDomainRuntime,
    persistentDef: DomainDef | undefined,
  ) {
    this.persistentDef = persistentDef;
  }

  get name(): string {
    return this.runtime.name;
  }

  get uuid(): string {
    return this.runtime.uuid;
  }

  get persistent(): boolean {
    return this.persistentDef !== undefined;
  }

  get active(): boolean {
    return this.runtime.active;
  }

  get id(): number {
    return this.runtime.active ? this.runtime.id : -1;
  }

  /** The current definition: live while running, persistent otherwise (virDomainObj's def). */
  get def(): DomainDef {
    const d = (this.active ? this.liveDef : undefined) ?? this.persistentDef ?? this.liveDef;
    if (!d) throw new Error(`domain '${this.name}' has no definition`);
    return d;
  }

  get state(): DomainStateInfo {
    // A detached runtime (driver closing) keeps its last running state; it is not running here.
    if (!this.active && this.runtime.state.state !== DomainState.VIR_DOMAIN_SHUTOFF) {
      return { state: DomainState.VIR_DOMAIN_SHUTOFF, reason: 0 };
    }
    return this.runtime.state;
  }

  ref(): DomainRef {
    return { name: this.name, uuid: this.uuid, id: this.id };
  }

  /** The QMP client of the running domain (VIR_ERR_OPERATION_INVALID when it is not running). */
  monitor(): QmpClient {
    if (!this.active) throw notRunning();
    return this.runtime.monitor;
  }

  /** Extension state under `key`, created by `init` on first use. */
  extension<T>(key: string, init: () => T): T {
    let v = this.extensions.get(key) as T | undefined;
    if (v === undefined) {
      v = init();
      this.extensions.set(key, v);
    }
    return v;
  }
}
