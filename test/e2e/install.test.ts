/**
 * Installing the package without the public npm registry, the ways the README documents, each in
 * a real n8n 2.41.1 and checked by the node types n8n then loads:
 * - the release tarball installed with npm into ~/.n8n/nodes, exactly as the README has the admin
 *   type it (no registry needed; loads even with N8N_UNVERIFIED_PACKAGES_ENABLED=false on 2.x);
 * - N8N_CUSTOM_EXTENSIONS: loads, but as CUSTOM.<node>, which the exported workflows do not name;
 * - N8N_COMMUNITY_PACKAGES: installs from a registry only; without a checksum and with unverified
 *   packages off (n8n 3's default) n8n refuses to start, and a private registry needs an
 *   Enterprise licence on 2.41.1 (nothing is asked of it, nothing installed);
 * - the Docker example (docs/docker): its files are checked, and its install script is run here
 *   as the container would run it. `docker build` itself cannot run here (no Docker engine).
 */
import { execFileSync } from 'node:child_process';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { N8N_VERSION } from '../../scripts/n8n/install';
import { freePort, listNodeTypes, startN8n, type N8nInstance } from '../../scripts/n8n/instance';
import { PACKAGE_ROOT, packageInfo, packPackage } from '../../scripts/n8n/package';
import { loadWorkflow, WORKFLOW_FILES } from '../../scripts/n8n/workflows';

const { name: PACKAGE, version: VERSION } = packageInfo();
const OUR_NODES = ['consentStore', 'whatsAppBroadcast', 'whatsAppBroadcastTrigger'];

/** Starts n8n, reads the node types it loaded, stops it. */
async function loadedNodeTypes(
	options: Parameters<typeof startN8n>[0],
): Promise<{ types: string[]; log: string }> {
	const n8n: N8nInstance = await startN8n({ ...options, log: () => undefined });
	try {
		const types = await listNodeTypes(n8n.baseUrl, await n8n.setupOwner());
		return { types, log: readFileSync(n8n.logFile, 'utf8') };
	} finally {
		await n8n.stop();
	}
}

const ours = (types: string[], prefix: string) =>
	types.filter((t) => t.startsWith(`${prefix}.`) && !t.endsWith('Tool')).sort();

