/** The command table: every command family, looked up by name. */
import type { CmdDef } from '../types';
import { hostCommands } from './host';
import { domainInfoCommands } from './domain-info';
import { domainLifecycleCommands } from './domain-lifecycle';
import { snapshotCommands } from './snapshot';
import { checkpointCommands } from './checkpoint';
import { storageCommands } from './storage';
import { poolCommands } from './pool';
import { networkCommands } from './network';
import { interfaceCommands } from './interface';
import { domblkCommands } from './domblk';
import { blockjobCommands } from './blockjob';
import { backupCommands } from './backup';
import { undefineCommand } from './undefine';
import { helpCommand } from './help-cmd';
import { volumeCommands } from './volume';
import { volStreamCommands } from './vol-stream';
import { eventCommands } from './events';
import { nativeCommands } from './native';
import { qemuCommands } from './qemu';
import { monitorCommands } from './monitor';
import { nodeStatsCommands } from './node-stats';
import { secretCommands } from './secret';
import { tuningCommands } from './tuning';

export const COMMANDS: CmdDef[] = [
  ...domainLifecycleCommands,
  undefineCommand,
  ...domainInfoCommands,
  ...eventCommands,
  ...hostCommands,
  ...snapshotCommands,
  ...checkpointCommands,
  ...storageCommands,
  ...poolCommands,
  ...networkCommands,
  ...interfaceCommands,
  ...domblkCommands,
  ...blockjobCommands,
  ...backupCommands,
  ...volumeCommands,
  ...volStreamCommands,
  ...nativeCommands,
  ...qemuCommands,
  ...monitorCommands,
  ...nodeStatsCommands,
  ...secretCommands,
  ...tuningCommands,
];

const BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));
BY_NAME.set(
  'help',
  helpCommand(
    () => COMMANDS,
    (name) => BY_NAME.get(name),
  ),
);

/** The command called `name`, if vsh has it. */
export function findCommand(name: string): CmdDef | undefined {
  return BY_NAME.get(name);
}
