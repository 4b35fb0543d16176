/** qemuConnectGetCPUModelNames: the models of the package's CPU map for an architecture. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { cpuModelNames } from '@virtkit/xml';
import { cpuMapDir } from './map';

export function getCPUModelNames(arch: string, flags: number): string[] {
  if (flags !== 0) {
    const message = `unsupported flags (0x${(flags >>> 0).toString(16)}) in function qemuConnectGetCPUModelNames`;
    throw new VirError({ code: ErrorNumber.VIR_ERR_INVALID_ARG, domain: ErrorDomain.VIR_FROM_QEMU, message, str1: message });
  }
  return cpuModelNames(readFileSync(path.join(cpuMapDir(), 'index.xml'), 'utf8'), arch, ErrorDomain.VIR_FROM_QEMU);
}
