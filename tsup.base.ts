/** The one build recipe of every package: ESM + CJS + declarations for each format, for src/index.ts. */
import { writeFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

export interface PackageBuildOptions {
  /** Extra entry points (e.g. a command's `src/bin.ts`). */
  extraEntries?: string[];
  /**
   * Make the ESM entry re-export the CJS build instead of being a second copy of the code, so
   * `import` and `require` of the package share one instance: its state and classes (core's
   * driver registry and VirError) exist once per process whichever format loads it.
   */
  esmWrapsCjs?: boolean;
  /** A further build step, run once the formats are written (e.g. the CLI's one-file bundle). */
  onSuccess?: () => Promise<void>;
}

/** Build `src/index.ts` (and any extra entries) as dist/*.js (ESM) and dist/*.cjs, with .d.ts and .d.cts. */
export function packageBuild(options: PackageBuildOptions = {}) {
  return defineConfig({
    entry: ['src/index.ts', ...(options.extraEntries ?? [])],
    format: ['esm', 'cjs'],
    dts: { entry: 'src/index.ts' },
    clean: true,
    shims: true,
    target: 'node20',
    outExtension: ({ format }) => ({ js: format === 'cjs' ? '.cjs' : '.js' }),
    // Node finds the CJS build's export names through the annotation esbuild writes for it.
    onSuccess: options.esmWrapsCjs ? () => writeFile('dist/index.js', "export * from './index.cjs';\n") : options.onSuccess,
  });
}
