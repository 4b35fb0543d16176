/** Per-build device state: aliases, boot indexes and the helpers the device builders share. */
import type { DomainDevice } from '@virtkit/core';
import type { AliasMap } from './alias';
import type { CmdBuilder } from './builder';

export class DeviceCtx {
  /** Effective boot index per device (from `<boot order>` or converted `<os><boot dev>`). */
  readonly bootIndex = new Map<DomainDevice, number>();

  constructor(
    readonly b: CmdBuilder,
    readonly aliases: AliasMap,
  ) {}

  alias(d: DomainDevice): string {
    return this.aliases.get(d) ?? '';
  }
}
