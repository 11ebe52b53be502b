import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import {
	Workflow,
	type ICredentialType,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyCollection,
	type INodeType,
	type INodeTypes,
} from 'n8n-workflow';

import { ConsentStoreDb } from '../../credentials/ConsentStoreDb.credentials';
import { WhatsAppBroadcastApi } from '../../credentials/WhatsAppBroadcastApi.credentials';
import { ConsentStore } from '../../nodes/ConsentStore/ConsentStore.node';
import { DEFAULT_REPLY_TEXTS, REPLY_KINDS } from '../../nodes/core/consent';
import { WhatsAppBroadcast } from '../../nodes/WhatsAppBroadcast/WhatsAppBroadcast.node';
import { WhatsAppBroadcastTrigger } from '../../nodes/WhatsAppBroadcastTrigger/WhatsAppBroadcastTrigger.node';

/** What staff see in the n8n editor, read from the node and credential classes we ship. */
const ROOT = path.resolve(__dirname, '../..');
const PACKAGE = 'n8n-nodes-civic-broadcast';

const nodes: Array<{ dir: string; type: INodeType }> = [
	{ dir: 'nodes/WhatsAppBroadcastTrigger', type: new WhatsAppBroadcastTrigger() },
	{ dir: 'nodes/ConsentStore', type: new ConsentStore() },
	{ dir: 'nodes/WhatsAppBroadcast', type: new WhatsAppBroadcast() },
];
const credentials: ICredentialType[] = [new WhatsAppBroadcastApi(), new ConsentStoreDb()];
const byName = (name: string) => {
	const node = nodes.find((n) => n.type.description.name === name);
	if (!node) throw new Error(`no node ${name}`);
	return node.type;
};
const credential = (name: string) => {
	const found = credentials.find((c) => c.name === name);
	if (!found) throw new Error(`no credential ${name}`);
	return found;
};

/** The node types as n8n's editor hands them to `Workflow` (keyed by the installed type name). */
const nodeTypes: INodeTypes = {
	getByName: (type) => byName(type.replace(`${PACKAGE}.`, '')),
	getByNameAndVersion: (type) => byName(type.replace(`${PACKAGE}.`, '')),
	getKnownTypes: () => ({}),
};

/**
 * The canvas subtitle exactly as the editor computes it (`getNodeSubtitle` in n8n's editor-ui):
 * a `Workflow` fills in the parameter defaults, then the subtitle is resolved with
 * `expression.getSimpleParameterValue(node, subtitle, 'internal', {})`.
 */
