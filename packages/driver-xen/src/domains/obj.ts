/** One domain the driver knows: its persistent definition, its running one, and its state. */
import { DomainShutoffReason, DomainState, type DomainRef } from '@virtkit/core';
import type { DomainDef } from '@virtkit/xml';

export class XenDomainObj {
  /** The definition while running (with `id` set), else null. */
  live: DomainDef | null = null;
  state: DomainState = DomainState.VIR_DOMAIN_SHUTOFF;
  reason: number = DomainShutoffReason.VIR_DOMAIN_SHUTOFF_UNKNOWN;
  autostart = false;
  /** When the domain's current job began (ms since the epoch; libvirt's job `started`), or null with no job. */
  jobStarted: number | null = null;

  constructor(
    /** The persistent definition, or null for a transient domain. */
    public persistent: DomainDef | null,
  ) {}

  get def(): DomainDef {
    return (this.live ?? this.persistent)!;
  }

  get name(): string {
    return this.def.name;
  }

  get uuid(): string {
    return this.def.uuid;
  }

  get domid(): number {
    return this.live?.id ?? -1;
  }

  get active(): boolean {
    return this.live !== null;
  }

  ref(): DomainRef {
    return { name: this.name, uuid: this.uuid, id: this.domid };
  }

  setState(state: DomainState, reason: number): void {
    this.state = state;
    this.reason = reason;
  }
}
