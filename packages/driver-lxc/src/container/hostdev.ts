/**
 * `<hostdev mode='capabilities'>` of a container (libvirt's lxcContainerSetupHostdevCaps): a host
 * block device (`type='storage'`, `<source><block>`) or character device (`type='misc'`,
 * `<source><char>`) appears at the same path in the container's /dev, and a host network
 * interface (`type='net'`, `<source><interface>`) moves into the container's network namespace
 * for as long as it runs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { DomainDef } from '@virtkit/xml';

export interface HostdevPlan {
  /** Device node paths, bound into the container at the same path. */
  nodes: string[];
  /** Host network interfaces moved into the container's namespace. */
  nets: string[];
}

const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_LXC, detail);

function deviceNode(path: string | undefined, kind: 'block' | 'char'): string {
  if (!path?.startsWith('/dev/')) throw unsupported(`Missing or invalid ${kind} device path '${path ?? ''}'`);
  let st: fs.Stats;
  try {
    st = fs.statSync(path);
  } catch {
    throw VirError.create(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_LXC, `Unable to stat ${path}: No such file or directory`);
  }
  if (kind === 'block' ? !st.isBlockDevice() : !st.isCharacterDevice()) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      ErrorDomain.VIR_FROM_LXC,
      `Hostdev source ${path} must be a ${kind} device`,
    );
  }
  return path;
}

export function hostdevPlan(def: DomainDef): HostdevPlan {
  const plan: HostdevPlan = { nodes: [], nets: [] };
  for (const d of def.devices) {
    if (d.kind !== 'hostdev') continue;
    const mode = d.el.attr('mode') ?? 'subsystem';
    if (mode !== 'capabilities') throw unsupported(`Unsupported hostdev mode ${mode}`);
    const type = d.el.attr('type') ?? '';
    const src = d.el.element('source');
    if (type === 'storage') plan.nodes.push(deviceNode(src?.childText('block'), 'block'));
    else if (type === 'misc') plan.nodes.push(deviceNode(src?.childText('char'), 'char'));
    else if (type === 'net') {
      const dev = src?.childText('interface') ?? '';
      // `ip`, not /sys/class/net, which shows the namespace /sys was mounted in.
      if (spawnSync('ip', ['link', 'show', 'dev', dev], { stdio: 'ignore' }).status !== 0)
        throw unsupported(`Cannot find host network interface '${dev}'`);
      plan.nets.push(dev);
    } else throw unsupported(`Unsupported host device type ${type}`);
  }
  return plan;
}

/** Script lines that bind the device nodes into the container's /dev at `root`. */
export function deviceNodeLines(root: string, nodes: string[], quote: (s: string) => string): string[] {
  return nodes.flatMap((n) => {
    const at = quote(`${root}${n}`);
    return [`mkdir -p "$(dirname ${at})"`, `touch ${at}`, `mount --bind ${quote(n)} ${at}`];
  });
}
