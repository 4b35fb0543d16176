// @ts-check
/** Lint for every TypeScript file of the workspace: typescript-eslint's recommended rules plus the package-boundary rule. */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import noCrossPackageRelative from './tools/eslint/no-cross-package-relative.mjs';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'test/fixtures/**', '**/*.gen.ts', '.venv-tools/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { virtkit: { rules: { 'no-cross-package-relative': noCrossPackageRelative } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Build configs share the workspace's one recipe (tsup.base.ts); code never crosses packages.
    files: ['**/*.ts', '**/*.mjs', '**/*.js', '**/*.cjs'],
    ignores: ['**/*.config.ts'],
    rules: { 'virtkit/no-cross-package-relative': 'error' },
  },
  {
    files: ['**/*.cjs', '**/*.js'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        exports: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Node scripts written as ES modules (scripts/*.mjs).
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
