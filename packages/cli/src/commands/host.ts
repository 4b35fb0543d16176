/** Host and connection commands: uri, version, hostname, nodeinfo, capabilities, domcapabilities, maxvcpus, sysinfo. */
import { LIBVIRT_COMPAT_VERSION, wideToNumber, type Wide } from '@virtkit/core';
import type { CmdDef } from '../types';
import { label } from '../format';
import { flag, printJson, str } from '../opt';
import { parseXml } from '@virtkit/xml';
import { JSON_OPT } from './shared-options';

function versionText(wide: Wide): string {
  const v = wideToNumber(wide);
  return `${Math.floor(v / 1000000)}.${Math.floor(v / 1000) % 1000}.${v % 1000}`;
}

export const hostCommands: CmdDef[] = [
  {
    name: 'uri',
    group: 'host',
    help: 'print the hypervisor canonical URI',
    opts: [],
    async handler(ctl) {
      ctl.print(`${await ctl.c.getURI()}\n`);
      return true;
    },
  },
  {
    name: 'version',
    group: 'host',
    help: 'show version',
    opts: [{ name: 'daemon', type: 'bool' }],
    async handler(ctl) {
      ctl.print(`Compiled against library: libvirt ${versionText(LIBVIRT_COMPAT_VERSION)}\n`);
      const lib = await ctl.c.getLibVersion();
      ctl.print(`Using library: libvirt ${versionText(lib)}\n`);
      const type = await ctl.c.getType();
      ctl.print(`Using API: ${type} ${versionText(lib)}\n`);
      const hv = await ctl.c.getVersion();
      if (hv === 0) ctl.print(`Cannot extract running ${type} hypervisor version\n`);
      else ctl.print(`Running hypervisor: ${type} ${versionText(hv)}\n`);
      return true;
    },
  },
  {
    name: 'hostname',
    group: 'host',
    help: 'print the hypervisor hostname',
    opts: [],
    async handler(ctl) {
      ctl.print(`${await ctl.c.getHostname()}\n`);
      return true;
    },
  },
  {
    name: 'nodeinfo',
    group: 'host',
    help: 'node information',
    opts: [JSON_OPT],
    async handler(ctl, opts) {
      const i = await ctl.attempt('failed to get node information', () => ctl.c.getInfo());
      if (flag(opts, 'json')) {
        printJson(ctl, {
          model: i.model,
          memory: i.memory,
          cpus: i.cpus,
          mhz: i.mhz,
          nodes: i.nodes,
          sockets: i.sockets,
          cores: i.cores,
          threads: i.threads,
        });
        return true;
      }
      const row = (k: string, v: string): void => ctl.print(`${label(k, 20)} ${v}\n`);
      row('CPU model:', i.model);
      row('CPU(s):', String(i.cpus));
      row('CPU frequency:', `${i.mhz} MHz`);
      row('CPU socket(s):', String(i.sockets));
      row('Core(s) per socket:', String(i.cores));
      row('Thread(s) per core:', String(i.threads));
      row('NUMA cell(s):', String(i.nodes));
      row('Memory size:', `${i.memory} KiB`);
      return true;
    },
  },
  {
    name: 'capabilities',
    group: 'host',
    help: 'capabilities',
    opts: [
      { name: 'xpath', type: 'string' },
      { name: 'wrap', type: 'bool' },
    ],
    async handler(ctl) {
      const caps = await ctl.attempt('failed to get capabilities', () => ctl.c.getCapabilities());
      ctl.print(`${caps}\n`);
      return true;
    },
  },
  {
    name: 'domcapabilities',
    group: 'host',
    help: 'domain capabilities',
    opts: [],
    async handler(ctl, opts) {
      const s = (n: string) => str(ctl, opts, n);
      const [virttype, emulatorbin, arch, machine] = [s('virttype'), s('emulatorbin'), s('arch'), s('machine')];
      const caps = await ctl.attempt('failed to get emulator capabilities', () =>
        ctl.c.getDomainCapabilities(emulatorbin, arch, machine, virttype, 0),
      );
      ctl.print(`${caps}\n`);
      return true;
    },
  },
  {
    name: 'maxvcpus',
    group: 'host',
    help: 'connection vcpu maximum',
    opts: [],
    async handler(ctl, opts) {
      const type = str(ctl, opts, 'type');
      // The domain capabilities' <vcpu max> first; any failure there falls back to virConnectGetMaxVcpus.
      let vcpus = -1;
      const caps = await ctl.c.getDomainCapabilities(null, null, null, type, 0).catch(() => null);
      if (caps !== null) {
        const max = parseXml(caps).element('vcpu')?.attr('max');
        if (max !== undefined && /^\s*[+-]?\d+\s*$/.test(max)) vcpus = Number(max);
      }
      if (vcpus < 0) vcpus = await ctl.c.getMaxVcpus(type);
      ctl.print(`${vcpus}\n`);
      return true;
    },
  },
  {
    name: 'sysinfo',
    group: 'host',
    help: 'print the hypervisor sysinfo',
    opts: [],
    async handler(ctl) {
      const info = await ctl.attempt('failed to get sysinfo', () => ctl.c.getSysinfo(0));
      ctl.print(info);
      return true;
    },
  },
];
