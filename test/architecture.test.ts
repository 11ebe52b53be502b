/**
 * The layers of ARCHITECTURE.md, checked on the source itself: every import of every file of the
 * package (nodes/ and credentials/) is read with TypeScript's scanner, so `import type`,
 * `export … from` and `require` count too. A failure names the file and the import, or the circle.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const NODES = path.join(ROOT, 'nodes');
const CORE = path.join(NODES, 'core');
const PRIVACY = path.join(CORE, 'privacy');
const VENDOR = path.join(NODES, 'vendor');

/** Longer modules say why at the top, in a line starting with this. */
const LONG_REASON = 'Why this file is long:';
const MAX_LINES = 300;

function tsFilesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return tsFilesUnder(full);
		return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : [];
	});
}

const rel = (file: string) => path.relative(ROOT, file);
const inside = (file: string, dir: string) => file.startsWith(dir + path.sep);

interface Import {
	specifier: string;
	/** The file a relative import resolves to; undefined for packages and Node's own modules. */
	target?: string;
}

function resolveRelative(from: string, specifier: string): string {
	const base = path.resolve(path.dirname(from), specifier);
	for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
		if (candidate.endsWith('.ts') && statSync(candidate, { throwIfNoEntry: false })?.isFile())
			return candidate;
	}
	throw new Error(`${rel(from)} imports "${specifier}", which resolves to no .ts file`);
}

function importsOf(file: string): Import[] {
	const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
	return importedFiles.map(({ fileName: specifier }) => ({
		specifier,
		target: specifier.startsWith('.') ? resolveRelative(file, specifier) : undefined,
	}));
}

/** The first import circle found among `files` as a path `a → b → … → a`, or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
	const state = new Map<string, 'open' | 'done'>();
	const stack: string[] = [];
	const visit = (node: string): string[] | undefined => {
		state.set(node, 'open');
		stack.push(node);
		for (const next of graph.get(node) ?? []) {
			if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
			if (!state.has(next)) {
				const found = visit(next);
				if (found) return found;
			}
		}
		stack.pop();
		state.set(node, 'done');
		return undefined;
	};
	for (const node of graph.keys()) {
		if (!state.has(node)) {
			const found = visit(node);
			if (found) return found;
		}
	}
	return undefined;
}

const files = [...tsFilesUnder(NODES), ...tsFilesUnder(path.join(ROOT, 'credentials'))];
/** The size rule holds for the whole repository's code, not only the package. */
const allCode = ['nodes', 'credentials', 'simulator', 'scripts', 'bench', 'test'].flatMap((dir) =>
	tsFilesUnder(path.join(ROOT, dir)),
);
const imports = new Map(files.map((file) => [file, importsOf(file)]));
const coreFiles = files.filter((file) => inside(file, CORE));

describe('architecture: the layers hold in the imports', () => {
	it('reads the whole package: every node folder and the core', () => {
		expect(coreFiles.length).toBeGreaterThan(20);
		for (const folder of [
			'ConsentStore',
			'WhatsAppBroadcast',
			'WhatsAppBroadcastTrigger',
			'shared',
		])
			expect(files.some((file) => inside(file, path.join(NODES, folder)))).toBe(true);
		// The scanner sees what the rules look for: n8n in an adapter, the privacy module in the core.
		const node = imports.get(path.join(NODES, 'ConsentStore', 'ConsentStore.node.ts'))!;
		expect(node.map((i) => i.specifier)).toContain('n8n-workflow');
		expect(
			coreFiles.some((file) =>
				imports.get(file)!.some((i) => i.target && inside(i.target, PRIVACY)),
			),
		).toBe(true);
	});

	it('has no import circle inside nodes/core', () => {
		const graph = new Map(
			coreFiles.map((file) => [
				rel(file),
				imports
					.get(file)!
					.flatMap(({ target }) => (target && inside(target, CORE) ? [rel(target)] : [])),
			]),
		);
		expect(findCycle(graph)?.join(' → ')).toBeUndefined();
	});

	it('nodes/core imports neither n8n nor the node adapters (only itself, vendor bundles, Node)', () => {
		const wrong = coreFiles.flatMap((file) =>
			imports
				.get(file)!
				.filter(({ specifier, target }) =>
					target
						? !inside(target, CORE) && !inside(target, VENDOR)
						: /^n8n-(workflow|core)(\/|$)/.test(specifier),
				)
				.map(({ specifier }) => `${rel(file)} imports ${specifier}`),
		);
		expect(wrong).toEqual([]);
	});

	it('node adapters and credentials never import nodes/core/privacy: core functions open tokens', () => {
		const wrong = files
			.filter((file) => !inside(file, CORE))
			.flatMap((file) =>
				imports
					.get(file)!
					.filter(({ target }) => target && inside(target, PRIVACY))
					.map(({ specifier }) => `${rel(file)} imports ${specifier}`),
			);
		expect(wrong).toEqual([]);
	});

	it(`has no module over ${MAX_LINES} lines without "${LONG_REASON}" in its top comment`, () => {
		const long = allCode.flatMap((file) => {
			const text = readFileSync(file, 'utf8');
			const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
			if (lines <= MAX_LINES) return [];
			const topComment = /^\s*\/\*[\s\S]*?\*\//.exec(text)?.[0] ?? '';
			return topComment.includes(LONG_REASON) ? [] : [`${rel(file)}: ${lines} lines`];
		});
		expect(long).toEqual([]);
	});
});

describe('findCycle (the check above, on graphs with a known answer)', () => {
	it('finds a circle and names its path, and finds none in a tree', () => {
		const circle = new Map([
			['a', ['b']],
			['b', ['c']],
			['c', ['a', 'd']],
			['d', []],
		]);
		expect(findCycle(circle)).toEqual(['a', 'b', 'c', 'a']);
		expect(
			findCycle(
				new Map([
					['a', ['b', 'c']],
					['b', ['c']],
					['c', []],
				]),
			),
		).toBeUndefined();
		expect(findCycle(new Map([['x', ['x']]]))).toEqual(['x', 'x']);
	});
});
