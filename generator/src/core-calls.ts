/**
 * Calls marked `impl: 'core'` are written by hand in packages/core; this check keeps the
 * definition and the hand-written code from drifting apart: each must exist as a method of
 * ConnectBase (DomainBase for Domain calls) or as a function exported by open.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Project } from 'ts-morph';
import type { ApiModel } from './model';

const BASE = 'packages/core/src/connect-base.ts';
const DOMAIN_BASE = 'packages/core/src/domain-base.ts';
const OPEN = 'packages/core/src/open.ts';

export function checkCoreCalls(root: string, model: ApiModel): string[] {
  const base = path.join(root, BASE);
  const open = path.join(root, OPEN);
  if (!fs.existsSync(base) || !fs.existsSync(open)) return [];
  const project = new Project({ skipAddingFilesFromTsConfig: true });
  const methods = new Set(
    project
      .addSourceFileAtPath(base)
      .getClassOrThrow('ConnectBase')
      .getMethods()
      .map((m) => m.getName()),
  );
  const domainMethods = new Set(
    fs.existsSync(path.join(root, DOMAIN_BASE))
      ? project
          .addSourceFileAtPath(path.join(root, DOMAIN_BASE))
          .getClassOrThrow('DomainBase')
          .getMethods()
          .map((m) => m.getName())
      : [],
  );
  const functions = new Set(
    project
      .addSourceFileAtPath(open)
      .getFunctions()
      .filter((f) => f.isExported())
      .map((f) => f.getName()),
  );
  return model.calls
    .filter((c) => c.impl === 'core' && !(c.object === 'Domain' ? domainMethods : methods).has(c.name) && !functions.has(c.name))
    .map(
      (c) =>
        `${c.file}: ${c.c} is implemented by the core, but neither ${c.object === 'Domain' ? 'DomainBase' : 'ConnectBase'} nor open.ts has '${c.name}'`,
    );
}
