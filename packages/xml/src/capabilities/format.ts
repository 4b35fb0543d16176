/** Capabilities → `<capabilities>` (virCapabilitiesFormatXML): blank lines after host, each guest and the pool list. */
import { XmlWriter } from '../writer';
import { GUEST_FEATURES, type Capabilities, type CapsGuest, type CapsHost, type CapsMachine } from './types';

function machineAttrs(m: CapsMachine, withDeprecated: boolean): Array<[string, string | number | undefined]> {
  return [
    ['canonical', m.canonical],
    ['maxCpus', m.maxCpus && m.maxCpus > 0 ? m.maxCpus : undefined],
    ['deprecated', withDeprecated && m.deprecated ? 'yes' : undefined],
  ];
}

function writeHostCpu(w: XmlWriter, host: CapsHost): void {
  const cpu = host.cpu;
  w.open('cpu');
  w.leaf('arch', cpu.arch);
  if (cpu.hostFeatures?.length) w.element('features', [], (c) => cpu.hostFeatures!.forEach((f) => c.empty(f)));
  w.leaf('model', cpu.model);
  w.leaf('vendor', cpu.vendor);
  if (cpu.microcode !== undefined) w.empty('microcode', [['version', cpu.microcode]]);
  if (cpu.topology) {
    const t = cpu.topology;
    w.empty('topology', [
      ['sockets', t.sockets],
      ['dies', t.dies],
      ['cores', t.cores],
      ['threads', t.threads],
    ]);
  }
  for (const f of cpu.features ?? []) w.empty('feature', [['name', f]]);
  for (const size of cpu.pageSizes ?? [])
    w.empty('pages', [
      ['unit', 'KiB'],
      ['size', size],
    ]);
  w.close('cpu');
}

function writeNuma(w: XmlWriter, host: CapsHost): void {
  if (!host.numa) return;
  w.open('topology');
  w.open('cells', [['num', host.numa.length]]);
  for (const cell of host.numa) {
    w.open('cell', [['id', cell.id]]);
    if (cell.memory) w.leaf('memory', String(cell.memory), [['unit', 'KiB']]);
    for (const p of cell.pages ?? [])
      w.leaf('pages', String(p.count), [
        ['unit', 'KiB'],
        ['size', p.size],
      ]);
    if (cell.distances?.length) {
      w.element('distances', [], (c) =>
        cell.distances!.forEach((d) =>
          c.empty('sibling', [
            ['id', d.id],
            ['value', d.value],
          ]),
        ),
      );
    }
    w.element('cpus', [['num', cell.cpus.length]], (c) => {
      for (const cpu of cell.cpus) {
        const topo = cpu.siblings !== undefined;
        c.empty('cpu', [
          ['id', cpu.id],
          ['socket_id', topo ? (cpu.socketId ?? 0) : undefined],
          ['die_id', topo ? (cpu.dieId ?? 0) : undefined],
          ['core_id', topo ? (cpu.coreId ?? 0) : undefined],
          ['siblings', cpu.siblings],
        ]);
      }
    });
    w.close('cell');
  }
  w.close('cells');
  w.close('topology');
}

function writeHost(w: XmlWriter, host: CapsHost): void {
  w.open('host');
  w.leaf('uuid', host.uuid);
  writeHostCpu(w, host);
  w.element('power_management', [], (c) => (host.powerManagement ?? []).forEach((p) => c.empty(p)));
  w.empty('iommu', [['support', host.iommu ? 'yes' : 'no']]);
  if (host.migration) {
    const m = host.migration;
    w.open('migration_features');
    if (m.live) w.empty('live');
    if (m.uriTransports.length) w.element('uri_transports', [], (c) => m.uriTransports.forEach((t) => c.leaf('uri_transport', t)));
    w.close('migration_features');
  }
  w.leaf('netprefix', host.netprefix);
  writeNuma(w, host);
  for (const s of host.secModels ?? []) {
    w.open('secmodel');
    w.leaf('model', s.model);
    w.leaf('doi', s.doi);
    for (const l of s.baseLabels ?? []) w.leaf('baselabel', l.label, [['type', l.type]]);
    w.close('secmodel');
  }
  w.close('host');
}

function writeGuest(w: XmlWriter, g: CapsGuest): void {
  w.open('guest');
  w.leaf('os_type', g.osType);
  w.open('arch', [['name', g.arch]]);
  w.leaf('wordsize', g.wordsize);
  w.leaf('emulator', g.emulator);
  w.leaf('loader', g.loader);
  for (const m of g.machines) w.leaf('machine', m.name, machineAttrs(m, true));
  for (const d of g.domains) {
    w.element('domain', [['type', d.type]], (c) => {
      c.leaf('emulator', d.emulator);
      c.leaf('loader', d.loader);
      for (const m of d.machines ?? []) c.leaf('machine', m.name, machineAttrs(m, false));
    });
  }
  w.close('arch');
  w.element(
    'features',
    [],
    (c) => {
      for (const name of GUEST_FEATURES) {
        const f = g.features[name];
        if (f)
          c.empty(name, [
            ['default', f.default],
            ['toggle', f.toggle],
          ]);
      }
    },
    true,
  );
  w.close('guest');
}

/** Format capabilities XML. */
export function formatCapabilitiesXml(caps: Capabilities): string {
  const parts: string[] = ['<capabilities>\n\n'];
  const section = (fn: (w: XmlWriter) => void) => {
    const w = new XmlWriter();
    fn(w);
    parts.push(w.toString().replace(/^(?=.)/gm, '  ') + '\n');
  };
  section((w) => writeHost(w, caps.host));
  for (const g of caps.guests) section((w) => writeGuest(w, g));
  if (caps.pools?.length) {
    section((w) => {
      w.open('pool');
      w.element('enum', [['name', 'type']], (c) => caps.pools!.forEach((p) => c.leaf('value', p)));
      w.close('pool');
    });
  }
  parts.push('</capabilities>\n');
  return parts.join('');
}
