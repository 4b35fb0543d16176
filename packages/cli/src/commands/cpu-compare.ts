/** cpu-compare and hypervisor-cpu-compare, as virsh 9.0's cmdCPUCompare and cmdHypervisorCPUCompare run them. */
import { ConnectCompareCPUFlags as C, CPUCompareResult as R } from '@virtkit/core';
import { mkEl, parseXml, serializeElement, type XmlElement } from '@virtkit/xml';
import type { Ctl } from '../ctl';
import type { CmdDef, Opts } from '../types';
import { flag, req, str } from '../opt';
import { readXmlFile } from './shared-options';

/**
 * vshExtractCPUDefXMLs, for the first CPU: a bare `<cpu>`, a domain's, the host CPU of
 * capabilities, or the host-model CPU of domain capabilities (as a `<cpu>`).
 */
function firstCpuXml(ctl: Ctl, file: string): string {
  const text = readXmlFile(file);
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (e) {
    ctl.fail(`${file}: ${(e as Error).message}`);
  }
  let cpu: XmlElement | undefined;
  if (root.name === 'cpu') cpu = root;
  else if (root.name === 'domain') cpu = root.element('cpu');
  else if (root.name === 'capabilities') cpu = root.element('host')?.element('cpu');
  else if (root.name === 'domainCapabilities') {
    const mode = root
      .element('cpu')
      ?.elements('mode')
      .find((m) => m.attr('name') === 'host-model' && m.attr('supported') === 'yes');
    // Renamed to <cpu>, its attributes dropped, as virsh does.
    if (mode) cpu = mkEl('cpu', [], mode.elements());
  }
  if (!cpu) {
    ctl.fail(`File '${file}' does not contain any <cpu> element or valid domain XML, host capabilities XML, or domain capabilities XML`);
  }
  return serializeElement(cpu);
}

function compareFlags(opts: Opts): number {
  return (
    (flag(opts, 'error') ? C.VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE : 0) |
    (flag(opts, 'validate') ? C.VIR_CONNECT_COMPARE_CPU_VALIDATE_XML : 0)
  );
}

/** The verdict as virsh prints it (the blank line after it is every command's); incompatible fails the command. */
function report(ctl: Ctl, result: number, texts: Record<number, string>): boolean {
  ctl.print(`${texts[result]}\n`);
  return result !== R.VIR_CPU_COMPARE_INCOMPATIBLE;
}

export const cpuCompareCommands: CmdDef[] = [
  {
    name: 'cpu-compare',
    group: 'host',
    help: '',
    opts: [],
    async handler(ctl, opts) {
      const file = req(ctl, opts, 'file');
      const xml = firstCpuXml(ctl, file);
      const result = await ctl.attempt(`Failed to compare host CPU with ${file}`, () => ctl.c.compareCPU(xml, compareFlags(opts)));
      return report(ctl, result, {
        [R.VIR_CPU_COMPARE_INCOMPATIBLE]: `CPU described in ${file} is incompatible with host CPU`,
        [R.VIR_CPU_COMPARE_IDENTICAL]: `CPU described in ${file} is identical to host CPU`,
        [R.VIR_CPU_COMPARE_SUPERSET]: `Host CPU is a superset of CPU described in ${file}`,
      });
    },
  },
  {
    name: 'hypervisor-cpu-compare',
    group: 'host',
    help: '',
    opts: [],
    async handler(ctl, opts) {
      const file = req(ctl, opts, 'file');
      const s = (n: string) => str(ctl, opts, n);
      const [virttype, emulator, arch, machine] = [s('virttype'), s('emulator'), s('arch'), s('machine')];
      const xml = firstCpuXml(ctl, file);
      const result = await ctl.attempt(`Failed to compare hypervisor CPU with ${file}`, () =>
        ctl.c.compareHypervisorCPU(emulator, arch, machine, virttype, xml, compareFlags(opts)),
      );
      return report(ctl, result, {
        [R.VIR_CPU_COMPARE_INCOMPATIBLE]: `CPU described in ${file} is incompatible with the CPU provided by hypervisor on the host`,
        [R.VIR_CPU_COMPARE_IDENTICAL]: `CPU described in ${file} is identical to the CPU provided by hypervisor on the host`,
        [R.VIR_CPU_COMPARE_SUPERSET]: `The CPU provided by hypervisor on the host is a superset of CPU described in ${file}`,
      });
    },
  },
];
