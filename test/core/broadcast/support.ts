import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { CloudApiClient } from '../../../nodes/core/cloud-api';
import { derivePrivacyKeys } from '../../../nodes/core/privacy/keys';
import { openStore, type Store } from '../../../nodes/core/store';
import {
	sendBroadcast,
	type BroadcastSummary,
	type SendOptions,
	type TemplateSpec,
} from '../../../nodes/core/broadcast';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../simulator';

export const DATA_KEY = 'broadcast-test-data-protection-key';

/** Digits of the n-th test subscriber (German mobile range, distinct per n). */
export function phoneOf(n: number): string {
	return `49151${String(10_000_000 + n)}`;
}

export async function seedSubscribers(store: Store, count: number, from = 1): Promise<string[]> {
	const phones: string[] = [];
	for (let n = from; n < from + count; n++) {
		const phone = phoneOf(n);
		await store.subscribe({
			identity: { phone },
			language: 'de',
			source: 'import',
			textVersion: 'v1',
		});
		phones.push(phone);
	}
	return phones;
}

export interface Rig {
	store: Store;
	sim: Simulator;
	client: CloudApiClient;
	dbPath: string;
	close(): Promise<void>;
}

/**
 * The client's default timeout in tests: longer than any test may run. A client timeout that
 * fires on a request the simulator accepted (the process was too busy to read the answer in time)
 * makes the engine send again; tests that want timeouts use held requests instead.
 */
export const GENEROUS_TIMEOUT_MS = 120_000;

/** A real SQLite store on a temp file, a real simulator, a real client: nothing mocked. */
export async function startRig(
	simOptions: SimulatorOptions = {},
	clientTimeoutMs = GENEROUS_TIMEOUT_MS,
): Promise<Rig> {
	const dir = mkdtempSync(path.join(tmpdir(), 'broadcast-'));
	const dbPath = path.join(dir, 'store.sqlite');
	const store = await openStore({
		backend: 'sqlite',
		path: dbPath,
		keys: derivePrivacyKeys(DATA_KEY),
	});
	const sim = await startSimulator({ rate: 0, ...simOptions });
	const client = new CloudApiClient({
		baseUrl: sim.baseUrl,
		version: 'v24.0',
		phoneNumberId: sim.config.phoneNumberId,
		accessToken: sim.config.accessToken,
		timeoutMs: clientTimeoutMs,
	});
	return {
		store,
		sim,
		client,
		dbPath,
		close: async () => {
			client.close();
			await sim.stop();
			await store.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

export const ANNOUNCEMENT: TemplateSpec = {
	mode: 'template',
	name: 'civic_announcement',
	language: 'subscriber',
	parameterFormat: 'named',
	body: [
		{ name: 'title', value: 'Wasserleitung: Sperre am Montag 🚰' },
		{ name: 'link', value: 'https://gemeinde.example/news/42' },
	],
	stopButton: { index: 0, payload: 'STOP' },
};

/** Backoff short enough for tests; the logic is the same. */
export const FAST = { backoff: { baseMs: 2, maxMs: 20 }, rate: 0 } as const;

/** Sends ANNOUNCEMENT as broadcast `key` through the rig's own store and client. */
export function sendAnnouncement(
	rig: Rig,
	key: string,
	options: SendOptions = FAST,
): Promise<BroadcastSummary> {
	return sendBroadcast(rig.store, rig.client, { key, message: ANNOUNCEMENT }, options);
}

/** Messages the simulator accepted per phone. */
export function countsByPhone(sim: Simulator, phones: string[]): number[] {
	return phones.map((phone) => sim.messagesTo(phone).length);
}
