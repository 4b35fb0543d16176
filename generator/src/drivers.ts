/**
 * Which SPI methods each driver implements, read from the drivers' sources (like libvirt's
 * hvsupport.py reads the driver tables). A method counts when a class or object literal in the
 * driver's package declares it; an `@since x.y.z` JSDoc tag on it records when the driver gained
 * it (default: the call's own version).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Node, Project } from 'ts-morph';

export interface DriverSupport {
  name: string;
  /** SPI method name → version the driver implemented it in (undefined: the call's version). */
  methods: Map<string, string | undefined>;
}

/** Source folders that hold drivers, in the matrix's column order. */
function driverDirs(root: string): { name: string; dir: string }[] {
  const pkgs = path.join(root, 'packages');
  const found = fs.existsSync(pkgs)
    ? fs.readdirSync(pkgs).filter((d) => d.startsWith('driver-')).sort().map((d) => ({ name: d.slice(7), dir: path.join(pkgs, d, 'src') }))
    : [];
  found.push({ name: 'remote', dir: path.join(pkgs, 'core', 'src', 'remote') });
  return found.filter((d) => fs.existsSync(d.dir));
}

function sinceTag(node: Node): string | undefined {
  if (!Node.isJSDocable(node)) return undefined;
  for (const doc of node.getJsDocs()) for (const tag of doc.getTags()) if (tag.getTagName() === 'since') return tag.getCommentText()?.trim();
  return undefined;
}

export function scanDrivers(root: string, spiNames: Set<string>): DriverSupport[] {
  return driverDirs(root).map(({ name, dir }) => {
    const project = new Project({ skipAddingFilesFromTsConfig: true });
    project.addSourceFilesAtPaths([`${dir}/**/*.ts`, `!${dir}/**/*.test.ts`]);
    const methods = new Map<string, string | undefined>();
    for (const file of project.getSourceFiles()) {
      file.forEachDescendant((node) => {
        if (Node.isMethodDeclaration(node) || Node.isPropertyDeclaration(node) || Node.isPropertyAssignment(node)) {
          const n = node.getName();
          if (spiNames.has(n)) methods.set(n, sinceTag(node));
        }
      });
    }
    return { name, methods };
  });
}
