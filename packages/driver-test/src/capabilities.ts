import { XmlWriter } from '@virtkit/xml';
import type { TestState } from './state';

const PAGE_SIZES = [4, 8, 2048, 1024 * 1024];

export function capabilitiesXml(state: TestState): string {
  const out: string[] = ['<capabilities>\n', '\n'];
  const host = new XmlWriter();
  host.open('host').open('cpu').leaf('arch', 'i686');
  host.open('features').empty('pae').empty('nonpae').close('features');
  for (const p of PAGE_SIZES)
    host.empty('pages', [
      ['unit', 'KiB'],
      ['size', p],
    ]);
  host
    .close('cpu')
    .empty('power_management')
    .empty('iommu', [['support', 'no']]);
  if (state.cells.length) {
    host.open('topology').open('cells', [['num', state.cells.length]]);
    state.cells.forEach((cell, i) => {
      host.open('cell', [['id', i]]).leaf('memory', cell.mem, [['unit', 'KiB']]);
      const first = i === 1 ? PAGE_SIZES[1] : PAGE_SIZES[0];
      host.leaf('pages', Math.floor(cell.mem / first), [
        ['unit', 'KiB'],
        ['size', first],
      ]);
      for (const p of PAGE_SIZES.slice(2))
        host.leaf('pages', 0, [
          ['unit', 'KiB'],
          ['size', p],
        ]);
      host.open('cpus', [['num', cell.cpus.length]]);
      for (const c of cell.cpus) {
        host.empty('cpu', [
          ['id', c.id],
          ['socket_id', c.socketId],
          ['die_id', 0],
          ['core_id', c.coreId],
          ['siblings', c.siblings],
        ]);
      }
      host.close('cpus').close('cell');
    });
    host.close('cells').close('topology');
  }
  host.open('secmodel').leaf('model', 'testSecurity');
  host.raw('<doi></doi>');
  host.close('secmodel').close('host');
  out.push(indent(host.toString()), '\n');
  for (const os of ['hvm', 'xen']) {
    const g = new XmlWriter();
    g.open('guest')
      .leaf('os_type', os)
      .open('arch', [['name', 'i686']])
      .leaf('wordsize', 32)
      .leaf('emulator', '/usr/bin/test-hv');
    g.empty('domain', [['type', 'test']])
      .close('arch')
      .open('features')
      .empty('pae')
      .empty('nonpae')
      .close('features')
      .close('guest');
    out.push(indent(g.toString()), '\n');
  }
  out.push('</capabilities>\n');
  return out.join('');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');
}
