/** The one build recipe of every package: ESM + CJS + bundled declarations for src/index.ts. */
import { defineConfig } from 'tsup';

/** Build `src/index.ts` plus any extra entry points (e.g. a command's `src/bin.ts`). */
export function packageBuild(extraEntries: string[] = []) {
  return defineConfig({
    entry: ['src/index.ts', ...extraEntries],
    format: ['esm', 'cjs'],
    dts: { entry: 'src/index.ts' },
    clean: true,
    shims: true,
    target: 'node20',
    outExtension: ({ format }) => ({ js: format === 'cjs' ? '.cjs' : '.js' }),
  });
}
