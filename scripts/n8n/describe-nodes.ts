/**
 * Reads node descriptions out of the installed n8n's n8n-nodes-base, in a separate Node process
 * (the base nodes load n8n's own dependency tree, which has no business in our test runner).
 * Used to check that the exported workflows give base nodes parameters this n8n knows.
 */
import { execFileSync } from 'node:child_process';

import { n8nInstallDir } from './install';

export interface DescribedProperty {
	name: string;
	type: string;
	/** Allowed values of an `options` property (undefined for other types). */
	values?: unknown[];
}

export interface DescribedNode {
	/** Polling triggers get n8n's `pollTimes` parameter on top of their own. */
	polling: boolean;
	properties: DescribedProperty[];
}

/** `{ "<type>@<version>": node }` for every requested type and version; null when unknown. */
export type Descriptions = Record<string, DescribedNode | null>;

const SCRIPT = `
const { join } = require('node:path');
const base = join(process.cwd(), 'node_modules', 'n8n-nodes-base');
const files = require(join(base, 'package.json')).n8n.nodes;
const wanted = JSON.parse(process.argv[1]);
const out = {};
for (const { type, version } of wanted) {
  const short = type.replace(/^n8n-nodes-base\\./, '');
  const file = files.find((f) => f.endsWith('/' + short.charAt(0).toUpperCase() + short.slice(1) + '.node.js'));
  if (!file) { out[type + '@' + version] = null; continue; }
  const mod = require(join(base, file));
  const Cls = mod[file.split('/').pop().replace('.node.js', '')];
  const node = new Cls();
  const description = node.nodeVersions ? node.nodeVersions[version]?.description : node.description;
  out[type + '@' + version] = description
    ? { polling: Boolean(description.polling), properties: description.properties.map((p) => ({ name: p.name, type: p.type,
        values: p.type === 'options' ? (p.options || []).map((o) => o.value) : undefined })) }
    : null;
}
process.stdout.write(JSON.stringify(out));
`;

export function describeBaseNodes(nodes: Array<{ type: string; version: number }>): Descriptions {
	const out = execFileSync(process.execPath, ['-e', SCRIPT, JSON.stringify(nodes)], {
		cwd: n8nInstallDir(),
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
		env: { ...process.env, NODE_ENV: 'production' },
	});
	return JSON.parse(out) as Descriptions;
}
