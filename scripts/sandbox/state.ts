/** Where a running sandbox tells `npm run citizen` how to reach it. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { cacheRoot } from '../n8n/install';

/** CIVIC_SANDBOX_DIR lets a second sandbox (or the sandbox test) keep out of the first one's way. */
export const SANDBOX_DIR = process.env.CIVIC_SANDBOX_DIR || join(cacheRoot(), 'sandbox');
export const SANDBOX_STATE = join(SANDBOX_DIR, 'state.json');

export interface SandboxState {
	n8nUrl: string;
	simulatorUrl: string;
	newsFeedUrl: string;
	cmsUrl: string;
	cmsHeader: { name: string; value: string };
	/** The owner's n8n session, for reading executions (this machine only; the file is 0600). */
	n8nCookie: string;
	subscriptionsWorkflowId: string;
}

export function readSandboxState(): SandboxState {
	if (!existsSync(SANDBOX_STATE)) {
		throw new Error('No sandbox is running: start one with `npm run sandbox` in another terminal');
	}
	return JSON.parse(readFileSync(SANDBOX_STATE, 'utf8')) as SandboxState;
}
