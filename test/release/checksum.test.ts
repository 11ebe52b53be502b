/**
 * The release's checksum file is what `sha256sum -c` accepts (and rejects once the tarball
 * changes), and the integrity string is the SHA-512 that npm records, checked against
 * coreutils' own `sha256sum` and `sha512sum`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { npmIntegrity, sha256sumLine, writeChecksumFile } from '../../scripts/release/checksum';

describe('release checksums', () => {
	let dir: string;
	let tarball: string;

	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'civic-checksum-'));
		tarball = join(dir, 'n8n-nodes-civic-broadcast-0.1.0.tgz');
		// Any bytes do; a few non-text ones included.
		writeFileSync(
			tarball,
			Buffer.concat([Buffer.from('release\n'), Buffer.from([0, 255, 13, 10])]),
		);
	});

	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	const sha256sumCheck = (file: string) =>
		spawnSync('sha256sum', ['-c', file], { cwd: dir, encoding: 'utf8' });

	it('writes <tarball>.sha256 in sha256sum format, which sha256sum -c accepts', async () => {
		const { file, sha256 } = await writeChecksumFile(tarball);
		expect(file).toBe(`${tarball}.sha256`);
		expect(readFileSync(file, 'utf8')).toBe(`${sha256}  n8n-nodes-civic-broadcast-0.1.0.tgz\n`);
		const own = execFileSync('sha256sum', [tarball], { encoding: 'utf8' }).split(' ')[0];
		expect(sha256).toBe(own);
		const check = sha256sumCheck(file);
		expect({ status: check.status, out: check.stdout.trim() }).toEqual({
			status: 0,
			out: 'n8n-nodes-civic-broadcast-0.1.0.tgz: OK',
		});
	});

	it('the written file no longer verifies once the tarball changes', async () => {
		const { file } = await writeChecksumFile(tarball);
		appendFileSync(tarball, 'x');
		expect(sha256sumCheck(file).status).not.toBe(0);
	});

	it('the npm integrity string is the base64 SHA-512 of the tarball', async () => {
		const hex = execFileSync('sha512sum', [tarball], { encoding: 'utf8' }).split(' ')[0];
		expect(await npmIntegrity(tarball)).toBe(
			`sha512-${Buffer.from(hex, 'hex').toString('base64')}`,
		);
	});

	it('refuses what sha256sum would not read back as written', () => {
		expect(() => sha256sumLine('abc', 'x.tgz')).toThrow('Not a SHA-256 hex digest');
		expect(() => sha256sumLine('a'.repeat(64), 'x\ny.tgz')).toThrow('escape');
	});
});
