/** Slow suite: a real n8n instance with the built package installed, driven through the simulator. */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	// Installs the pinned n8n into the machine's cache on the first run (minutes), then reuses it.
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	testTimeout: 600_000,
	maxWorkers: 1,
};
