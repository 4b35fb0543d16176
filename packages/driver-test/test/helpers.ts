/** Shared helpers of the test driver's tests: opening connections and asking real libvirt. */
import { execFileSync } from 'node:child_process';
import { parseUri, type DomainEvent } from '@virtkit/core';
import { driver } from '../src/driver';
import type { TestConnection } from '../src/connection';

export async function open(uri = 'test:///default'): Promise<TestConnection> {
  return (await driver.open(parseUri(uri), { readOnly: false })) as TestConnection;
}

/** Run `fn`, expecting a VirError; returns [code, domain, message]. */
export async function failure(p: Promise<unknown>): Promise<[number, number, string]> {
  try {
    await p;
  } catch (e) {
    const v = e as { code: number; domain: number; message: string };
    return [v.code, v.domain, v.message];
  }
  throw new Error('expected a failure');
}

export function recordEvents(conn: TestConnection): Array<[string, number, number, number]> {
  const out: Array<[string, number, number, number]> = [];
  conn.events.subscribe((e: DomainEvent) => out.push([e.dom.name, e.dom.id, e.event as number, e.detail as number]));
  return out;
}

/**
 * Run a Python snippet against real libvirt with `c` open on test:///default and helpers
 * `names(list)`; the snippet assigns `out`, which comes back as JSON.
 */
export function py(snippet: string): unknown {
  const script = `import libvirt, json, sys
libvirt.registerErrorHandler(lambda *a: None, None)
c = libvirt.open("test:///default")
names = lambda l: [x.name() if hasattr(x, "ID") else x.getName() for x in l]
def err(f):
    try:
        f(); return None
    except libvirt.libvirtError as e:
        return [e.get_error_code(), e.get_error_domain(), str(e)]
out = None
${snippet}
sys.stdout.write(json.dumps(out))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', timeout: 30000 }));
}

export function virsh(...args: string[]): string {
  return execFileSync('virsh', ['-c', 'test:///default', ...args], { encoding: 'utf8', timeout: 30000 });
}
