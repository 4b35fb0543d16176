/**
 * The cgroup tuning calls of the QEMU driver (qemuDomainGet/SetBlkioParameters,
 * Get/SetMemoryParameters, Get/SetNumaParameters, GetSchedulerType,
 * Get/SetSchedulerParameters[Flags]) and the hooks
 * that keep each running domain's groups: made before its guest runs (start.ts calls
 * `placeStarting`), found again after a driver restart, removed when it stops.
 */
import {
  blkioParameters,
  Cgroup,
  memoryParameters,
  schedulerParameters,
  schedulerType,
  setBlkioParameters,
  setMemoryParameters,
  setNumaParameters,
  setSchedulerParameters,
  type SchedGroups,
} from '@virtkit/cgroups';
import {
  DomainModificationImpact as M,
  ErrorNumber,
  modificationImpact,
  TypedParameterFlags,
  VirError,
  type DomainRef,
  type DriverConnection,
  type TypedParams,
} from '@virtkit/core';
import { numaParameters, numaParamsRequest, type DomainDef } from '@virtkit/xml';
import type { QemuConnectionExtension, QemuDriverExtension } from '../connection-extensions';
import { checkFlags, FROM_QEMU } from '../domains/errors';
import type { QemuDomainObj } from '../domains/obj';
import { copyDef } from '../domains/parse';
import type { QemuDriver } from '../qemu-driver';
import { domainGroup, findDomainGroups, machineName, placeDomain, type Qmp } from './placement';

const IMPACT = M.VIR_DOMAIN_AFFECT_LIVE | M.VIR_DOMAIN_AFFECT_CONFIG;
const GET_FLAGS = IMPACT | TypedParameterFlags.VIR_TYPED_PARAM_STRING_OKAY;
const KEY = 'cgroup';

/** The groups of a running domain, or null when it has none (e.g. a session driver's). */
const groupsOf = (obj: QemuDomainObj) => obj.extension<{ groups: SchedGroups | null }>(KEY, () => ({ groups: null }));

/** Only a privileged driver (system, or embed run by root) places domains in cgroups, as libvirt. */
const privileged = (driver: QemuDriver) => driver.paths.kind !== 'session' && process.getuid?.() === 0;

/** Put a starting domain's paused QEMU into its groups and apply its tuning (from start.ts's beforeCont). */
export async function placeStarting(driver: QemuDriver, obj: QemuDomainObj, def: DomainDef, qmp: Qmp): Promise<void> {
  if (!privileged(driver) || obj.runtime.pid === undefined) return;
  groupsOf(obj).groups = await placeDomain(machineName(driver.paths, def.id, def.name), def, obj.runtime.pid, qmp);
}

export const cgroupHooks: QemuDriverExtension = (driver) => {
  driver.addHooks({
    stopped: (obj) => {
      const state = groupsOf(obj);
      void state.groups?.domain.remove();
      state.groups = null;
    },
    // a QEMU that died while no driver followed it leaves its (now empty) group
    endedUnwatched: (live) => {
      if (privileged(driver)) void domainGroup(machineName(driver.paths, live.id, live.name)).remove();
    },
    reconnected: async (obj) => {
      const pid = obj.runtime.pid;
      if (!privileged(driver) || pid === undefined) return;
      groupsOf(obj).groups = findDomainGroups(machineName(driver.paths, obj.id, obj.name), pid);
    },
  });
};

/** virReportError for a call a session driver refuses. */
const sessionRefusal = (code: ErrorNumber, what: string) => VirError.create(code, FROM_QEMU, `${what} is not available in session mode`);

function checkPrivileged(driver: QemuDriver, code: ErrorNumber, what: string): void {
  if (!privileged(driver)) throw sessionRefusal(code, what);
}

/** The live groups, or a group with no controllers (every live call then says its controller is not mounted). */
const liveGroups = (obj: QemuDomainObj): SchedGroups =>
  groupsOf(obj).groups ?? { domain: new Cgroup('', []), vcpus: [], emulator: null, iothreads: [] };

/** For a getter: the persistent definition when asked for (or inactive), else null (live). */
function configForGet(obj: QemuDomainObj, flags: number): DomainDef | null {
  return modificationImpact(obj, flags & IMPACT).config ? obj.persistentDef! : null;
}

/**
 * A setter's job: `change` gets copies of the definitions the flags choose (the live one with
 * its groups); the changed copies are stored.
 */
async function modify(
  driver: QemuDriver,
  ref: DomainRef,
  flags: number,
  owner: string,
  change: (live: { def: DomainDef; groups: SchedGroups } | null, config: DomainDef | null) => void,
): Promise<void> {
  const obj = driver.domains.get(ref);
  await driver.withJob(obj, 'modify', owner, async () => {
    const which = modificationImpact(obj, flags);
    const liveDef = which.live ? copyDef(obj.liveDef!, true) : null;
    const config = which.config ? copyDef(obj.persistentDef!) : null;
    change(liveDef ? { def: liveDef, groups: liveGroups(obj) } : null, config);
    if (liveDef) {
      obj.liveDef = liveDef;
      await driver.saveDef(obj, liveDef);
    }
    if (config) await driver.saveDef(obj, config);
  });
}

