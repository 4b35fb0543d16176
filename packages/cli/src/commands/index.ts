/** The command table: every command family, looked up by name. */
import type { CmdDef } from '../types';
import { hostCommands } from './host';
import { domainInfoCommands } from './domain-info';
import { domainLifecycleCommands } from './domain-lifecycle';
import { snapshotCommands } from './snapshot';
import { checkpointCommands } from './checkpoint';
import { storageCommands } from './storage';
import { eventCommands } from './events';
import { nativeCommands } from './native';
import { qemuCommands } from './qemu';

export const COMMANDS: CmdDef[] = [
  ...domainLifecycleCommands, ...domainInfoCommands, ...eventCommands, ...hostCommands,
  ...snapshotCommands, ...checkpointCommands, ...storageCommands, ...nativeCommands, ...qemuCommands,
];

const BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));

/** The command called `name`, if vsh has it. */
export function findCommand(name: string): CmdDef | undefined {
  return BY_NAME.get(name);
}