function canvasSubtitle(name: string, parameters: INodeParameters): unknown {
	const node: INode = {
		id: 'n1',
		name: 'Node',
		type: `${PACKAGE}.${name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const subtitle = byName(name).description.subtitle;
	return workflow.expression.getSimpleParameterValue(
		workflow.getNode('Node') as INode,
		subtitle,
		'internal',
		{},
		undefined,
		'[empty]',
	);
}

function operationsOf(name: string): Array<{ name: string; value: string }> {
	const operation = byName(name).description.properties.find((p) => p.name === 'operation');
	return (operation?.options ?? []) as Array<{ name: string; value: string }>;
}

/** Every property, nested collections and fixed collections included. */
function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((p) => {
		if (p.type === 'collection')
			return [p, ...allProperties((p.options ?? []) as INodeProperties[])];
		if (p.type === 'fixedCollection')
			return [
				p,
				...((p.options ?? []) as INodePropertyCollection[]).flatMap((o) => allProperties(o.values)),
			];
		return [p];
	});
}

describe('canvas subtitles read as words', () => {
	it.each(['consentStore', 'whatsAppBroadcast'])(
		'%s: every operation shows its name, not its value',
		(name) => {
			const operations = operationsOf(name);
			expect(operations.length).toBeGreaterThan(3);
			for (const { name: label, value } of operations) {
				const subtitle = canvasSubtitle(name, { operation: value, messageType: 'text' });
				expect(subtitle).toBe(label);
			}
		},
	);

	it('Consent Store with its defaults (as a new node): "Process Message"', () => {
		expect(canvasSubtitle('consentStore', {})).toBe('Process Message');
	});

	it('Send Announcement names the template when a fixed one is used', () => {
		expect(canvasSubtitle('whatsAppBroadcast', {})).toBe('Send Announcement · civic_announcement');
		expect(canvasSubtitle('whatsAppBroadcast', { templateName: 'gazette_notice' })).toBe(
			'Send Announcement · gazette_notice',
		);
		// An expression picks the template per item: nothing to name before the run.
		expect(canvasSubtitle('whatsAppBroadcast', { templateName: '={{ $json.template }}' })).toBe(
			'Send Announcement',
		);
		expect(canvasSubtitle('whatsAppBroadcast', { messageType: 'text' })).toBe('Send Announcement');
		expect(canvasSubtitle('whatsAppBroadcast', { operation: 'reply' })).toBe('Reply');
	});

	it('the trigger names what it emits', () => {
		expect(canvasSubtitle('whatsAppBroadcastTrigger', {})).toBe('Messages and delivery statuses');
	});

	it('every node of ours in the exported workflows gets a worded subtitle', () => {
		const dir = path.join(ROOT, 'workflows');
		let checked = 0;
		for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
			const workflow = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
				nodes: Array<{ type: string; parameters: INodeParameters }>;
			};
			for (const node of workflow.nodes.filter((n) => n.type.startsWith(`${PACKAGE}.`))) {
				const subtitle = canvasSubtitle(node.type.replace(`${PACKAGE}.`, ''), node.parameters);
				expect(subtitle).toMatch(/^[A-Z][a-z]+( [A-Za-z]+)*( · [\w.-]+)?$/);
				checked += 1;
			}
		}
		expect(checked).toBeGreaterThanOrEqual(5);
	});
});

describe('credentials', () => {
	it('the fields the trigger needs are required, with the ones every node needs', () => {
		const required = (c: ICredentialType) =>
			c.properties.filter((p) => p.required).map((p) => p.name);
		expect(required(credential('whatsAppBroadcastApi'))).toEqual([
			'accessToken',
			'phoneNumberId',
			'appSecret',
			'verifyToken',
		]);
		expect(required(credential('consentStoreDb'))).toEqual(['dataProtectionKey']);
	});

	it('the data-protection key warning is a visible notice right above the key', () => {
		const properties = credential('consentStoreDb').properties;
		const key = properties.findIndex((p) => p.name === 'dataProtectionKey');
		const notice = properties[key - 1];
		expect(notice.type).toBe('notice');
		expect(notice.displayName).toMatch(/Keep a copy of the data-protection key/);
		expect(notice.displayName).toMatch(/cannot be read/);
	});

	it('documentation links point at README sections on the package page', () => {
		const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
		const anchors = [...readme.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) =>
			heading
				.toLowerCase()
				.replace(/[^\p{L}\p{N} -]/gu, '')
				.replace(/ /g, '-'),
		);
		for (const c of credentials) {
			const url = new URL(String(c.documentationUrl));
			expect(`${url.origin}${url.pathname}`).toBe(`https://www.npmjs.com/package/${PACKAGE}`);
			expect(anchors).toContain(url.hash.slice(1));
		}
	});
});

