/** iothreadinfo, iothreadpin, iothreadadd, iothreaddel, iothreadset and blkiotune, as virsh 9.0's handlers run them. */
import { DomainModificationImpact, TypedParameterType as T, typedParams, type TypedParam } from '@virtkit/core';
import type { Ctl } from '../ctl';
import type { CmdDef, Opts } from '../types';
import { lookupDomain } from '../lookup';
import { exclusive, flag, req, str, uint, ullong } from '../opt';
import { int } from '../opt-numbers';
import { printTable } from '../table';
import { typedParamText } from '../typed-param-text';
import { cpuMap, cpusetText, hostCpuCount } from './pinning';

const { VIR_DOMAIN_AFFECT_LIVE: LIVE, VIR_DOMAIN_AFFECT_CONFIG: CONFIG } = DomainModificationImpact;

/** Names, help and options come from virsh's table. */
const cmd = (name: string, handler: CmdDef['handler']): CmdDef => ({ name, group: 'domain', help: '', opts: [], handler });

function impact(ctl: Ctl, opts: Opts): number {
  exclusive(ctl, opts, 'current', 'live');
  exclusive(ctl, opts, 'current', 'config');
  return (flag(opts, 'config') ? CONFIG : 0) | (flag(opts, 'live') ? LIVE : 0);
}

/** An IOThread id option, which must be positive. */
function iothreadId(ctl: Ctl, opts: Opts): number {
  const id = int(ctl, opts, 'id') ?? 0;
  if (id <= 0) ctl.fail(`Invalid IOThread id value: '${id}'`);
  return id;
}

/** The blkiotune options and the typed parameter each one sets. */
const BLKIO_DEVICE_OPTS: ReadonlyArray<[opt: string, field: string]> = [
  ['device-weights', 'device_weight'],
  ['device-read-iops-sec', 'device_read_iops_sec'],
  ['device-write-iops-sec', 'device_write_iops_sec'],
  ['device-read-bytes-sec', 'device_read_bytes_sec'],
  ['device-write-bytes-sec', 'device_write_bytes_sec'],
];

export const iothreadCommands: CmdDef[] = [
  cmd('iothreadinfo', async (ctl, opts) => {
    const flags = impact(ctl, opts);
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    await hostCpuCount(ctl.c);
    const info = await ctl.attempt('Unable to get domain IOThreads information', () => dom.getIOThreadInfo(flags));
    if (info.length === 0) {
      ctl.printExtra('No IOThreads found for the domain');
      return true;
    }
    printTable(
      ctl,
      ['IOThread ID', 'CPU Affinity'],
      info.map((t) => [String(t.iothread_id), cpusetText(t.cpumap)]),
    );
    return true;
  }),
  cmd('iothreadpin', async (ctl, opts) => {
    const flags = impact(ctl, opts);
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const id = uint(ctl, opts, 'iothread') ?? 0;
    const cpulist = req(ctl, opts, 'cpulist');
    const map = cpuMap(ctl, cpulist, await hostCpuCount(ctl.c));
    await dom.pinIOThread(id, map, flags);
    return true;
  }),
  cmd('iothreadadd', async (ctl, opts) => {
    const flags = impact(ctl, opts);
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    await dom.addIOThread(iothreadId(ctl, opts), flags);
    return true;
  }),
  cmd('iothreaddel', async (ctl, opts) => {
    const flags = impact(ctl, opts);
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    await dom.delIOThread(iothreadId(ctl, opts), flags);
    return true;
  }),
  cmd('iothreadset', async (ctl, opts) => {
    const flags = impact(ctl, opts);
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const id = iothreadId(ctl, opts);
    const params: TypedParam[] = [];
    const maxNs = ullong(ctl, opts, 'poll-max-ns');
    if (maxNs !== null) params.push({ field: 'poll_max_ns', type: T.VIR_TYPED_PARAM_ULLONG, value: Number(maxNs) });
    for (const [opt, field] of [
      ['poll-grow', 'poll_grow'],
      ['poll-shrink', 'poll_shrink'],
    ]) {
      const v = uint(ctl, opts, opt);
      if (v !== null) params.push({ field, type: T.VIR_TYPED_PARAM_UINT, value: v });
    }
    for (const [opt, field] of [
      ['thread-pool-min', 'thread_pool_min'],
      ['thread-pool-max', 'thread_pool_max'],
    ]) {
      const v = int(ctl, opts, opt);
      if (v !== null) params.push({ field, type: T.VIR_TYPED_PARAM_INT, value: v });
    }
    if (params.length === 0) ctl.fail('Not enough arguments passed, nothing to set');
    await dom.setIOThreadParams(id, typedParams(params), flags);
    return true;
  }),
  cmd('blkiotune', async (ctl, opts) => {
    const flags = impact(ctl, opts);
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const params: TypedParam[] = [];
    const weight = int(ctl, opts, 'weight');
    if (weight !== null) {
      if (weight <= 0) ctl.fail(`Invalid value of ${weight} for I/O weight`);
      params.push({ field: 'weight', type: T.VIR_TYPED_PARAM_UINT, value: weight });
    }
    for (const [opt, field] of BLKIO_DEVICE_OPTS) {
      const v = str(ctl, opts, opt);
      if (v !== null) params.push({ field, type: T.VIR_TYPED_PARAM_STRING, value: v });
    }
    if (params.length === 0) {
      const current = await ctl.attempt('Unable to get number of blkio parameters', () => dom.getBlkioParameters(flags));
      for (const field of Object.keys(current)) ctl.print(`${field.padEnd(15)}: ${typedParamText(current, field, false)}\n`);
      return true;
    }
    await ctl.attempt('Unable to change blkio parameters', () => dom.setBlkioParameters(typedParams(params), flags));
    return true;
  }),
];
