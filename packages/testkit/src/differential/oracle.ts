/**
 * libvirt 9.0 as the oracle: define each case on `test:///default` through python3-libvirt (one
 * process for a whole batch; the test driver's state lives in that process) and record what
 * libvirt answers: the domain XML it formats, or the error code and message it refuses with.
 */
import { execFileSync } from 'node:child_process';
import { PYTHON } from '../requires';

/** What a driver made of one case. */
export type Outcome = { ok: true; xml: string } | { ok: false; code: number; message: string };

/** Format flags used on both sides: VIR_DOMAIN_XML_SECURE. */
export const DUMP_FLAGS = 1;

const SCRIPT = `
import json, sys, libvirt
libvirt.registerErrorHandler(lambda *a: None, None)
conn = libvirt.open("test:///default")
out = []
for xml in json.load(sys.stdin):
    try:
        dom = conn.defineXML(xml)
        out.append({"ok": True, "xml": dom.XMLDesc(${DUMP_FLAGS})})
        dom.undefine()
    except libvirt.libvirtError as e:
        out.append({"ok": False, "code": e.get_error_code(), "message": e.get_error_message()})
json.dump(out, sys.stdout)
`;

/** libvirt's outcome for each XML document, in order. */
export function libvirtOutcomes(xmls: string[]): Outcome[] {
  const text = execFileSync(PYTHON, ['-c', SCRIPT], { input: JSON.stringify(xmls), maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(text.toString('utf8')) as Outcome[];
}
