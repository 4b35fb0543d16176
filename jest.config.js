/**
 * Jest runs every TypeScript suite of the workspace from source through SWC, one project per
 * package (its `test/` folder) plus `integration` (cross-package and real-program tests in
 * `test/`), `api` and `generator`. Run one alone with `npx jest --selectProjects driver-qemu`.
 */
const fs = require('node:fs');
const path = require('node:path');

const shared = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleNameMapper: {
    '^@virtkit/api$': '<rootDir>/api/src/index.ts',
    '^@virtkit/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
  },
  rootDir: __dirname,
};

const packages = fs.readdirSync(path.join(__dirname, 'packages')).filter((p) => fs.existsSync(path.join(__dirname, 'packages', p, 'test')));

module.exports = {
  testTimeout: 60000,
  projects: [
    ...packages.map((p) => ({ ...shared, displayName: p, roots: [`<rootDir>/packages/${p}/test`] })),
    { ...shared, displayName: 'integration', roots: ['<rootDir>/test'] },
    { ...shared, displayName: 'api', roots: ['<rootDir>/api'] },
    { ...shared, displayName: 'generator', roots: ['<rootDir>/generator'] },
  ],
};
