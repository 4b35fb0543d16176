/**
 * The Python bindings' wire tables: the generator parses api/'s wire types once (the grammar of
 * `WireField`) and hands Python descriptors, so the bindings keep no grammar, numbers or layouts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { emitPythonWire, pyDescriptor } from '../src/emit-python-wire';
import { loadApi } from '../src/load';
import { validateModel } from '../src/validate';
import { parseWireType } from '../src/xdr-type';

const root = path.resolve(__dirname, '..', '..');
const model = loadApi(root);
const handles = new Set(['Dom', 'Pool', 'Vol', 'Snap', 'Chk', 'Net']);
const py = (t: string) => pyDescriptor(parseWireType(t, handles));

test('every wire type of the grammar becomes its descriptor', () => {
  expect(py('int')).toBe('"int"');
  expect(py('str')).toBe('"string"');
  expect(py('string?')).toBe('("optional", "string")');
  expect(py('Dom<16384>')).toBe('("array", "Dom", 16384)');
  expect(py('int<>')).toBe('("array", "int", None)');
  expect(py('uhyper[3]')).toBe('("fixed", "uhyper", 3)');
  expect(py('TP<64>')).toBe('("typed_params", 64)');
  expect(py('opaque<10>')).toBe('("opaque", 10)');
  expect(py('opaque[16]')).toBe('("fixed_opaque", 16)');
  expect(py('char[32]')).toBe('("fixed_chars", 32, True)');
  expect(py('uchar<257>')).toBe('("chars", 257, False)');
  expect(py('{field: str, value: uhyper}<16>')).toBe('("array", ("struct", (("field", "string"), ("value", "uhyper"))), 16)');
  expect(py('Dom?<4>')).toBe('("array", ("optional", "Dom"), 4)');
});

test('a malformed or unknown wire type is refused, naming the type', () => {
  for (const bad of ['integer', 'int<', 'int<x>', 'TP', 'TP<>', 'opaque', '{a int}', 'int<5>>', 'Dom??x', 'Domain']) {
    expect(() => parseWireType(bad, handles)).toThrow(new RegExp(`wire type '${bad.replace(/[?[\]{}<>]/g, '\\$&')}'`));
  }
});

test('_wire.py holds every procedure, protocol procedure and event message of api/', () => {
  const [out] = emitPythonWire(model);
  expect(out.file).toBe('packages/bindings-python/virtkit/_wire.py');
  for (const call of model.calls.filter((c) => c.remote)) {
    expect(out.text).toContain(
      `\n${call.remote!.procName} = Procedure(${call.remote!.program.toUpperCase()}_PROGRAM, ${call.remote!.proc}, `,
    );
  }
  for (const p of model.protocol!.procedures) expect(out.text).toContain(`\n${p.procName} = ${p.ret === null ? 'Message' : 'Procedure'}(`);
  for (const e of model.events) expect(out.text).toContain(`    ${e.eventId}: ${e.procName},\n`);
  expect(out.text).toContain('\nVIR_CONNECT_CLOSE_REASON_KEEPALIVE = 2\n');
  expect(out.text).toContain('\nKEEPALIVE_PROGRAM = 0x6b656570\n');
});

test('a protocol procedure may not reuse the number of a call', () => {
  const procedures = [
    ...model.protocol!.procedures,
    { program: 'remote' as const, proc: 16, procName: 'REMOTE_PROC_X', args: [], ret: [] },
  ];
  expect(validateModel({ ...model, protocol: { ...model.protocol!, procedures } })).toContain(
    'api/src/protocol.ts: REMOTE_PROC_X reuses remote procedure 16 of virDomainGetInfo',
  );
  expect(validateModel(model)).toEqual([]);
});

test('the hand-written Python runtime holds no procedure number, layout or enum of its own', () => {
  const dir = path.join(root, 'packages/bindings-python/virtkit');
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.py') && !['_wire.py', '_generated.py'].includes(f))) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    // a protocol or libvirt constant set from a bare number, or a type-string layout
    const constant = /^(VIR_|REMOTE_|QEMU_|LXC_|KEEPALIVE_|PROC_|FEATURE_|AUTH_|TP_)[A-Z0-9_]* = (0x[0-9a-fA-F]+|\d+)\b/m;
    expect([name, text.match(constant)?.[0] ?? null]).toEqual([name, null]);
    expect([name, text.match(/"(string\?|Dom\?|int<\d+>|TP<\d+>)"/)?.[0] ?? null]).toEqual([name, null]);
  }
});
