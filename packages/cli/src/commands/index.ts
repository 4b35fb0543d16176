/**
 * The command table: virsh 9.0's table (virsh-table.json) joined with vsh's handlers. Every virsh
 * command is present with virsh's options; one vsh has no handler for fails as virsh does when
 * the driver lacks the API. A handler's options beyond virsh's (such as --json) are extensions.
 */
import type { CmdDef, OptDef } from '../types';
import { VIRSH_GROUPS, isAlias, type VirshCommand, type VirshOpt } from '../virsh-table';
import { hostCommands } from './host';
import { domainInfoCommands } from './domain-info';
import { domainLifecycleCommands } from './domain-lifecycle';
import { snapshotCommands } from './snapshot';
import { checkpointCommands } from './checkpoint';
import { storageCommands } from './storage';
import { poolCommands } from './pool';
import { networkCommands } from './network';
import { networkPortCommands } from './network-port';
import { interfaceCommands } from './interface';
import { domblkCommands } from './domblk';
import { diskWatchCommands } from './disk-watch';
import { dirtyRateCommands } from './dirty-rate';
import { domifCommands } from './domif';
import { domifDeviceCommands } from './domif-device';
import { blockjobCommands } from './blockjob';
import { backupCommands } from './backup';
import { undefineCommand } from './undefine';
import { helpCommand } from './help-cmd';
import { volumeCommands } from './volume';
import { volStreamCommands } from './vol-stream';
import { eventCommands } from './events';
import { nativeCommands } from './native';
import { qemuCommands } from './qemu';
import { agentCommands } from './agent';
import { screenCommands } from './screen';
import { monitorCommands } from './monitor';
import { nodeStatsCommands } from './node-stats';
import { secretCommands } from './secret';
import { nodedevCommands } from './nodedev';
import { pinningCommands } from './pinning';
import { iothreadCommands } from './iothread';
import { cpuCommands } from './cpu';
import { cpuBaselineCommands } from './cpu-baseline';
import { cpuCompareCommands } from './cpu-compare';
import { memtuneCommands } from './memtune';
import { blkdeviotuneCommand } from './blkdeviotune';
import { dumpCommand } from './dump';
import { shellCommands } from './shell';
import { domainTuningCommands } from './domain-tuning';
import { domainStateCommands } from './domain-state';
import { notSupportedHandler } from './not-supported';
import { deviceCommands } from './device';
import { consoleCommand } from './console';
import { saveCommands } from './save';
import { saveImageCommands } from './save-image';
import { domainStatsCommands } from './domain-stats';
import { displayCommands } from './display';
import { editCommands } from './edit';
import { ifaceBridgeCommands } from './iface-bridge';
import { memoryDeviceCommands } from './memory-device';
import { migrateCommand } from './migrate';
import { migrateTuningCommands } from './migrate-tuning';
import { lxcCommands } from './lxc';

/** The commands vsh implements. */
const IMPLEMENTED: CmdDef[] = [
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
  ...networkPortCommands,
  ...interfaceCommands,
  ...domblkCommands,
  ...diskWatchCommands,
  ...dirtyRateCommands,
  ...domifCommands,
  ...domifDeviceCommands,
  ...blockjobCommands,
  ...backupCommands,
  ...volumeCommands,
  ...volStreamCommands,
  ...nativeCommands,
  ...qemuCommands,
  ...lxcCommands,
  ...agentCommands,
  ...screenCommands,
  ...monitorCommands,
  ...nodeStatsCommands,
  ...secretCommands,
  ...nodedevCommands,
  ...pinningCommands,
  ...iothreadCommands,
  ...cpuCommands,
  ...cpuBaselineCommands,
  ...cpuCompareCommands,
  ...memtuneCommands,
  blkdeviotuneCommand,
  dumpCommand,
  ...shellCommands({ all: () => COMMANDS, find: (name) => findCommand(name) }),
  ...domainTuningCommands,
  ...domainStateCommands,
  ...deviceCommands,
  consoleCommand,
  ...saveCommands,
  ...saveImageCommands,
  ...domainStatsCommands,
  ...displayCommands,
  ...editCommands,
  ...ifaceBridgeCommands,
  ...memoryDeviceCommands,
  migrateCommand,
  ...migrateTuningCommands,
];

/** A virsh option as the parser reads it. */
function optDef(o: VirshOpt): OptDef {
  if (o.type === 'alias') return { name: o.name, type: 'bool', aliasOf: o.help };
  const d: OptDef = { name: o.name, type: o.type === 'argv' ? 'data' : o.type, help: o.help };
  if (o.type === 'argv') d.multi = true;
  if (o.required) d.required = true;
  if (o.namedOnly) d.namedOnly = true;
  if (o.emptyOk) d.emptyOk = true;
  return d;
}

/** A table command with vsh's handler for it, if any. */
function join(group: string, t: VirshCommand, impl: CmdDef | undefined): CmdDef {
  const opts = t.opts.map(optDef);
  const base = { name: t.name, group, help: t.help, desc: t.desc, noConnect: t.noConnect };
  if (!impl) return { ...base, opts, unimplemented: true, handler: notSupportedHandler(t) };
  const extensions = impl.opts
    .filter((o) => !opts.some((x) => x.name === o.name))
    .map((o): OptDef => ({ ...o, namedOnly: true, required: false, extension: true }));
  return { ...base, opts: [...opts, ...extensions], handler: impl.handler };
}

const byName = new Map(IMPLEMENTED.map((c) => [c.name, c]));
const BY_NAME = new Map<string, CmdDef>();
const ALIASES = new Map<string, string>();
for (const g of VIRSH_GROUPS) {
  for (const c of g.commands) {
    if (isAlias(c)) ALIASES.set(c.name, c.alias);
    else BY_NAME.set(c.name, join(g.keyword, c, c.name === 'help' ? helpCommand(findCommand) : byName.get(c.name)));
  }
}

/** Every command, in virsh's group order. */
export const COMMANDS: CmdDef[] = [...BY_NAME.values()];

/** The command called `name` (an alias gives the command it stands for), if virsh has it. */
export function findCommand(name: string): CmdDef | undefined {
  return BY_NAME.get(ALIASES.get(name) ?? name);
}
