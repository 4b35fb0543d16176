/**
 * A named network namespace for one test (`ip netns add`), so the bridges, taps and dnsmasq a
 * test makes never touch the host's network. `run` executes a command inside it; `remove` deletes
 * it, and with it every link made there.
 */
import { spawnSync } from 'node:child_process';

export interface NetNs {
  name: string;
  /** `ip netns exec NAME` + argv: the command line that runs argv inside the namespace. */
  exec(argv: string[]): string[];
  /** Run argv inside the namespace; throws with its stderr when it fails. */
  run(...argv: string[]): string;
  /** The links of the namespace by name, as `ip -j -d link show` describes them. */
  links(): Map<string, Record<string, unknown>>;
  remove(): void;
}

/** Make a fresh namespace `vk-PREFIX-PID` with its loopback up. */
export function makeNetNs(prefix: string): NetNs {
  const name = `vk-${prefix}-${process.pid}`;
  spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  const add = spawnSync('ip', ['netns', 'add', name], { encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`ip netns add ${name}: ${add.stderr}`);
  const exec = (argv: string[]) => ['ip', 'netns', 'exec', name, ...argv];
  const run = (...argv: string[]) => {
    const full = exec(argv);
    const r = spawnSync(full[0]!, full.slice(1), { encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr || r.error?.message}`);
    return r.stdout;
  };
  run('ip', 'link', 'set', 'lo', 'up');
  return {
    name,
    exec,
    run,
    links: () =>
      new Map((JSON.parse(run('ip', '-j', '-d', 'link', 'show')) as Array<Record<string, unknown>>).map((l) => [String(l.ifname), l])),
    remove: () => void spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' }),
  };
}