type CgroupMethods = Pick<
  Required<DriverConnection>,
  | 'domainGetBlkioParameters'
  | 'domainSetBlkioParameters'
  | 'domainGetMemoryParameters'
  | 'domainSetMemoryParameters'
  | 'domainGetNumaParameters'
  | 'domainSetNumaParameters'
  | 'domainGetSchedulerType'
  | 'domainGetSchedulerParameters'
  | 'domainGetSchedulerParametersFlags'
  | 'domainSetSchedulerParameters'
  | 'domainSetSchedulerParametersFlags'
>;

const BLKIO = 'Block I/O tuning';
const MEMORY = 'Memory tuning';
const CPU = 'CPU tuning';
const NUMA = 'NUMA tuning';
const { VIR_ERR_CONFIG_UNSUPPORTED: CONFIG_UNSUPPORTED, VIR_ERR_OPERATION_UNSUPPORTED: OPERATION_UNSUPPORTED } = ErrorNumber;

function getScheduler(driver: QemuDriver, ref: DomainRef, flags: number): TypedParams {
  checkFlags(flags, GET_FLAGS, 'qemuDomainGetSchedulerParametersFlags');
  const obj = driver.domains.get(ref);
  checkPrivileged(driver, CONFIG_UNSUPPORTED, CPU);
  const config = configForGet(obj, flags);
  return schedulerParameters('qemu', config ? null : { def: obj.liveDef!, groups: liveGroups(obj) }, config, FROM_QEMU);
}

function setScheduler(driver: QemuDriver, ref: DomainRef, params: TypedParams, flags: number): Promise<void> {
  checkFlags(flags, IMPACT, 'qemuDomainSetSchedulerParametersFlags');
  checkPrivileged(driver, CONFIG_UNSUPPORTED, CPU);
  return modify(driver, ref, flags, 'virDomainSetSchedulerParametersFlags', (live, config) =>
    setSchedulerParameters('qemu', params, live, config, FROM_QEMU),
  );
}

export const cgroupMethods: QemuConnectionExtension = (driver): CgroupMethods => ({
  async domainGetBlkioParameters(ref, flags) {
    checkFlags(flags, GET_FLAGS, 'qemuDomainGetBlkioParameters');
    const obj = driver.domains.get(ref);
    checkPrivileged(driver, CONFIG_UNSUPPORTED, BLKIO);
    const config = configForGet(obj, flags);
    return blkioParameters(config ? null : { def: obj.liveDef!, cg: liveGroups(obj).domain }, config, FROM_QEMU);
  },
  async domainSetBlkioParameters(ref, params, flags) {
    checkFlags(flags, IMPACT, 'qemuDomainSetBlkioParameters');
    checkPrivileged(driver, CONFIG_UNSUPPORTED, BLKIO);
    await modify(driver, ref, flags, 'virDomainSetBlkioParameters', (live, config) =>
      setBlkioParameters(params, live && { def: live.def, cg: live.groups.domain }, config, FROM_QEMU),
    );
  },
  async domainGetMemoryParameters(ref, flags) {
    checkFlags(flags, GET_FLAGS, 'qemuDomainGetMemoryParameters');
    const obj = driver.domains.get(ref);
    checkPrivileged(driver, OPERATION_UNSUPPORTED, MEMORY);
    const config = configForGet(obj, flags);
    return memoryParameters(config ? null : liveGroups(obj).domain, config, FROM_QEMU);
  },
  async domainSetMemoryParameters(ref, params, flags) {
    checkFlags(flags, IMPACT, 'qemuDomainSetMemoryParameters');
    checkPrivileged(driver, OPERATION_UNSUPPORTED, MEMORY);
    await modify(driver, ref, flags, 'virDomainSetMemoryParameters', (live, config) =>
      setMemoryParameters(params, live && { def: live.def, cg: live.groups.domain }, config, FROM_QEMU),
    );
  },
  async domainGetNumaParameters(ref, flags) {
    checkFlags(flags, GET_FLAGS, 'qemuDomainGetNumaParameters');
    const obj = driver.domains.get(ref);
    return numaParameters(configForGet(obj, flags) ?? obj.liveDef!);
  },
  async domainSetNumaParameters(ref, params, flags) {
    checkFlags(flags, IMPACT, 'qemuDomainSetNumaParameters');
    const request = numaParamsRequest(params, FROM_QEMU);
    await modify(driver, ref, flags, 'virDomainSetNumaParameters', (live, config) => {
      // only a running domain's binding needs the host's cgroups
      if (live) checkPrivileged(driver, OPERATION_UNSUPPORTED, NUMA);
      setNumaParameters(request, live, config, FROM_QEMU);
    });
  },
  async domainGetSchedulerType(ref) {
    const obj = driver.domains.get(ref);
    checkPrivileged(driver, OPERATION_UNSUPPORTED, CPU);
    return schedulerType('qemu', obj.active ? liveGroups(obj).domain : null, FROM_QEMU);
  },
  async domainGetSchedulerParameters(ref) {
    return getScheduler(driver, ref, 0);
  },
  async domainGetSchedulerParametersFlags(ref, flags) {
    return getScheduler(driver, ref, flags);
  },
  async domainSetSchedulerParameters(ref, params) {
    await setScheduler(driver, ref, params, 0);
  },
  async domainSetSchedulerParametersFlags(ref, params, flags) {
    await setScheduler(driver, ref, params, flags);
  },
});
