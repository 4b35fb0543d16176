/**
 * The commands that tune or steer a migration in progress (virsh-domain.c's cmdMigrateSet/Get*,
 * cmdMigrateCompCache, cmdMigratePostCopy), as virsh 9.0 runs them.
 */
import { DomainMigrateMaxSpeedFlags } from '@virtkit/core';
import { prettyCapacity } from '../format';
import { lookupDomain } from '../lookup';
import { flag, req, str, ullong } from '../opt';
import type { Ctl } from '../ctl';
import type { CmdDef, Opts } from '../types';

const cmd = (name: string, handler: CmdDef['handler']): CmdDef => ({ name, group: 'domain', help: '', opts: [], handler });

/** vshCommandOptULWrap: strtoul's unsigned long, where a negative number wraps around. */
function ulWrap(ctl: Ctl, opts: Opts, name: string): bigint {
  const v = str(ctl, opts, name) ?? '0';
  const n = /^[+-]?\d+$/.test(v) ? BigInt(v) : null;
  if (n === null || (n < 0n ? -n : n) >= 1n << 64n) ctl.fail(`Numeric value '${v}' for <${name}> option is malformed or out of range`);
  return BigInt.asUintN(64, n);
}

const postcopyFlag = (opts: Opts) => (flag(opts, 'postcopy') ? DomainMigrateMaxSpeedFlags.VIR_DOMAIN_MIGRATE_MAX_SPEED_POSTCOPY : 0);

export const migrateTuningCommands: CmdDef[] = [
  cmd('migrate-setmaxdowntime', async (ctl, opts) => {
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const downtime = ullong(ctl, opts, 'downtime') ?? 0n;
    if (downtime < 1n) ctl.fail('migrate: Invalid downtime');
    await dom.migrateSetMaxDowntime(downtime, 0);
    return true;
  }),
  cmd('migrate-getmaxdowntime', async (ctl, opts) => {
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    ctl.print(`${await dom.migrateGetMaxDowntime(0)}\n`);
    return true;
  }),
  cmd('migrate-compcache', async (ctl, opts) => {
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const size = ullong(ctl, opts, 'size');
    if (size !== null) await dom.migrateSetCompressionCache(size, 0);
    // virsh prints no newline after the figure.
    ctl.print(`Compression cache: ${prettyCapacity(await dom.migrateGetCompressionCache(0), 3)}`);
    return true;
  }),
  cmd('migrate-setspeed', async (ctl, opts) => {
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    await dom.migrateSetMaxSpeed(ulWrap(ctl, opts, 'bandwidth'), postcopyFlag(opts));
    return true;
  }),
  cmd('migrate-getspeed', async (ctl, opts) => {
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    ctl.print(`${await dom.migrateGetMaxSpeed(postcopyFlag(opts))}\n`);
    return true;
  }),
  cmd('migrate-postcopy', async (ctl, opts) => {
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    await dom.migrateStartPostCopy(0);
    return true;
  }),
];
