/**
 * Guest CPUs against the installed QEMU: the CPU a host-model or custom definition is started
 * with must be one QEMU accepts and can provide in full, without "doesn't support requested
 * feature" warnings.
 */
import { spawnSync } from 'node:child_process';
import { parseDomainXml } from '@virtkit/xml';
import { probeBinary } from '../src/caps';
import type { QemuCaps } from '../src/caps/types';
import { buildCommandLine } from '../src/command';
import { nativeConversionContext } from '../src/command/native-context';
import { qemuArgvParseHooks } from '../src/command/parse';
import { QEMU } from './helpers';

const domain = (cpu: string) => `<domain type='qemu'>
  <name>cpu-live</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  ${cpu}
  <devices><emulator>${QEMU}</emulator></devices>
</domain>`;

/** The `-cpu` value the driver starts the domain with. */
function cpuArg(caps: QemuCaps, cpu: string): string {
  const ctx = nativeConversionContext();
  const def = parseDomainXml(domain(cpu), qemuArgvParseHooks(caps, ctx));
  const argv = buildCommandLine(def, caps, ctx).argv;
  return argv[argv.indexOf('-cpu') + 1];
}

/** Start QEMU paused with that CPU and quit over QMP; returns its exit status and stderr. */
function runQemu(cpu: string): { status: number | null; stderr: string } {
  const r = spawnSync(
    QEMU,
    ['-accel', 'tcg', '-machine', 'pc', '-cpu', cpu, '-m', '64', '-S', '-nodefaults', '-display', 'none', '-qmp', 'stdio'],
    { input: '{"execute":"qmp_capabilities"}\n{"execute":"quit"}\n', encoding: 'utf8', timeout: 30000 },
  );
  return { status: r.status, stderr: r.stderr };
}

describe('guest CPU on the installed QEMU (TCG)', () => {
  let caps: QemuCaps;

  beforeAll(async () => {
    caps = await probeBinary(QEMU, { kvm: false });
  });

  it('expands host-model into a named model QEMU provides in full', () => {
    const cpu = cpuArg(caps, "<cpu mode='host-model'/>");
    expect(cpu).toMatch(/^[A-Za-z0-9_-]+,/);
    expect(caps.cpuModels.tcg.some((m) => m.name === cpu.split(',')[0])).toBe(true);
    const r = runQemu(cpu);
    expect(r.stderr).not.toMatch(/doesn't support requested feature|not found|invalid/i);
    expect(r.status).toBe(0);
  });

  it('turns off the features QEMU removed from a named model', () => {
    const cpu = cpuArg(
      caps,
      "<cpu mode='custom' match='exact' check='none'><model fallback='forbid'>Icelake-Server</model><feature policy='disable' name='pconfig'/></cpu>",
    );
    expect(cpu).toBe('Icelake-Server,intel-pt=off');
    expect(runQemu(cpu).status).toBe(0);
  });
});
