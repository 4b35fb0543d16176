/**
 * The golden dump of remote message layouts (api/remote-layouts.golden.json): a new layout is
 * added to it, while changing or dropping a committed one fails both `generate` and
 * `generate --check` (libvirt's remote_protocol-structs rule). The rule itself is exercised on the
 * loaded model, which is much faster than a generator run per case.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../src/cli';
import { currentLayouts, GOLDEN, goldenText, goldenViolations, type GoldenDump } from '../src/golden';
import { loadApi } from '../src/load';
import type { ApiModel } from '../src/model';

const REPO = path.resolve(__dirname, '..', '..');

const NEW_CALL = `
/** Demo call added by the golden test. */
export const domainGoldenProbe: CallDef = {
  c: 'virDomainGoldenProbe',
  object: 'Domain',
  name: 'goldenProbe',
  doc: 'Probe.',
  params: [],
  flags: 'reserved',
  returns: 'int',
  since: '9.9.0',
  acl: ['domain:read'],
  readOnlySafe: true,
  impl: 'driver',
  remote: { program: 'remote', proc: 9998, procName: 'REMOTE_PROC_DOMAIN_GOLDEN_PROBE', args: [['dom', 'Dom'], ['flags', 'uint']], ret: [['result', 'int']] },
  python: 'goldenProbe',
};
`;

/** Runs the generator, returning its exit code and what it printed on stderr. */
function run(args: string[]): { code: number; stderr: string } {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    return { code: main(args), stderr: lines.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

describe('golden remote layouts', () => {
  let root: string;
  const file = (f: string): string => path.join(root, f);
  const edit = (f: string, from: string, to: string): void => {
    const text = fs.readFileSync(file(f), 'utf8');
    expect(text).toContain(from);
    fs.writeFileSync(file(f), text.replace(from, to));
  };

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkit-golden-'));
    fs.cpSync(path.join(REPO, 'api'), file('api'), { recursive: true });
    expect(run(['--root', root]).code).toBe(0);
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('holds every procedure and event message of api/', () => {
    const golden = JSON.parse(fs.readFileSync(file(GOLDEN), 'utf8')) as Record<string, { name: string }>;
    expect(golden['remote:16'].name).toBe('REMOTE_PROC_DOMAIN_GET_INFO');
    expect(golden['remote:318'].name).toBe('REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE');
    expect(golden['remote:107'].name).toBe('REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE');
    expect(golden['qemu:1'].name).toBe('QEMU_PROC_DOMAIN_MONITOR_COMMAND');
    // Nested records are written out, so a change inside one changes the message that carries it.
    expect(JSON.stringify(golden['remote:323'])).toContain('{family:int,node:string,service:string}');
  });

  it('takes a new layout: --check wants it in the dump, generate adds it', () => {
    fs.appendFileSync(file('api/src/domain.ts'), NEW_CALL);
    // The new block names the last one, whichever release that is by now.
    const blocks = [...fs.readFileSync(file('api/public.syms'), 'utf8').matchAll(/^(VIRTKIT_[\d.]+) \{/gm)];
    const prev = blocks[blocks.length - 1]![1];
    fs.appendFileSync(file('api/public.syms'), `\nVIRTKIT_9.9.0 {\n    global:\n        virDomainGoldenProbe;\n} ${prev};\n`);
    const stale = run(['--root', root, '--check']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`stale or edited by hand: ${GOLDEN}`);
    expect(run(['--root', root]).code).toBe(0);
    expect(fs.readFileSync(file(GOLDEN), 'utf8')).toContain('"remote:9998": {"name":"REMOTE_PROC_DOMAIN_GOLDEN_PROBE"');
  });

  it.each([
    ['a field type changes', "['nrVirtCpu', 'ushort']", "['nrVirtCpu', 'uint']", 'remote:16 REMOTE_PROC_DOMAIN_GET_INFO changed', true],
    [
      'a procedure moves away from its number',
      "proc: 16,\n    procName: 'REMOTE_PROC_DOMAIN_GET_INFO'",
      "proc: 9997,\n    procName: 'REMOTE_PROC_DOMAIN_GET_INFO'",
      'remote:16 REMOTE_PROC_DOMAIN_GET_INFO disappeared',
      false,
    ],
  ])('generate refuses a committed layout that changes or disappears: %s', (_what, from, to, message, writeToo) => {
    const before = fs.readFileSync(file('api/src/domain.ts'), 'utf8');
    const golden = fs.readFileSync(file(GOLDEN), 'utf8');
    try {
      edit('api/src/domain.ts', from, to);
      for (const args of writeToo
        ? [
            ['--root', root, '--check'],
            ['--root', root],
          ]
        : [['--root', root, '--check']]) {
        const r = run(args);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(message);
      }
      expect(fs.readFileSync(file(GOLDEN), 'utf8')).toBe(golden);
    } finally {
      fs.writeFileSync(file('api/src/domain.ts'), before);
    }
  });

  describe('the rule on the model', () => {
    let model: ApiModel;
    let committed: GoldenDump;
    beforeAll(() => {
      model = loadApi(root);
      committed = currentLayouts(model);
    });
    const mutated = (change: (m: ApiModel) => void): string[] => {
      const copy = structuredClone(model);
      change(copy);
      return goldenViolations(committed, currentLayouts(copy));
    };
    const call = (m: ApiModel, c: string) => m.calls.find((x) => x.c === c)!;

    it('accepts the unchanged model and a new layout', () => {
      expect(goldenViolations(committed, currentLayouts(model))).toEqual([]);
      const grown = { ...committed };
      delete grown['remote:16'];
      expect(goldenViolations(grown, committed)).toEqual([]);
      expect(goldenText(grown, committed)).toBe(goldenText(committed, committed));
    });

    it.each([
      [
        'a field is added to a committed message',
        (m: ApiModel) => call(m, 'virDomainGetInfo').remote!.ret.push(['extra', 'int']),
        'remote:16 REMOTE_PROC_DOMAIN_GET_INFO changed',
      ],
      [
        'a field is renamed',
        (m: ApiModel) => {
          call(m, 'virDomainLookupByName').remote!.args[0][0] = 'dom_name';
        },
        'remote:23 REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME changed',
      ],
      [
        'a nested record changes',
        (m: ApiModel) => {
          m.wireStructs.find((w) => w.name === 'GraphicsAddress')!.fields[0][1] = 'uint';
        },
        'remote:323 REMOTE_PROC_DOMAIN_EVENT_CALLBACK_GRAPHICS changed',
      ],
      [
        'a legacy event message changes',
        (m: ApiModel) => {
          m.events.find((e) => e.proc === 318)!.fields.push(['extra', 'int']);
        },
        'remote:107 REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE changed',
      ],
      [
        'a call leaves the wire',
        (m: ApiModel) => {
          call(m, 'virDomainGetInfo').remote = null;
        },
        'remote:16 REMOTE_PROC_DOMAIN_GET_INFO disappeared',
      ],
    ])('refuses: %s', (_what, change, message) => {
      expect(mutated(change).join('\n')).toContain(message);
    });
  });
});
