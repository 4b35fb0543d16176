#!/usr/bin/env node
/**
 * Checks the links of every markdown file of the repository: none may leave the repo (no
 * http(s)/ftp/mailto link, autolink or bare URL outside code), and every relative link must name
 * a file or folder that exists, with its `#anchor` matching a heading when it points into a
 * markdown file. A file inside a published package (a folder whose package.json is not private)
 * ships in that package's tarball alone, so its links must also stay inside the package. Code blocks and code spans are not read. Prints one line per bad link
 * (`file:line: problem`) and exits 1 when there is any.
 *   node scripts/check-links.mjs [--root DIR] [FILE.md ...]
 * checks the repository (or DIR): FILEs, else every tracked and new *.md under it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const ROOT = args[0] === '--root' ? path.resolve(args.splice(0, 2)[1]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Copies of upstream material and machine reports, not documentation. */
const SKIPPED = [/^test\/fixtures\//, /\/fixtures\//, /^packages\/[^/]+\/etc\/[^/]+\.api\.md$/, /(^|\/)node_modules\//];

function markdownFiles() {
  const out = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '--', '*.md'], { cwd: ROOT, encoding: 'utf8' });
  return out
    .split('\n')
    .filter(Boolean)
    .filter((f) => !SKIPPED.some((re) => re.test(f)))
    .filter((f) => fs.existsSync(path.join(ROOT, f)));
}

/** The text with fenced code blocks blanked (line numbers kept) and code spans removed. */
function proseOf(text) {
  const lines = text.split('\n');
  let fence = null;
  return lines
    .map((line) => {
      const m = /^\s*(`{3,}|~{3,})/.exec(line);
      if (fence) {
        if (m && m[1][0] === fence[0] && m[1].length >= fence.length) fence = null;
        return '';
      }
      if (m) {
        fence = m[1];
        return '';
      }
      return line.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '');
    })
    .join('\n');
}

/** GitHub's anchor for a heading: lower case, formatting and punctuation dropped, spaces to '-'. */
function slug(heading) {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(?<!\\)<[^>]+>/g, '')
    .replace(/\\(.)/g, '$1')
    .replace(/[*`]/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** The folder of the published package holding `file` (nearest package.json not private), or null. */
function packageOf(file) {
  for (let dir = path.dirname(file); dir.startsWith(ROOT + path.sep); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) return JSON.parse(fs.readFileSync(manifest, 'utf8')).private ? null : dir;
  }
  return null;
}

const anchorCache = new Map();
/** Every anchor a markdown file defines: its headings' slugs (numbered when repeated) and explicit ids. */
function anchorsOf(file) {
  if (anchorCache.has(file)) return anchorCache.get(file);
  const text = fs.readFileSync(file, 'utf8');
  const anchors = new Set();
  const seen = new Map();
  for (const line of proseOf(text).split('\n')) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const base = slug(h[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:name|id)=["']([^"']+)["']/g)) anchors.add(m[1]);
  }
  anchorCache.set(file, anchors);
  return anchors;
}

/** The link targets of one line of prose: inline links and images, reference definitions, autolinks, bare URLs, HTML. */
function targetsOf(line) {
  const found = [];
  for (const m of line.matchAll(/\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) found.push(m[1]);
  const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
  if (def) found.push(def[1]);
  for (const m of line.matchAll(/(?:href|src)\s*=\s*["']([^"']+)["']/g)) found.push(m[1]);
  const rest = line.replace(/\]\([^)]*\)/g, '](…)');
  for (const m of rest.matchAll(/<?\b((?:https?|ftp):\/\/[^\s<>)\]]+)/g)) found.push(m[1]);
  for (const m of rest.matchAll(/<(mailto:[^>]+)>/g)) found.push(m[1]);
  return [...new Set(found)];
}

function check(file) {
  const abs = path.join(ROOT, file);
  const pkg = packageOf(abs);
  const problems = [];
  proseOf(fs.readFileSync(abs, 'utf8'))
    .split('\n')
    .forEach((line, i) => {
      for (const target of targetsOf(line)) {
        const where = `${file}:${i + 1}`;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
          problems.push(`${where}: link leaves the repository: ${target}`);
          continue;
        }
        const [rawPath, anchor] = target.split('#', 2);
        const rel = decodeURIComponent(rawPath);
        const dest = rel === '' ? abs : rel.startsWith('/') ? path.join(ROOT, rel) : path.resolve(path.dirname(abs), rel);
        if (!dest.startsWith(ROOT + path.sep) && dest !== ROOT) {
          problems.push(`${where}: link leaves the repository: ${target}`);
        } else if (pkg && !dest.startsWith(pkg + path.sep)) {
          problems.push(`${where}: link leaves the package ${path.relative(ROOT, pkg)} (published alone): ${target}`);
        } else if (!fs.existsSync(dest)) {
          problems.push(`${where}: no such file: ${target}`);
        } else if (anchor && dest.endsWith('.md') && !anchorsOf(dest).has(anchor.toLowerCase())) {
          problems.push(`${where}: no heading for #${anchor} in ${path.relative(ROOT, dest)}`);
        }
      }
    });
  return problems;
}

const files = args.length ? args.map((f) => path.relative(ROOT, path.resolve(ROOT, f))) : markdownFiles();
const problems = files.flatMap(check);
for (const p of problems) console.log(p);
console.log(`check-links: ${files.length} markdown files, ${problems.length} bad links`);
process.exit(problems.length ? 1 : 0);
