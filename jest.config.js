// ESM TypeScript under jest: ts-jest in ESM mode, run with --experimental-vm-modules.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }] },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testTimeout: 60000,
  // A Node that can run the tests, a fresh dist/, and a temp folder of the run's own, removed at its end.
  globalSetup: './harness/jest-global-setup.mjs',
  globalTeardown: './harness/jest-global-teardown.mjs',
  setupFilesAfterEnv: ['./harness/jest-each-file.ts'],
  // Not in the system's temp folder: a run leaves nothing there.
  cacheDirectory: 'node_modules/.cache/jest',
  // The end-to-end tests mostly wait on child processes and sockets: more workers than cores keeps the CPU busy.
  maxWorkers: '150%',
  workerGracefulExitTimeout: 5000,
  verbose: false
}
