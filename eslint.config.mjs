import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

// Cloud support is off (the package keeps a database, which n8n Cloud does not allow), so the
// official community-node rules apply without the cloud-only ones. Two project rules on top:
export default [
	...configWithoutCloudSupport,
	{ ignores: ['.ci-results/**', 'coverage/**'] },
	{
		// The domain core stays n8n-free (ARCHITECTURE.md, Layers): nodes adapt it, never the other way round.
		files: ['nodes/core/**/*.ts'],
		rules: {
			// Core errors extend our own hierarchy; nodes/shared/node-errors.ts turns them into n8n errors.
			'@n8n/community-nodes/require-node-api-error': 'off',
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['n8n-workflow', 'n8n-core', 'n8n-workflow/*', 'n8n-core/*'],
							message: 'nodes/core must not depend on n8n.',
						},
					],
				},
			],
		},
	},
	{
		// Only the core opens what is sealed: node adapters pass sealed tokens, pseudonyms and the
		// opened store's keys on to core functions, and never import the privacy module.
		files: ['nodes/**/*.ts'],
		ignores: ['nodes/core/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/core/privacy', '**/core/privacy/**'],
							message:
								'Node files must not import the privacy module: call a core function that opens tokens (e.g. sendReply, recordDeliveryStatus, receiveDelivery).',
						},
						{
							// The same functions re-exported by another core module stay out of reach.
							group: ['**/core', '**/core/**'],
							importNames: [
								'derivePrivacyKeys',
								'openSender',
								'openMessageId',
								'sealSender',
								'sealMessageId',
								'sealer',
							],
							message:
								'Node files must not derive keys or seal and open tokens: the core functions do.',
						},
					],
				},
			],
		},
	},
	{
		// Tests, the simulator, benchmarks and scripts are not shipped in the package: rules that
		// guard what runs inside a user's n8n (no child processes, n8n error types) don't apply.
		files: ['test/**/*.ts', 'simulator/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
		rules: {
			'@n8n/community-nodes/no-dangerous-functions': 'off',
			'@n8n/community-nodes/require-node-api-error': 'off',
			'@n8n/community-nodes/node-usable-as-tool': 'off',
		},
	},
	{
		// Command-line tools and benchmarks print to the terminal by design.
		files: ['bench/**/*.ts', 'scripts/**/*.ts', 'simulator/cli.ts'],
		rules: { 'no-console': 'off' },
	},
];