describe('texts staff read', () => {
	const everything = [
		...nodes.map((n) => ({
			name: n.type.description.name,
			json: JSON.stringify(n.type.description),
		})),
		...credentials.map((c) => ({ name: c.name, json: JSON.stringify(c) })),
		{ name: 'README', json: readFileSync(path.join(ROOT, 'README.md'), 'utf8') },
	];

	it.each(everything)('$name: no example.invalid link and no "N8n"', ({ json }) => {
		expect(json).not.toContain('example.invalid');
		expect(json).not.toMatch(/N8n/);
	});

	it.each(nodes.map((n) => [n.type.description.name, n.type.description.properties] as const))(
		'%s: every add-button says what it adds',
		(_, properties) => {
			const collections = allProperties(properties).filter(
				(p) => p.type === 'collection' || p.type === 'fixedCollection',
			);
			for (const p of collections)
				expect([p.name, p.placeholder]).toEqual([p.name, expect.stringMatching(/^Add [A-Z]/)]);
		},
	);

	it('the reply texts show their defaults, in every language, where staff change them', () => {
		const replyTexts = allProperties(byName('consentStore').description.properties).find(
			(p) => p.name === 'replyTexts',
		);
		const languages = (replyTexts?.options ?? []) as INodePropertyCollection[];
		expect(languages.map((l) => l.name).sort()).toEqual(['de', 'en', 'sl']);
		for (const language of languages) {
			const lang = language.name as keyof typeof DEFAULT_REPLY_TEXTS;
			expect(Object.fromEntries(language.values.map((v) => [v.name, v.default]))).toEqual(
				Object.fromEntries(REPLY_KINDS.map((kind) => [kind, DEFAULT_REPLY_TEXTS[lang][kind]])),
			);
		}
	});

	it('the pseudonym prefix says it follows the language when left empty', () => {
		const prefix = byName('consentStore').description.properties.find(
			(p) => p.name === 'pseudonymPrefix',
		);
		expect(prefix?.default).toBe('');
		expect(prefix?.description).toMatch(/Gast_ German, Gost_ Slovenian, Guest_ English/);
	});
});

describe('icons', () => {
	const icons = [
		...nodes.map((n) => ({
			name: n.type.description.name,
			dir: n.dir,
			icon: n.type.description.icon,
		})),
		...credentials.map((c) => ({ name: c.name, dir: 'credentials', icon: c.icon })),
	];

	function files(dir: string, icon: unknown): { light: string; dark: string } {
		const themed = icon as { light?: string; dark?: string };
		expect(typeof themed).toBe('object');
		const file = (value: string | undefined) => {
			expect(value).toMatch(/^file:.+\.svg$/);
			return path.resolve(ROOT, dir, String(value).slice('file:'.length));
		};
		return { light: file(themed.light), dark: file(themed.dark) };
	}

	it.each(icons)(
		'$name has a light and a dark SVG that exist and are well-formed',
		({ dir, icon }) => {
			const { light, dark } = files(dir, icon);
			expect(light).not.toBe(dark);
			for (const file of [light, dark]) expectValidSvg(readFileSync(file, 'utf8'));
			expect(readFileSync(light, 'utf8')).not.toBe(readFileSync(dark, 'utf8'));
		},
	);

	it('the three nodes have three different icons', () => {
		const drawings = icons
			.filter((i) => nodes.some((n) => n.type.description.name === i.name))
			.map((i) => readFileSync(files(i.dir, i.icon).light, 'utf8'));
		expect(new Set(drawings).size).toBe(3);
	});
});

/** A hand-written 60×60 SVG like n8n's: balanced tags, one root, nothing executable. */
function expectValidSvg(svg: string): void {
	const text = svg.trim();
	expect(text).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
	expect(text).toMatch(/^<svg [^>]*viewBox="0 0 60 60"/);
	expect(text).not.toMatch(/<script|on\w+=|href=/i);
	const stack: string[] = [];
	let roots = 0;
	const rest = text.replace(
		/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g,
		(_, close: string, tag: string, _attrs: string, selfClosing: string) => {
			if (close) expect(stack.pop()).toBe(tag);
			else if (!selfClosing) {
				if (stack.length === 0) roots += 1;
				stack.push(tag);
			}
			return '';
		},
	);
	expect(stack).toEqual([]);
	expect(roots).toBe(1);
	// Anything left over is not markup a renderer accepts (text content, a broken tag).
	expect(rest.trim()).toBe('');
}
