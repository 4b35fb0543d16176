/**
 * virsh's vshExtractCPUDefXMLs: the CPUs of a file holding one or more bare `<cpu>` elements,
 * domains, host capabilities or domain capabilities (whose host-model CPU becomes a `<cpu>`).
 */
import { mkEl, parseXml, serializeElement, type XmlElement } from '@virtkit/xml';
import type { Ctl } from '../ctl';
import { readXmlFile } from './shared-options';

/** The CPUs one top-level element of the file describes, in document order. */
function cpusOf(root: XmlElement): XmlElement[] {
  if (root.name === 'cpu') return [root];
  if (root.name === 'domain') return root.elements('cpu');
  if (root.name === 'capabilities') return root.elements('host').flatMap((h) => h.elements('cpu'));
  if (root.name === 'domainCapabilities') {
    return root
      .elements('cpu')
      .flatMap((c) => c.elements('mode'))
      .filter((m) => m.attr('name') === 'host-model' && m.attr('supported') === 'yes')
      .map((m) => mkEl('cpu', [], m.elements())); // renamed to <cpu>, its attributes dropped, as virsh does
  }
  return [];
}

/** Every CPU of `file`, as `<cpu>` XML; a file with none fails the command as virsh does. */
export function cpuXmls(ctl: Ctl, file: string): string[] {
  const text = readXmlFile(file);
  let container: XmlElement;
  try {
    // virsh wraps the file in one element, so that it may hold several CPUs side by side.
    container = parseXml(`<container>${text}</container>`);
  } catch (e) {
    ctl.fail(`${file}: ${(e as Error).message}`);
  }
  const cpus = container.elements().flatMap(cpusOf);
  if (!cpus.length) {
    ctl.fail(`File '${file}' does not contain any <cpu> element or valid domain XML, host capabilities XML, or domain capabilities XML`);
  }
  return cpus.map((c) => serializeElement(c));
}
