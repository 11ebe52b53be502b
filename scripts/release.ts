/**
 * `npm run release`: build, lint and test the package, then write the tarball an admin installs
 * (README: "Installing in a production n8n") into release/, with its SHA-256 in `sha256sum`
 * format next to it and the npm integrity string for N8N_COMMUNITY_PACKAGES printed.
 * Stops at the first step that fails; release/ keeps earlier releases.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

import { PACKAGE_ROOT, packageInfo, packPackage } from './n8n/package';
import { npmIntegrity, writeChecksumFile } from './release/checksum';

const RELEASE_DIR = join(PACKAGE_ROOT, 'release');

function step(title: string, script: string): void {
	console.log(`\n▶ ${title}: npm run ${script}`);
	execFileSync('npm', ['run', script], { cwd: PACKAGE_ROOT, stdio: 'inherit' });
}

async function main(): Promise<void> {
	const { name, version } = packageInfo();
	step('build', 'build');
	step('lint', 'lint');
	step('test', 'test');
	mkdirSync(RELEASE_DIR, { recursive: true });
	const expected = join(RELEASE_DIR, `${name}-${version}.tgz`);
	rmSync(expected, { force: true });
	rmSync(`${expected}.sha256`, { force: true });
	const tarball = packPackage(RELEASE_DIR);
	const { file, sha256 } = await writeChecksumFile(tarball);
	const integrity = await npmIntegrity(tarball);
	console.log(`
✔ ${relative(PACKAGE_ROOT, tarball)}
✔ ${relative(PACKAGE_ROOT, file)}  (SHA-256 ${sha256})

Check a copy:  cd release && sha256sum -c ${relative(RELEASE_DIR, file)}
npm integrity: ${integrity}
  (the "checksum" for N8N_COMMUNITY_PACKAGES, when this very tarball is published: npm publish ${relative(PACKAGE_ROOT, tarball)})`);
}

main().catch((error: unknown) => {
	console.error(`\n✘ release failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