describe('installing the package without the public registry (real n8n 2.41.1)', () => {
	let tarball: string;
	const folders: string[] = [];
	const folder = (prefix: string) => {
		const path = mkdtempSync(join(tmpdir(), prefix));
		folders.push(path);
		return path;
	};

	beforeAll(() => {
		tarball = packPackage(folder('civic-release-'));
	});

	afterAll(() => {
		if (!process.env.CIVIC_E2E_KEEP)
			for (const path of folders) rmSync(path, { recursive: true, force: true });
	});

	it('the tarball, installed with npm in ~/.n8n/nodes as the README says, loads under the package name', async () => {
		expect(basename(tarball)).toBe(`${PACKAGE}-${VERSION}.tgz`);
		const userFolder = folder('civic-install-');
		const nodes = join(userFolder, '.n8n', 'nodes');
		mkdirSync(nodes, { recursive: true });
		copyFileSync(tarball, join(nodes, basename(tarball)));
		// What the admin types, plus a registry nobody listens on: npm must not need one.
		const nobody = `http://127.0.0.1:${await freePort()}/`;
		execFileSync(
			'npm',
			[
				'install',
				'--legacy-peer-deps',
				`./${basename(tarball)}`,
				`--registry=${nobody}`,
				'--fetch-retries=0',
			],
			{ cwd: nodes, stdio: 'pipe' },
		);
		const manifest = JSON.parse(readFileSync(join(nodes, 'package.json'), 'utf8')) as {
			dependencies: Record<string, string>;
		};
		// npm records the tarball by path: it stays in ~/.n8n/nodes for later `npm install`s.
		expect(manifest.dependencies).toEqual({ [PACKAGE]: `file:${basename(tarball)}` });

		// n8n 3 turns unverified packages off by default; 2.41.1 still loads what is in ~/.n8n/nodes.
		const { types } = await loadedNodeTypes({
			userFolder,
			install: 'none',
			env: { N8N_UNVERIFIED_PACKAGES_ENABLED: 'false' },
		});
		expect(ours(types, PACKAGE)).toEqual(OUR_NODES.map((node) => `${PACKAGE}.${node}`));
	});

	it('N8N_CUSTOM_EXTENSIONS loads the nodes as CUSTOM.<node>, names the exported workflows do not use', async () => {
		const extensions = folder('civic-extensions-');
		const unpacked = join(extensions, PACKAGE);
		mkdirSync(unpacked);
		execFileSync('tar', ['xzf', tarball, '--strip-components=1', '-C', unpacked]);
		const { types } = await loadedNodeTypes({
			install: 'none',
			env: { N8N_CUSTOM_EXTENSIONS: extensions },
		});
		expect(ours(types, 'CUSTOM')).toEqual(OUR_NODES.map((node) => `CUSTOM.${node}`));
		expect(ours(types, PACKAGE)).toEqual([]);
		const named = WORKFLOW_FILES.flatMap((file) => loadWorkflow(file).nodes.map((n) => n.type));
		expect(named.filter((type) => type.startsWith('CUSTOM.'))).toEqual([]);
		expect(named).toEqual(expect.arrayContaining([`${PACKAGE}.whatsAppBroadcast`]));
	});

	describe('N8N_COMMUNITY_PACKAGES (installs from a registry when n8n starts)', () => {
		const listed = JSON.stringify([{ name: PACKAGE, version: VERSION }]);

		it('with unverified packages off (n8n 3’s default) and no checksum, n8n refuses to start', async () => {
			await expect(
				startN8n({
					install: 'none',
					log: () => undefined,
					env: {
						N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV: 'true',
						N8N_COMMUNITY_PACKAGES: listed,
						N8N_UNVERIFIED_PACKAGES_ENABLED: 'false',
					},
				}),
			).rejects.toThrow(
				`N8N_COMMUNITY_PACKAGES: no checksum available for '${PACKAGE}@${VERSION}' and unverified packages are disabled`,
			);
		});

		describe('a private registry', () => {
			let registry: Server;
			const requests: string[] = [];

			beforeAll(async () => {
				// Whatever n8n asks of it is recorded; it answers nothing useful, and is not asked.
				registry = createServer((req, res) => {
					requests.push(`${req.method} ${req.url}`);
					res.writeHead(404).end();
				});
				await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
			});

			afterAll(async () => {
				await new Promise((resolve) => registry.close(resolve));
			});

			it('needs an Enterprise licence on n8n 2.41.1: nothing is installed, the registry is never asked', async () => {
				const address = registry.address() as { port: number };
				const { types, log } = await loadedNodeTypes({
					install: 'none',
					env: {
						N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV: 'true',
						N8N_COMMUNITY_PACKAGES: listed,
						N8N_COMMUNITY_PACKAGES_REGISTRY: `http://127.0.0.1:${address.port}`,
						N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
					},
				});
				expect(log).toContain(
					`Failed to install community package '${PACKAGE}@${VERSION}' from env: Your license does not allow for feat:communityNodes:customRegistry`,
				);
				expect(ours(types, PACKAGE)).toEqual([]);
				expect(requests).toEqual([]);
			});
		});
	});

	describe('the Docker example (docs/docker)', () => {
		const docker = join(PACKAGE_ROOT, 'docs', 'docker');
		const dockerfile = readFileSync(join(docker, 'Dockerfile'), 'utf8');
		const script = join(docker, 'install-civic-broadcast.sh');
		const instruction = (name: string) =>
			dockerfile
				.split('\n')
				.filter((line) => line.startsWith(`${name} `))
				.map((line) => line.slice(name.length + 1));

		it('extends the official image of the tested n8n with the tarball npm pack writes, and keeps its user', () => {
			expect(instruction('FROM')).toEqual([`n8nio/n8n:${N8N_VERSION}`]);
			expect(instruction('ARG')).toEqual([`CIVIC_TARBALL=${basename(tarball)}`]);
			// The script's default tarball path is where the Dockerfile copies it.
			const scriptDefault = /CIVIC_TARBALL:-([^}]+)\}/.exec(readFileSync(script, 'utf8'))?.[1];
			expect(instruction('COPY')).toEqual([
				`\${CIVIC_TARBALL} ${scriptDefault}`,
				'install-civic-broadcast.sh /opt/civic-broadcast/install.sh',
			]);
			// No USER: the official image runs n8n as user node, whose home holds ~/.n8n.
			expect(instruction('USER')).toEqual([]);
			const [entrypoint] = instruction('ENTRYPOINT').map((e) => JSON.parse(e) as string[]);
			expect(entrypoint.slice(0, 4)).toEqual(['tini', '--', '/bin/sh', '-c']);
			expect(entrypoint[4]).toBe(
				'sh /opt/civic-broadcast/install.sh && exec /docker-entrypoint.sh "$@"',
			);
		});

		it('its install script, run as the container runs it, puts the package where n8n loads it by name, over an older copy', async () => {
			const userFolder = folder('civic-docker-');
			const target = join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE);
			mkdirSync(target, { recursive: true });
			writeFileSync(join(target, 'left-by-an-older-image.js'), '');
			// As in the container: no N8N_USER_FOLDER, n8n's folder is under $HOME (/home/node).
			const env: NodeJS.ProcessEnv = { ...process.env, HOME: userFolder, CIVIC_TARBALL: tarball };
			delete env.N8N_USER_FOLDER;
			execFileSync('sh', [script], { env, stdio: 'pipe' });
			expect(existsSync(join(target, 'left-by-an-older-image.js'))).toBe(false);
			const installed = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as {
				version: string;
			};
			expect(installed.version).toBe(VERSION);
			const { types } = await loadedNodeTypes({ userFolder, install: 'none' });
			expect(ours(types, PACKAGE)).toEqual(OUR_NODES.map((node) => `${PACKAGE}.${node}`));
		});
	});
});
