#!/usr/bin/env node
// Extracts virsh 9.0's command table (groups, commands, aliases, options with their types, flags
// and help, the libvirt API each command calls first) from libvirt's source tree into
// packages/cli/src/virsh-table.json. The source comes from scripts/fetch-libvirt-source.sh; the
// table is carried (LGPL-2.1, see packages/cli/NOTICE) so vsh's help and option parsing match
// virsh's. Run: node scripts/extract-virsh-table.mjs "$(bash scripts/fetch-libvirt-source.sh)"
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const src = process.argv[2];
if (!src || !fs.existsSync(path.join(src, 'tools/vsh.c'))) {
  console.error('usage: extract-virsh-table.mjs <libvirt-9.0 source tree>');
  process.exit(2);
}
const tools = path.join(src, 'tools');
const stripIncludes = (text) => text.replace(/^\s*#\s*include.*$/gm, '');
const headers = fs
  .readdirSync(tools)
  .filter((f) => /^(vsh|virsh)[\w-]*\.h$/.test(f) && f !== 'virsh-edit.h')
  .map((f) => stripIncludes(fs.readFileSync(path.join(tools, f), 'utf8')))
  .join('\n');
const prelude = '#define N_(x) x\n#define _(x) x\n#define G_GNUC_UNUSED\n#define WITH_READLINE 1\n';

/** One source file with every tools header's macros expanded (includes dropped). */
function preprocess(file) {
  const text = prelude + headers + '\n' + stripIncludes(fs.readFileSync(path.join(tools, file), 'utf8'));
  return execFileSync('cpp', ['-P', '-w', '-std=gnu11'], { input: text, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** The body between the brace at `open` and its match. */
function braced(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (ch === "'") {
      for (i++; text[i] !== "'"; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (ch === '{') depth++;
    if (ch === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error('unbalanced braces');
}

/** The top-level `{...}` entries of an array initializer body. */
function entries(body) {
  const out = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '"') {
      for (i++; body[i] !== '"'; i++) if (body[i] === '\\') i++;
      continue;
    }
    if (body[i] === '{') {
      const inner = braced(body, i);
      out.push(inner);
      i += inner.length + 1;
    }
  }
  return out;
}

/** Adjacent C string literals as one JS string. */
function cString(expr) {
  let s = '';
  for (const m of expr.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    s += m[1].replace(/\\(n|t|"|\\|')/g, (_x, c) => ({ n: '\n', t: '\t', '"': '"', '\\': '\\', "'": "'" })[c]);
  }
  return s;
}

/** The designated fields of one initializer: `.name = value`. */
function fields(entry) {
  const out = {};
  for (const m of entry.matchAll(/\.(\w+)\s*=\s*((?:"(?:[^"\\]|\\.)*"\s*)+|[^,]+)/g)) out[m[1]] = m[2].trim();
  return out;
}

/** A vshCmdInfo entry, designated (`.name = .., .data = ..`) or positional (`{"help", N_("...")}`). */
function infoFields(entry) {
  const f = fields(entry);
  if (f.name) return f;
  const strings = [...entry.matchAll(/((?:"(?:[^"\\]|\\.)*"\s*)+)/g)].map((m) => m[1]);
  return strings.length === 2 ? { name: strings[0], data: strings[1] } : f;
}

const opts = new Map();
const infos = new Map();
/** A field given as `true ? A : B` (VIRSH_COMMON_OPT_FILE_FULL's `required` argument): the arm taken. */
function choose(expr) {
  const m = /^\s*\(?\s*(true|false|1|0)\s*\)?\s*\?\s*([^:]+?)\s*:\s*(.+?)\s*$/.exec(expr);
  if (!m) return expr;
  return m[1] === 'true' || m[1] === '1' ? m[2] : m[3];
}

const cmdTables = new Map();
const bodies = new Map();
let groups = [];
const files = fs.readdirSync(tools).filter((f) => /^(vsh|virsh[\w-]*)\.c$/.test(f) && !f.includes('completer') && f !== 'virsh-edit.c');
for (const file of files) {
  const text = preprocess(file);
  for (const m of text.matchAll(/vshCmdOptDef\s+(\w+)\s*\[\]\s*=\s*\{/g)) {
    const list = entries(braced(text, m.index + m[0].length - 1))
      .map(fields)
      .filter((f) => f.name && f.name !== 'NULL');
    opts.set(
      m[1],
      list.map((f) => {
        const flags = choose(f.flags ?? '')
          .split('|')
          .map((x) => x.trim());
        const o = { name: cString(f.name), type: choose(f.type).replace('VSH_OT_', '').toLowerCase(), help: cString(f.help ?? '') };
        if (flags.includes('VSH_OFLAG_REQ')) o.required = true;
        if (flags.includes('VSH_OFLAG_REQ_OPT')) o.namedOnly = true;
        if (flags.includes('VSH_OFLAG_EMPTY_OK')) o.emptyOk = true;
        return o;
      }),
    );
  }
  for (const m of text.matchAll(/vshCmdInfo\s+(\w+)\s*\[\]\s*=\s*\{/g)) {
    const info = {};
    for (const f of entries(braced(text, m.index + m[0].length - 1)).map(infoFields)) {
      if (f.name && f.name !== 'NULL') info[cString(f.name)] = cString(f.data ?? '');
    }
    infos.set(m[1], info);
  }
  for (const m of text.matchAll(/vshCmdDef\s+(\w+)\s*\[\]\s*=\s*\{/g)) {
    cmdTables.set(
      m[1],
      entries(braced(text, m.index + m[0].length - 1))
        .map(fields)
        .filter((f) => f.name && f.name !== 'NULL'),
    );
  }
  for (const m of text.matchAll(/\bbool\s+(cmd\w+)\s*\([^)]*\)\s*\{/g)) bodies.set(m[1], braced(text, m.index + m[0].length - 1));
  const g = text.match(/vshCmdGrp\s+cmdGroups\s*\[\]\s*=\s*\{/);
  if (g) {
    groups = entries(braced(text, g.index + g[0].length - 1))
      .map((e) => e.split(',').map((x) => x.trim()))
      .filter((p) => p[0] !== 'NULL')
      .map((p) => ({ name: cString(p[0]), keyword: cString(p[1]), table: p[2] }));
  }
}

// The first public libvirt call a handler makes: the API whose absence makes the command fail.
const publicSyms = new Set(
  ['public', 'qemu', 'lxc'].flatMap((s) => fs.readFileSync(path.join(src, `src/libvirt_${s}.syms`), 'utf8').match(/\bvir\w+(?=;)/g)),
);
const INCIDENTAL =
  /Free$|Ref$|^virGetLastError|^virResetLastError|^virConnectGetURI$|^virDomainGetName$|^virDomainGetUUIDString$|^virDomainGetID$|^virTypedParams|LookupBy|^virConnect(Is|Open)|^virDomainIsActive$|^virDomainGetState$|^virDomainGetInfo$|^virCopyLastError|^virSetError|^virConnectGetLibVersion|^virStream(New|Finish|Abort|Send|Recv)|^vir\w+GetName$|^vir\w+GetConnect$/;
function firstApi(handler) {
  const body = bodies.get(handler) ?? '';
  for (const m of body.matchAll(/\b(vir[A-Z]\w+)\s*\(/g)) if (publicSyms.has(m[1]) && !INCIDENTAL.test(m[1])) return m[1];
  return undefined;
}

function command(f) {
  const name = cString(f.name);
  const flags = (f.flags ?? '').split('|').map((x) => x.trim());
  if (flags.includes('VSH_CMD_FLAG_ALIAS')) return { name, alias: cString(f.alias) };
  const info = infos.get(f.info) ?? {};
  const c = { name, help: info.help ?? '', desc: info.desc ?? '', opts: opts.get(f.opts) ?? [] };
  if (flags.includes('VSH_CMD_FLAG_NOCONNECT')) c.noConnect = true;
  if (flags.includes('VSH_CMD_FLAG_HIDDEN')) c.hidden = true;
  const api = firstApi(f.handler);
  if (api) c.api = api;
  return c;
}

const table = groups.map((g) => ({ name: g.name, keyword: g.keyword, commands: cmdTables.get(g.table).map(command) }));
const out = path.join(path.dirname(new URL(import.meta.url).pathname), '../packages/cli/src/virsh-table.json');
fs.writeFileSync(out, JSON.stringify({ virsh: '9.0.0', groups: table }, null, 2) + '\n');
const n = table.reduce((a, g) => a + g.commands.filter((c) => !c.alias).length, 0);
console.log(`${out}: ${table.length} groups, ${n} commands`);
