#!/usr/bin/env node
/**
 * Makes a new driver package from templates/driver: `node templates/create-driver.mjs DIR --scheme NAME`
 * copies the template to DIR, renames its scheme `toy` (and `Toy` in type names) to NAME, and
 * pins @virtkit/core to the version of this checkout. Then: `cd DIR && npm install && npm test`.
 */
/* global console, process */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const TEMPLATE = path.join(here, 'driver');
const SKIP = new Set(['node_modules', 'dist']);

function usage(message) {
  console.error(`${message}\nusage: node templates/create-driver.mjs DIR --scheme NAME`);
  process.exit(2);
}

function parseArgs(argv) {
  const [dest, flag, scheme] = argv;
  if (!dest || flag !== '--scheme' || !scheme) usage('a target folder and a scheme are required');
  if (!/^[a-z][a-z0-9-]*$/.test(scheme)) usage(`'${scheme}' is not a URI scheme (lower-case letters, digits, '-')`);
  if (fs.existsSync(dest) && fs.readdirSync(dest).length > 0) usage(`'${dest}' exists and is not empty`);
  return { dest: path.resolve(dest), scheme };
}

/** The template's text with its scheme renamed: `toy` as written, `Toy` in type names. */
function rename(text, scheme) {
  const typeName = scheme.replace(/(^|-)([a-z0-9])/g, (_, _dash, c) => c.toUpperCase());
  return text.replace(/toy/g, scheme).replace(/Toy/g, typeName);
}

function copy(from, to, scheme, coreVersion) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) {
      copy(src, dst, scheme, coreVersion);
      continue;
    }
    let text = rename(fs.readFileSync(src, 'utf8'), scheme);
    if (entry.name === 'package.json') text = text.replace(/("@virtkit\/core": )"[^"]*"/g, `$1"^${coreVersion}"`);
    fs.writeFileSync(dst, text);
  }
}

const { dest, scheme } = parseArgs(process.argv.slice(2));
const coreVersion = JSON.parse(fs.readFileSync(path.join(here, '../packages/core/package.json'), 'utf8')).version;
copy(TEMPLATE, dest, scheme, coreVersion);
console.log(`created virtkit-driver-${scheme} in ${dest} (serves ${scheme}:///)`);
