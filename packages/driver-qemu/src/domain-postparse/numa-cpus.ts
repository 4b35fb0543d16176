/**
 * qemuDomainDefNumaCPUsRectify: when the NUMA cells name fewer vCPUs than the domain's maximum,
 * cell 0 takes every vCPU no other cell has (libvirt keeps this older QEMU behaviour explicit).
 */
import { formatBitmap, orderAttrs, parseBitmap, type DomainDef } from '@virtkit/xml';

export function fillNumaCell0(def: DomainDef): void {
  const cells = def.preserved.get('cpu')?.[0]?.element('numa')?.elements('cell') ?? [];
  if (!cells.length) return;
  const cpusOf = (cell: (typeof cells)[number]) => {
    const text = cell.attr('cpus');
    return text === undefined ? [] : (parseBitmap(text) ?? []);
  };
  const named = cells.reduce((n, cell) => n + cpusOf(cell).length, 0);
  if (named >= def.vcpu) return;
  const taken = new Set(cells.slice(1).flatMap(cpusOf));
  const rest = Array.from({ length: def.vcpu }, (_, i) => i).filter((i) => !taken.has(i));
  cells[0]!.attrs.set('cpus', formatBitmap(rest));
  orderAttrs(cells[0]!, ['id', 'cpus']);
}
