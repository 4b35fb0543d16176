/** Jest runs every TypeScript suite of the workspace from source through SWC. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/api', '<rootDir>/generator', '<rootDir>/packages', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleNameMapper: {
    '^@virtkit/api$': '<rootDir>/api/src/index.ts',
    '^@virtkit/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
  },
  testTimeout: 60000,
};
