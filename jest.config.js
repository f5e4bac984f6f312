/** Integration tests against a real PostgreSQL (TEST_DATABASE_URL, default the local server). */
const swc = JSON.parse(require('fs').readFileSync(`${__dirname}/.swcrc`, 'utf8'));

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  setupFiles: ['reflect-metadata'],
  testTimeout: 60_000,
  maxWorkers: 2,
  // Each test file loads the whole app in a module registry of its own, and a worker's heap
  // grows with every file (300-400 MB after the webhook and realtime suites). Node takes
  // longer to exit the larger its heap, and jest-worker force-exits a worker not gone within
  // 500 ms of the end: on a loaded machine that printed "A worker process has failed to exit
  // gracefully" with no handle left open. A worker past this heap is replaced between files.
  workerIdleMemoryLimit: '150MB',
};
