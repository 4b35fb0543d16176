import { type DomainDevice } from '@virtkit/xml';
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
