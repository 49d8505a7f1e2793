// ESM TypeScript under jest: ts-jest in ESM mode, run with --experimental-vm-modules.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }] },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testTimeout: 60000,
  // The end-to-end tests mostly wait on child processes and sockets: more workers than cores keeps the CPU busy.
  maxWorkers: '150%',
  verbose: false
}
