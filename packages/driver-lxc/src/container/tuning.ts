/**
 * The resource settings of a container's definition that become cgroup limits (libvirt's
 * virLXCCgroupSetup*): memory (`<memory>`, or a lower `<memtune><hard_limit>`), `<cputune>`
 * shares/period/quota, `<vcpu cpuset>` and `<blkiotune>` weight and per-device throttles.
 */
import * as fs from 'node:fs';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { DomainDef, XmlElement } from '@virtkit/xml';

export interface BlkioDevice {
  /** `major:minor` of the device. */
  id: string;
  weight?: string;
  readBps?: string;
  writeBps?: string;
  readIops?: string;
  writeIops?: string;
}

export interface CgroupTune {
  memoryKiB: bigint;
  shares?: string;
  period?: string;
  quota?: string;
  cpuset?: string;
  blkioWeight?: string;
  devices: BlkioDevice[];
}

const invalid = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_LXC, detail);

/** `major:minor` of a block device node. */
function deviceId(path: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(path);
  } catch {
    throw invalid(`Unable to stat '${path}'`);
  }
  if (!st.isBlockDevice()) throw invalid(`Path '${path}' must be a block device`);
  const major = Math.floor(st.rdev / 256) & 0xfff;
  const minor = (st.rdev & 0xff) | (Math.floor(st.rdev / 4096) & 0xfff00);
  return `${major}:${minor}`;
}

function text(el: XmlElement | undefined, name: string): string | undefined {
  return el?.element(name)?.text().trim();
}

export function cgroupTune(def: DomainDef): CgroupTune {
  const hard = text(def.preserved.get('memtune')?.[0], 'hard_limit');
  const hardKiB = hard !== undefined ? BigInt(hard) : undefined;
  const cputune = def.preserved.get('cputune')?.[0];
  const blkio = def.preserved.get('blkiotune')?.[0];
  return {
    memoryKiB: hardKiB !== undefined && hardKiB < def.memory ? hardKiB : def.memory,
    shares: text(cputune, 'shares'),
    period: text(cputune, 'period'),
    quota: text(cputune, 'quota'),
    cpuset: def.vcpuCpuset,
    blkioWeight: text(blkio, 'weight'),
    devices: (blkio?.elements('device') ?? []).map((d) => ({
      id: deviceId(text(d, 'path') ?? ''),
      weight: text(d, 'weight'),
      readBps: text(d, 'read_bytes_sec'),
      writeBps: text(d, 'write_bytes_sec'),
      readIops: text(d, 'read_iops_sec'),
      writeIops: text(d, 'write_iops_sec'),
    })),
  };
}
