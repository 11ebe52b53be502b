import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The lint rule that keeps unsealing in the core. `npm run lint` is `n8n-node lint`, which runs
 * `eslint .` in the project with its eslint.config.mjs; here ESLint's own CLI lints source text
 * under a path inside nodes/, so no file is written into the shared tree.
 */
const ROOT = path.resolve(__dirname, '../..');
const ESLINT = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');

interface LintMessage {
	ruleId: string | null;
	message: string;
	line: number;
}

async function lint(filePath: string, source: string): Promise<LintMessage[]> {
	const child = execFile(
		process.execPath,
		[ESLINT, '--stdin', '--stdin-filename', filePath, '--format', 'json'],
		{ cwd: ROOT },
	);
	child.stdin!.end(source);
	const output = await new Promise<string>((resolve) => {
		let text = '';
		child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
		// ESLint exits with 1 when it finds errors; the JSON report is complete either way.
		child.on('close', () => resolve(text));
	});
	const [result] = JSON.parse(output) as Array<{ messages: LintMessage[] }>;
	return result.messages;
}

/** The lines the rule flags (a line that two of its patterns match counts once). */
const restricted = (messages: LintMessage[]) => [
	...new Set(messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.line)),
];

const ADAPTER_IMPORTS = [
	"import { openSender } from '../../core/privacy/sealer';",
	"import type { PrivacyKeys } from '../../core/privacy/keys';",
	"import { sealer } from '../../core/privacy';",
	"import { openMessageId as open } from '../../core/webhook';",
	"import { sendReply } from '../../core/broadcast';",
	"import { parseEvents } from '../../core/webhook';",
	'export const used = [openSender, sealer, open, sendReply, parseEvents];',
	'export type Keys = PrivacyKeys;',
].join('\n');

describe('lint: node adapters do not import the privacy module', () => {
	it('is part of npm run lint (n8n-node lint runs ESLint with the project config)', () => {
		const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
		expect(pkg.scripts.lint).toBe('n8n-node lint');
		expect(readFileSync(path.join(ROOT, 'eslint.config.mjs'), 'utf8')).toContain(
			"'**/core/privacy/**'",
		);
	});

	it.each([
		'nodes/ConsentStore/actions/violation.operation.ts',
		'nodes/WhatsAppBroadcast/actions/violation.operation.ts',
		'nodes/WhatsAppBroadcastTrigger/webhook/violation.webhook.ts',
	])('fails %s on each privacy import, not on other core imports', async (file) => {
		const messages = await lint(file, ADAPTER_IMPORTS);
		expect(restricted(messages)).toEqual([1, 2, 3, 4]);
		expect(messages.find((m) => m.line === 1)?.message).toMatch(
			/Node files must not import the privacy module/,
		);
	});

	it('fails a shared node helper too', async () => {
		const source = [
			"import { derivePrivacyKeys } from '../core/privacy/keys';",
			"import { derivePrivacyKeys as again } from '../core/store';",
			'export const k = [derivePrivacyKeys, again];',
		].join('\n');
		expect(restricted(await lint('nodes/shared/violation.ts', source))).toEqual([1, 2]);
	});

	it('lets the core itself use the privacy module', async () => {
		const source = ADAPTER_IMPORTS.replace(/\.\.\/\.\.\/core\//g, '../');
		expect(restricted(await lint('nodes/core/broadcast/opens-tokens.ts', source))).toEqual([]);
	});
});
