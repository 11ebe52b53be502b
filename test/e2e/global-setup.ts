/**
 * Installs the pinned n8n once per machine before any end-to-end test runs (the first run
 * takes a few minutes and prints its progress; later runs find the cache and go on at once).
 * `npm run test:e2e` builds the package before jest starts.
 */
import { ensureN8n } from '../../scripts/n8n/install';

export default async function globalSetup(): Promise<void> {
	await ensureN8n((line) => process.stdout.write(`[n8n-install] ${line}\n`));
}
