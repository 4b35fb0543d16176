/**
 * virsh 9.0's command table — groups, commands, aliases, options with their types, flags and help
 * — carried from libvirt's tools/ sources (LGPL-2.1, see ../NOTICE) by
 * scripts/extract-virsh-table.mjs. It is what `help`, the option parser and the not-yet-implemented
 * commands read, so they behave as virsh's own table makes virsh behave.
 */
import table from './virsh-table.json';

/** virsh's vshCmdOptType, lower-cased. */
export type VirshOptType = 'bool' | 'string' | 'int' | 'data' | 'argv' | 'alias';

/** One vshCmdOptDef. For an alias, `help` holds the target (`name` or `name=value`). */
export interface VirshOpt {
  name: string;
  type: VirshOptType;
  help: string;
  /** VSH_OFLAG_REQ */
  required?: boolean;
  /** VSH_OFLAG_REQ_OPT: only given by name */
  namedOnly?: boolean;
  /** VSH_OFLAG_EMPTY_OK */
  emptyOk?: boolean;
}

/** One vshCmdDef that is a command (not an alias). */
export interface VirshCommand {
  name: string;
  help: string;
  desc: string;
  opts: VirshOpt[];
  noConnect?: boolean;
  hidden?: boolean;
  /** The libvirt call virsh's handler makes first: named by the not-supported error. */
  api?: string;
}

/** A vshCmdDef with VSH_CMD_FLAG_ALIAS. */
export interface VirshAlias {
  name: string;
  alias: string;
}

/** One vshCmdGrp: the commands in virsh's order. */
export interface VirshGroup {
  name: string;
  keyword: string;
  commands: Array<VirshCommand | VirshAlias>;
}

/** The groups in virsh's order. */
export const VIRSH_GROUPS = table.groups as VirshGroup[];

/** Whether a table entry is an alias of another command. */
export function isAlias(c: VirshCommand | VirshAlias): c is VirshAlias {
  return 'alias' in c;
}
