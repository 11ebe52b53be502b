// Post-build step: replaces each compiled nodes/vendor/*.js (a bare re-export of a library) with a
// self-contained bundle of that library, so the installed package needs no runtime dependencies.
// The bundled packages' licences (MIT, BSD) ask that their notices travel with every copy: they are
// written next to the bundles, in THIRD-PARTY-LICENSES.txt.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const dir = path.resolve('dist/nodes/vendor');
const files = readdirSync(dir).filter((name) => name.endsWith('.js'));
const packages = new Set();
for (const name of files) {
	const file = path.join(dir, name);
	const { metafile } = await build({
		entryPoints: [file],
		outfile: file,
		allowOverwrite: true,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		// Optional extras pg loads only when asked for (native bindings, Cloudflare sockets).
		external: ['pg-native', 'pg-cloudflare', 'cloudflare:sockets'],
		logLevel: 'warning',
		legalComments: 'inline',
		metafile: true,
	});
	for (const input of Object.keys(metafile.inputs)) {
		const root = packageRoot(input);
		if (root) packages.add(root);
	}
	// tsc's source map described the two-line re-export, not the bundle.
	rmSync(`${file}.map`, { force: true });
}
writeFileSync(path.join(dir, 'THIRD-PARTY-LICENSES.txt'), notices([...packages].sort()));
console.log(
	`bundled ${files.length} vendor module(s) from ${packages.size} package(s) into dist/nodes/vendor`,
);

/** `node_modules/pg-types/lib/index.js` → `node_modules/pg-types` (scoped and nested alike). */
function packageRoot(input) {
	const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.replaceAll('\\', '/'));
	return match?.[1];
}

function notices(roots) {
	return roots
		.map((root) => {
			const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
			const licenseFile = readdirSync(root).find((name) => /^licen[cs]e(\.|$)/i.test(name));
			const heading = `${manifest.name}@${manifest.version} (${manifest.license})`;
			if (licenseFile)
				return `${heading}\n\n${readFileSync(path.join(root, licenseFile), 'utf8').trim()}\n`;
			// A few packages (pg-types, pgpass) keep their licence in the README's Licence section.
			const readme = readdirSync(root).find((name) => /^readme(\.|$)/i.test(name));
			const section = readme && licenceSection(readFileSync(path.join(root, readme), 'utf8'));
			if (!section) throw new Error(`${manifest.name} ships no licence text to bundle with it`);
			return `${heading}\n\n${section}\n`;
		})
		.join(`\n${'-'.repeat(72)}\n\n`);
}

/** The text under a README's `## License` heading, up to the next heading as high or higher. */
function licenceSection(markdown) {
	const lines = markdown.split(/\r?\n/);
	const start = lines.findIndex((line) => /^#{1,6} *licen[cs]e\b/i.test(line));
	if (start < 0) return undefined;
	const level = /^#+/.exec(lines[start])[0].length;
	const end = lines.findIndex((line, i) => i > start && new RegExp(`^#{1,${level}} `).test(line));
	return lines
		.slice(start + 1, end < 0 ? undefined : end)
		.join('\n')
		.trim();
}
