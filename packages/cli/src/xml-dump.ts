/**
 * virsh's output of an XML description (virshDumpXML): the document as the API gave it, or with
 * `--xpath` the nodes the expression selects, each serialized as libxml2 does (double-quoted
 * attributes, two-space indentation of element-only content), one a line, or with `--wrap` as
 * copies under one `<nodes>` element.
 */
import { parseXml } from '@virtkit/xml';
import type { Ctl } from './ctl';
import { flag, str } from './opt';
import type { Opts } from './types';
import { compileXPath, xpathDocument, XPathSyntaxError, type XNode } from './xpath';
import { withNewline } from './commands/shared-options';

/** The `--xpath` and `--wrap` options of the *-dumpxml commands. */
export const XPATH_OPTS = [
  { name: 'xpath', type: 'string' as const, help: 'xpath expression to filter the XML document' },
  { name: 'wrap', type: 'bool' as const, help: 'wrap xpath results in an common root element' },
];

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');

/** One node as libxml2's xmlNodeDump writes it with formatting on, at indentation `level`. */
function serialize(n: XNode, level = 0): string {
  if (n.kind === 'text') return escapeText(n.text);
  if (n.kind === 'attr') return ` ${n.name}="${escapeAttr(n.value)}"`;
  if (n.kind === 'doc') return `<?xml version="1.0" encoding="UTF-8"?>\n${n.children.map((c) => serialize(c)).join('\n')}\n`;
  const open = `<${n.name}${n.attrs.map((a) => serialize(a)).join('')}`;
  if (n.children.length === 0) return `${open}/>`;
  // libxml2 indents only content without text: text children are written as they are.
  if (n.children.some((c) => c.kind === 'text')) return `${open}>${n.children.map((c) => serialize(c, level + 1)).join('')}</${n.name}>`;
  const pad = '  '.repeat(level + 1);
  // A copied document (`--xpath / --wrap`) starts at the margin, with its XML declaration.
  const line = (c: XNode) => (c.kind === 'doc' ? `${serialize(c)}\n` : `${pad}${serialize(c, level + 1)}\n`);
  return `${open}>\n${n.children.map(line).join('')}${'  '.repeat(level)}</${n.name}>`;
}

/** The `<nodes>` element virsh builds for --wrap: attributes become its own (a later one of a name replacing an earlier), adjacent text merges. */
function wrapped(nodes: XNode[]): string {
  const attrs = new Map<string, XNode>();
  const children: XNode[] = [];
  for (const n of nodes) {
    if (n.kind === 'attr') attrs.set(n.name, n);
    else {
      const last = children.at(-1);
      if (n.kind === 'text' && last?.kind === 'text') children[children.length - 1] = { ...last, text: last.text + n.text };
      else children.push(n);
    }
  }
  const doc: XNode = { kind: 'doc', order: 0, children: [] };
  return serialize({ kind: 'element', order: 0, name: 'nodes', parent: doc, children, attrs: [...attrs.values()] });
}

/** Print `xml` as the command's result, filtered by --xpath/--wrap when given; false on an error virsh reports. */
export function printXml(ctl: Ctl, opts: Opts, xml: string): boolean {
  const xpath = str(ctl, opts, 'xpath');
  if (xpath === null) {
    ctl.print(withNewline(xml));
    return true;
  }
  let nodes: XNode[];
  try {
    const value = compileXPath(xpath)(xpathDocument(parseXml(xml)));
    if (!Array.isArray(value)) {
      ctl.error(`internal error: Incorrect xpath '${xpath}'`);
      return false;
    }
    nodes = value;
  } catch (e) {
    if (!(e instanceof XPathSyntaxError)) throw e;
    // libxml2 reports the expression on stderr and gives no nodes; virsh goes on with none.
    ctl.io.stderr(`XPath error : ${e.message}\n${xpath}\n${' '.repeat(e.pos)}^\n`);
    nodes = [];
  }
  if (flag(opts, 'wrap')) ctl.print(`${wrapped(nodes)}\n`);
  else for (const n of nodes) ctl.print(`${serialize(n)}\n`);
  return true;
}
