/** Shapes shared by the parser, the command table and the command handlers. */
import type { Ctl } from './ctl';

/** Option kinds, as virsh's vshCmdOptType: a flag, a string, a number, or positional data. */
export type OptType = 'bool' | 'string' | 'int' | 'data';

/** One option of a command (virsh's vshCmdOptDef). */
export interface OptDef {
  name: string;
  type: OptType;
  /** Required (VSH_OFLAG_REQ): reported as `requires <name> option`. */
  required?: boolean;
  /** Must be given by name, never positionally (VSH_OFLAG_REQ_OPT-like). */
  namedOnly?: boolean;
  /** An empty value is accepted (VSH_OFLAG_EMPTY_OK). */
  emptyOk?: boolean;
  /** May repeat, and takes the positional words left over (VSH_OT_ARGV); values joined by NUL. */
  multi?: boolean;
  /**
   * Another name for an option (VSH_OT_ALIAS): `name` sets option `name` the same way, and
   * `name=value` (a bool alias) sets that option to `value`.
   */
  aliasOf?: string;
  help?: string;
  /** A vsh addition (such as --json): given by name only, and left out of virsh's help text. */
  extension?: boolean;
}

/** The parsed options of one command: string values, `true` for flags. */
export type Opts = Map<string, string | true>;

/** A command: its name, options, and handler; the handler returns false on failure. */
export interface CmdDef {
  name: string;
  group: string;
  help: string;
  /** The DESCRIPTION paragraph of `help <command>`, when it is more than `help`. */
  desc?: string;
  opts: OptDef[];
  /** Runs without a connection (help, quit). */
  noConnect?: boolean;
  /** vsh has no implementation yet: running it fails as virsh does when the driver lacks the API. */
  unimplemented?: boolean;
  handler(ctl: Ctl, opts: Opts): Promise<boolean>;
}

/** A parsed command ready to run. */
export interface ParsedCmd {
  def: CmdDef;
  opts: Opts;
}

/** Output sinks and exit code, so tests can run the CLI in-process. */
export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  /** Set by main() before it resolves. */
  exitCode?: number;
}

/** The command table as commands that read it see it (self-test, complete), without importing it. */
export interface CommandTable {
  all(): readonly CmdDef[];
  find(name: string): CmdDef | undefined;
}
