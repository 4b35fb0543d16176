import * as fs from 'node:fs';
import * as path from 'node:path';

/** An executable named `name` in $PATH (virFindFileInPath), or undefined. */
export function findProgramInPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}
