/**
 * Puts our built package into an n8n user folder the way n8n's community-node installer does:
 * `npm pack`, then the tarball's contents under `<user folder>/.n8n/nodes/node_modules/<name>`.
 * Node types are then `n8n-nodes-civic-broadcast.<node>`, exactly what users and the exported
 * workflows see (loading through N8N_CUSTOM_EXTENSIONS would name them `CUSTOM.<node>`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PACKAGE_ROOT = resolve(__dirname, '..', '..');

export interface PackageInfo {
	name: string;
	version: string;
	nodes: string[];
}

export function packageInfo(): PackageInfo {
	const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
		name: string;
		version: string;
		n8n: { nodes: string[] };
	};
	return { name: pkg.name, version: pkg.version, nodes: pkg.n8n.nodes };
}

/** `npm pack` of the built package (run `npm run build` first); returns the tarball's path. */
export function packPackage(destination = mkdtempSync(join(tmpdir(), 'civic-pack-'))): string {
	const missing = packageInfo().nodes.filter((file) => !existsSync(join(PACKAGE_ROOT, file)));
	if (missing.length > 0) {
		throw new Error(`The build is missing ${missing.join(', ')}: run \`npm run build\` first`);
	}
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: PACKAGE_ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [{ filename }] = JSON.parse(out) as Array<{ filename: string }>;
	return join(destination, filename);
}

/** Unpacks the tarball into the user folder's community-node folder; returns the package folder. */
export function installPackageInto(userFolder: string, tarball: string): string {
	const { name, version } = packageInfo();
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const target = join(nodesDir, 'node_modules', name);
	mkdirSync(target, { recursive: true });
	execFileSync('tar', ['xzf', tarball, '--strip-components=1', '-C', target]);
	// n8n's installer keeps a package.json listing what it installed; mirror it.
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify(
			{ name: 'installed-nodes', private: true, dependencies: { [name]: version } },
			null,
			2,
		),
	);
	return target;
}
