// Post-build step: replaces each compiled nodes/vendor/*.js (a bare re-export of a library) with a
// self-contained bundle of that library, so the installed package needs no runtime dependencies.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const dir = path.resolve('dist/nodes/vendor');
const files = readdirSync(dir).filter((name) => name.endsWith('.js'));
for (const name of files) {
	const file = path.join(dir, name);
	await build({
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
	});
	// tsc's source map described the two-line re-export, not the bundle.
	rmSync(`${file}.map`, { force: true });
}
console.log(`bundled ${files.length} vendor module(s) into dist/nodes/vendor`);
