/**
 * `pnpm generate [--check] [--root DIR] [--release VERSION]`
 *
 * Reads api/, checks symbol versioning and the golden wire layouts, and writes every generated
 * file (adding new layouts to the golden dump); with --check it writes nothing and fails when any
 * generated file is stale, hand-edited, missing or left over.
 * --release freezes a block of api/public.syms in api/released-symbols.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkCoreCalls } from './core-calls';
import { scanDrivers } from './drivers';
import { emitCore } from './emit-core';
import { emitDocs } from './emit-docs';
import { emitPython } from './emit-python';
import { emitPythonWire } from './emit-python-wire';
import { emitProtocolTs } from './emit-protocol-ts';
import { emitRemote } from './emit-remote';
import { currentLayouts, GOLDEN, goldenText, goldenViolations, readGolden } from './golden';
import { loadApi } from './load';
import { loadSurface } from './python-surface';
import { markerLine, REGEN_COMMAND, type Output } from './render';
import { checkSyms, releaseBlock, type ReleasedRecord } from './syms';
import { validateModel } from './validate';

const SYMS = 'api/public.syms';
const RELEASED = 'api/released-symbols.json';
/** Where generated files live; files there that start with the marker line belong to the generator. */
const GENERATED_PLACES = [
  'packages/core/src/generated',
  'packages/protocol/src/generated',
  'packages/bindings-python/virtkit',
  'docs/api',
  'docs',
];

interface Args {
  check: boolean;
  root: string;
  release: string | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { check: false, root: path.resolve(__dirname, '..', '..'), release: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') args.check = true;
    else if (a === '--root') args.root = path.resolve(argv[++i]);
    else if (a === '--release') args.release = argv[++i];
    else throw new Error(`unknown argument '${a}' (usage: generate [--check] [--root DIR] [--release VERSION])`);
  }
  return args;
}

function readReleased(root: string): ReleasedRecord {
  const file = path.join(root, RELEASED);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ReleasedRecord) : {};
}

/** Generated files currently on disk (first line is the marker). */
function existingGenerated(root: string): string[] {
  const found: string[] = [];
  for (const place of GENERATED_PLACES) {
    const dir = path.join(root, place);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const rel = path.join(place, name);
      const full = path.join(root, rel);
      if (!fs.statSync(full).isFile()) continue;
      const first = fs.readFileSync(full, 'utf8').split('\n', 1)[0];
      if (first === markerLine(rel)) found.push(rel);
    }
  }
  return found;
}

/** Writes through a temporary file, fsync and rename, so a crash never leaves half a file. */
function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Everything the generator would write for the tree at `root`, after its checks. */
export function produce(root: string): { outputs: Output[]; errors: string[] } {
  const model = loadApi(root);
  const symsText = fs.readFileSync(path.join(root, SYMS), 'utf8');
  const committed = readGolden(root);
  const layouts = currentLayouts(model);
  const errors = [
    ...validateModel(model),
    ...checkCoreCalls(root, model),
    ...checkSyms(symsText, model.calls, readReleased(root), SYMS),
    ...goldenViolations(committed, layouts),
  ];
  const support = scanDrivers(root, model);
  errors.push(...support.errors);
  if (errors.length) return { outputs: [], errors };
  const outputs = [
    ...emitCore(model),
    ...emitRemote(model),
    ...emitProtocolTs(model),
    ...emitPython(model, loadSurface(root)),
    ...emitPythonWire(model),
    ...emitDocs(model, support.drivers),
    { file: GOLDEN, text: goldenText(committed, layouts) },
  ];
  return { outputs, errors };
}

/** Differences between what is on disk and what would be generated. */
export function staleFiles(root: string, outputs: Output[]): string[] {
  const problems: string[] = [];
  const wanted = new Set(outputs.map((o) => o.file));
  for (const o of outputs) {
    const full = path.join(root, o.file);
    if (!fs.existsSync(full)) problems.push(`missing: ${o.file}`);
    else if (fs.readFileSync(full, 'utf8') !== o.text) problems.push(`stale or edited by hand: ${o.file}`);
  }
  for (const f of existingGenerated(root)) if (!wanted.has(f)) problems.push(`left over (its API is gone): ${f}`);
  return problems;
}

export function main(argv: string[]): number {
  const args = parseArgs(argv);
  if (args.release) {
    const text = fs.readFileSync(path.join(args.root, SYMS), 'utf8');
    writeAtomic(
      path.join(args.root, RELEASED),
      `${JSON.stringify(releaseBlock(text, readReleased(args.root), `VIRTKIT_${args.release}`), null, 2)}\n`,
    );
    console.log(`released VIRTKIT_${args.release}: its symbols are frozen in ${RELEASED}`);
    return 0;
  }
  const { outputs, errors } = produce(args.root);
  if (errors.length) {
    for (const e of errors) console.error(`error: ${e}`);
    console.error(`${errors.length} problem(s) in api/; nothing was generated`);
    return 1;
  }
  if (args.check) {
    const problems = staleFiles(args.root, outputs);
    for (const p of problems) console.error(p);
    if (problems.length) {
      console.error(`generated files are out of date: run \`${REGEN_COMMAND}\` and commit the result`);
      return 1;
    }
    console.log(`generate --check: ${outputs.length} generated files up to date`);
    return 0;
  }
  const wanted = new Set(outputs.map((o) => o.file));
  for (const f of existingGenerated(args.root)) if (!wanted.has(f)) fs.rmSync(path.join(args.root, f));
  for (const o of outputs) writeAtomic(path.join(args.root, o.file), o.text);
  console.log(`generated ${outputs.length} files`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`generate: ${(e as Error).message}`);
    process.exitCode = 2;
  }
}
