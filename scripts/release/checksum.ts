/**
 * Checksums for a release tarball: a `.sha256` file in `sha256sum` format (so
 * `sha256sum -c n8n-nodes-civic-broadcast-0.1.0.tgz.sha256` verifies the download), and the
 * tarball's npm integrity string (`sha512-…`), which N8N_COMMUNITY_PACKAGES takes as `checksum`.
 */
import { createHash } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

async function digest(path: string, algorithm: 'sha256' | 'sha512'): Promise<Buffer> {
	const hash = createHash(algorithm);
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest();
}

/** One line as `sha256sum` prints it: hex digest, two spaces (text mode), the file's name. */
export function sha256sumLine(hexDigest: string, fileName: string): string {
	if (!/^[0-9a-f]{64}$/.test(hexDigest)) throw new Error(`Not a SHA-256 hex digest: ${hexDigest}`);
	if (/[\\\n]/.test(fileName))
		throw new Error(`sha256sum would escape this file name: ${fileName}`);
	return `${hexDigest}  ${fileName}\n`;
}

/** Writes `<tarball>.sha256` next to the tarball, naming it without its folder. */
export async function writeChecksumFile(
	tarball: string,
): Promise<{ file: string; sha256: string }> {
	const sha256 = (await digest(tarball, 'sha256')).toString('hex');
	const file = `${tarball}.sha256`;
	writeFileSync(file, sha256sumLine(sha256, basename(tarball)));
	return { file, sha256 };
}

/** The Subresource Integrity string npm records for a tarball (`npm pack --json` → `integrity`). */
export async function npmIntegrity(tarball: string): Promise<string> {
	return `sha512-${(await digest(tarball, 'sha512')).toString('base64')}`;
}
