/**
 * The promise of the generator: adding a call to api/ and regenerating makes it appear in the
 * core classes, the SPI, the Python bindings, the docs and the support matrix, with no hand
 * edits; and --check catches every kind of drift.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../src/cli';

const REPO = path.resolve(__dirname, '..', '..');

const NEW_CALL = `
/** Demo call added by the generator test. */
export const domainFrobnicate: CallDef = {
  c: 'virDomainFrobnicate',
  object: 'Domain',
  name: 'frobnicate',
  doc: 'Frobnicate the domain.',
  params: [{ name: 'level', type: 'uint', doc: 'how hard' }],
  flags: 'reserved',
  returns: 'int',
  since: '9.9.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: { program: 'remote', proc: 9999, procName: 'REMOTE_PROC_DOMAIN_FROBNICATE', args: [['dom', 'Dom'], ['level', 'uint'], ['flags', 'uint']], ret: [['result', 'int']] },
  python: 'frobnicate',
};
`;

/** A driver whose static table names the new method once the call exists (step 4). */
const demoDriver = (entries: string) => `import type { DriverTable } from '@virtkit/core';
export const demoDriverTable = { ${entries} } as const satisfies DriverTable;
export class DemoConnection {
  async domainFrobnicate() { return 1; }
}
`;

function quiet<T>(fn: () => T): T {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    return fn();
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

describe('adding a call end to end', () => {
  let root: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkit-gen-'));
    fs.cpSync(path.join(REPO, 'api'), path.join(root, 'api'), { recursive: true });
    fs.mkdirSync(path.join(root, 'packages/driver-demo/src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'packages/driver-demo/src/index.ts'), demoDriver(''));
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('generates a clean tree that --check accepts', () => {
    expect(quiet(() => main(['--root', root]))).toBe(0);
    expect(quiet(() => main(['--root', root, '--check']))).toBe(0);
  });

  it('refuses a call that public.syms does not list', () => {
    fs.appendFileSync(path.join(root, 'api/src/domain.ts'), NEW_CALL);
    expect(quiet(() => main(['--root', root, '--check']))).toBe(1);
  });

  it('puts the new call everywhere once it is versioned', () => {
    const syms = path.join(root, 'api/public.syms');
    const last = /^(VIRTKIT_[\d.]+) \{/gm;
    let prev = '';
    for (let m = last.exec(fs.readFileSync(syms, 'utf8')); m; m = last.exec(fs.readFileSync(syms, 'utf8'))) prev = m[1];
    fs.appendFileSync(syms, `\nVIRTKIT_9.9.0 {\n    global:\n        virDomainFrobnicate;\n} ${prev};\n`);
    expect(quiet(() => main(['--root', root, '--check']))).toBe(1);
    expect(quiet(() => main(['--root', root]))).toBe(0);
    fs.writeFileSync(path.join(root, 'packages/driver-demo/src/index.ts'), demoDriver("domainFrobnicate: '9.9.1'"));
    expect(quiet(() => main(['--root', root]))).toBe(0);

    const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');
    expect(read('packages/core/src/generated/api.gen.ts')).toContain('async frobnicate(level: number, flags = 0): Promise<number>');
    expect(read('packages/core/src/generated/spi.gen.ts')).toContain(
      'domainFrobnicate?(dom: DomainRef, level: number, flags: number): Promise<number>;',
    );
    expect(read('packages/core/src/generated/calls.gen.ts')).toContain("virDomainFrobnicate: { c: 'virDomainFrobnicate'");
    expect(read('packages/bindings-python/virtkit/_generated.py')).toContain('def frobnicate(self, level, flags=0):');
    expect(read('docs/api/Domain.md')).toContain('## frobnicate');
    expect(read('docs/support-matrix.md')).toMatch(/\| `virDomainFrobnicate` \| 9\.9\.0 \|.* 9\.9\.1 \|/);
    expect(quiet(() => main(['--root', root, '--check']))).toBe(0);
  });

  it('--check catches hand edits and left-over files', () => {
    const file = path.join(root, 'docs/api/Domain.md');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, `${text}\nhand edit\n`);
    expect(quiet(() => main(['--root', root, '--check']))).toBe(1);
    fs.writeFileSync(file, text);
    const stray = path.join(root, 'docs/api/Gone.md');
    fs.writeFileSync(stray, `${text.split('\n')[0]}\n# Gone\n`);
    expect(quiet(() => main(['--root', root, '--check']))).toBe(1);
    expect(quiet(() => main(['--root', root]))).toBe(0);
    expect(fs.existsSync(stray)).toBe(false);
  });
});
