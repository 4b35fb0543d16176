/**
 * A driver connection declared `implements TableConnection<typeof table, Self>` is checked by tsc
 * against its static table: a misspelt SPI method (`domainGetinfo`) or a table entry without its
 * method is a compile error, where a plain `implements DriverConnection` accepts both and the call
 * answers "not supported" at run time. Compiles small drivers with the TypeScript compiler against
 * core's sources, as a driver author's tsc would.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');

/** A connection with the given SPI-like members, declared against a table of two methods. */
const driverSource = (implementsClause: string, members: string) => `
import type { DomainInfo, DomainRef, DriverConnection, DriverTable, TableConnection } from '@virtkit/core';

export const table = { connectGetType: '0.1.0', domainGetInfo: '0.1.0' } as const satisfies DriverTable;

export class Conn implements ${implementsClause} {
  async close(): Promise<void> {}
  async connectGetType(): Promise<string> { return 'Toy'; }
  ${members}
  /** Private helpers and public non-SPI names stay free. */
  private count = 0;
  describe(): string { return String(this.count); }
}
export const asSpi: DriverConnection = new Conn();
`;

const GET_INFO = `async domainGetInfo(_dom: DomainRef): Promise<DomainInfo> { throw new Error('toy'); }`;
const GET_INFO_MISSPELT = GET_INFO.replace('domainGetInfo', 'domainGetinfo');
const CHECKED = 'TableConnection<typeof table, Conn>';

const CASES = {
  correct: driverSource(CHECKED, GET_INFO),
  misspelt: driverSource(CHECKED, `${GET_INFO}\n  ${GET_INFO_MISSPELT}`),
  missing: driverSource(CHECKED, ''),
  unchecked: driverSource('DriverConnection', GET_INFO_MISSPELT),
};

/** The compile errors of each case, as `line: message` (one program, so core is checked once). */
function compile(): Record<keyof typeof CASES, string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkit-spi-table-'));
  try {
    const files = Object.entries(CASES).map(([name, text]) => {
      const file = path.join(dir, `${name}.ts`);
      fs.writeFileSync(file, text);
      return [name, file] as const;
    });
    const base = ts.getParsedCommandLineOfConfigFile(
      path.join(ROOT, 'tsconfig.base.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    )!;
    const options = {
      ...base.options,
      noEmit: true,
      noUnusedLocals: false,
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules/@types')],
    };
    const program = ts.createProgram(
      files.map(([, f]) => f),
      options,
    );
    const diags = ts.getPreEmitDiagnostics(program);
    return Object.fromEntries(
      files.map(([name, file]) => [
        name,
        diags
          .filter((d) => d.file?.fileName === file)
          .map((d) => {
            const line = d.file!.getLineAndCharacterOfPosition(d.start!).line + 1;
            return `${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
          }),
      ]),
    ) as Record<keyof typeof CASES, string[]>;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('TableConnection', () => {
  let errors: ReturnType<typeof compile>;
  beforeAll(() => {
    errors = compile();
  }, 120_000);

  it('accepts a connection with exactly the methods its table names', () => {
    expect(errors.correct).toEqual([]);
  });

  it('refuses a misspelt SPI method', () => {
    expect(errors.misspelt).toHaveLength(1);
    expect(errors.misspelt[0]).toMatch(/^10: Property 'domainGetinfo' in type 'Conn' is not assignable/);
  });

  it('refuses a table entry whose method is missing', () => {
    expect(errors.missing).toHaveLength(1);
    expect(errors.missing[0]).toMatch(/Property 'domainGetInfo' is missing in type 'Conn'/);
  });

  it('is needed: a plain `implements DriverConnection` compiles the misspelling', () => {
    expect(errors.unchecked).toEqual([]);
  });
});
