/** Slow suite: a real n8n in queue mode (main, two workers, private Redis, PostgreSQL) with the built package. */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e-queue'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	// The same pinned n8n as the single-process suite, installed once per machine.
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	testTimeout: 1_800_000,
	maxWorkers: 1,
};
