/** What a domain is and does: info, state, XML, autostart and the monitor passthrough. */
import { DomainTaintFlag } from '@virtkit/xml';
import { taintDomain } from '../taint/extension';
import * as fs from 'node:fs';
import {
  DomainQemuMonitorCommandFlags as M,
  DomainXMLFlags as X,
  VirError,
  type DomainInfo,
  type DomainRef,
  type DomainStateInfo,
} from '@virtkit/core';
import { formatDomainXml } from '@virtkit/xml';
import { getAutostart as linkExists, setAutostart as setLink } from './config';
import type { QemuDriver } from '../qemu-driver';
import { checkFlags, FROM_QEMU, notRunning } from './errors';
import type { QemuDomainObj } from './obj';

/** CPU time of a process in nanoseconds (user + system, from /proc). */
function processCpuTime(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]);
    return ticks * (1e9 / 100); // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

export function getInfo(driver: QemuDriver, ref: DomainRef): DomainInfo {
  const obj = driver.domains.get(ref);
  const def = obj.def;
  return {
    state: obj.state.state,
    maxMem: Number(def.memory),
    memory: Number(def.currentMemory),
    nrVirtCpu: def.vcpuCurrent ?? def.vcpu,
    cpuTime: obj.active ? processCpuTime(obj.runtime.pid) : 0,
  };
}

/** The memory ceiling of the definition in effect, in KiB (qemuDomainGetMaxMemory: the live one while running). */
export function getMaxMemory(driver: QemuDriver, ref: DomainRef): number {
  return Number(driver.domains.get(ref).def.memory);
}

export function getState(driver: QemuDriver, ref: DomainRef, flags: number): DomainStateInfo {
  checkFlags(flags, 0, 'qemuDomainGetState');
  return driver.domains.get(ref).state;
}

export function getXMLDesc(driver: QemuDriver, ref: DomainRef, flags: number): string {
  checkFlags(
    flags,
    X.VIR_DOMAIN_XML_SECURE | X.VIR_DOMAIN_XML_INACTIVE | X.VIR_DOMAIN_XML_UPDATE_CPU | X.VIR_DOMAIN_XML_MIGRATABLE,
    'qemuDomainGetXMLDesc',
  );
  const obj = driver.domains.get(ref);
  const inactive = (flags & X.VIR_DOMAIN_XML_INACTIVE) !== 0;
  const def = inactive ? (obj.persistentDef ?? obj.def) : obj.def;
  return formatDomainXml(def, {
    inactive: inactive || !obj.active,
    secure: (flags & X.VIR_DOMAIN_XML_SECURE) !== 0,
    migratable: (flags & X.VIR_DOMAIN_XML_MIGRATABLE) !== 0,
  });
}

export function getAutostart(driver: QemuDriver, ref: DomainRef): boolean {
  const obj = driver.domains.get(ref);
  return linkExists(driver.paths, obj.name);
}

export async function setAutostart(driver: QemuDriver, ref: DomainRef, autostart: boolean): Promise<void> {
  const obj = driver.domains.get(ref);
  if (!obj.persistent) throw VirError.operationInvalid('cannot set autostart for transient domain', FROM_QEMU);
  await driver.withJob(obj, 'modify', 'virDomainSetAutostart', () => setLink(driver.paths, obj.name, autostart));
}

/** virDomainQemuMonitorCommand: QMP JSON text in, QEMU's reply out; HMP through `human-monitor-command`. */
export async function qemuMonitorCommand(driver: QemuDriver, ref: DomainRef, cmd: string, flags: number): Promise<string> {
  checkFlags(flags, M.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP, 'qemuDomainQemuMonitorCommand');
  const obj: QemuDomainObj = driver.domains.get(ref);
  if (!obj.active) throw notRunning();
  return driver.withJob(obj, 'query', 'virDomainQemuMonitorCommand', async () => {
    taintDomain(obj, DomainTaintFlag.CUSTOM_MONITOR);
    const mon = obj.monitor();
    // libvirt hands HMP text on with '\n' line ends, as clients of libvirtd see it.
    if (flags & M.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP) return (await mon.hmp(cmd)).replace(/\r\n/g, '\n');
    return mon.executeText(cmd);
  });
}
