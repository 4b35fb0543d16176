/**
 * Which SPI methods each driver implements, read from the drivers' static tables (like libvirt's
 * hvsupport.py reads the virHypervisorDriver tables): in each `packages/driver-*` source, the
 * object literals declared `... satisfies DriverTable`, whose entries map an SPI method to the
 * version the driver gained it in. The remote driver forwards every call that has a procedure;
 * its column comes from the procedure table, as its connection does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Node, Project, type ObjectLiteralExpression } from 'ts-morph';
import type { ApiModel } from './model';

export interface DriverSupport {
  name: string;
  /** SPI method → version the driver implemented it in. */
  methods: Map<string, string>;
}

/** Source folders of the driver packages, in the matrix's column order. */
function driverDirs(root: string): { name: string; dir: string }[] {
  const pkgs = path.join(root, 'packages');
  if (!fs.existsSync(pkgs)) return [];
  return fs
    .readdirSync(pkgs)
    .filter((d) => d.startsWith('driver-'))
    .sort()
    .map((d) => ({ name: d.slice(7), dir: path.join(pkgs, d, 'src') }))
    .filter((d) => fs.existsSync(d.dir));
}

/** The object literal of `x = {...} as const satisfies DriverTable` (or without `as const`). */
function tableLiteral(node: Node): ObjectLiteralExpression | undefined {
  if (!Node.isSatisfiesExpression(node) || node.getTypeNode()?.getText() !== 'DriverTable') return undefined;
  let inner = node.getExpression();
  if (Node.isAsExpression(inner)) inner = inner.getExpression();
  return Node.isObjectLiteralExpression(inner) ? inner : undefined;
}

/** The entries of every DriverTable literal in `dir`, checked against the SPI. */
export function readTables(dir: string, spiNames: Set<string>): { methods: Map<string, string>; errors: string[] } {
  const project = new Project({ skipAddingFilesFromTsConfig: true });
  project.addSourceFilesAtPaths([`${dir}/**/*.ts`, `!${dir}/**/*.test.ts`]);
  const methods = new Map<string, string>();
  const errors: string[] = [];
  for (const file of project.getSourceFiles()) {
    file.forEachDescendant((node) => {
      const table = tableLiteral(node);
      if (!table) return;
      const where = path.relative(path.resolve(dir, '..', '..'), file.getFilePath());
      for (const prop of table.getProperties()) {
        const value = Node.isPropertyAssignment(prop) ? prop.getInitializer() : undefined;
        const name = Node.isPropertyAssignment(prop) ? prop.getName() : prop.getText();
        if (!value || !Node.isStringLiteral(value)) errors.push(`${where}: table entry ${name} must be a version string literal`);
        else if (!spiNames.has(name)) errors.push(`${where}: table names ${name}, which is not an SPI method of api/`);
        else methods.set(name, value.getLiteralValue());
      }
    });
  }
  return { methods, errors };
}

/** Every driver's support, or the table errors that stop generation. */
export function scanDrivers(root: string, model: ApiModel): { drivers: DriverSupport[]; errors: string[] } {
  const spiNames = new Set(model.calls.filter((c) => c.impl === 'driver').map((c) => c.spi));
  const errors: string[] = [];
  const drivers = driverDirs(root).map(({ name, dir }) => {
    const t = readTables(dir, spiNames);
    errors.push(...t.errors.map((e) => `packages/${e}`));
    return { name, methods: t.methods };
  });
  const remote = model.calls.filter((c) => c.impl === 'driver' && c.remote).map((c): [string, string] => [c.spi, c.since]);
  drivers.push({ name: 'remote', methods: new Map(remote) });
  return { drivers, errors };
}
