import {
	CloudApiClient,
	WhatsAppChannel,
	type CloudApiConfig,
} from '../../../nodes/core/channels/whatsapp';
import type { Store } from '../../../nodes/core/store';
import {
	sendBroadcast,
	type BroadcastSummary,
	type SendOptions,
	type TemplateSpec,
} from '../../../nodes/core/broadcast';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../simulator';
import { announcementTemplate } from '../../support/announcement';
import { tempSqlite, type TempStore } from '../../support/temp-store';

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

/** Messages the simulator accepted per phone. */
export function countsByPhone(sim: Simulator, phones: string[]): number[] {
	return phones.map((phone) => sim.messagesTo(phone).length);
}

/**
 * The client's default timeout in tests: longer than any test may run. A client timeout that
 * fires on a request the simulator accepted (the process was too busy to read the answer in time)
 * makes the engine send again; tests that want timeouts use held requests instead.
 */
export const GENEROUS_TIMEOUT_MS = 120_000;

export const ANNOUNCEMENT: TemplateSpec = announcementTemplate(
	'Wasserleitung: Sperre am Montag 🚰',
	'https://gemeinde.example/news/42',
);

/** Backoff short enough for tests; the logic is the same. */
export const FAST = { backoff: { baseMs: 2, maxMs: 20 }, rate: 0 } as const;

export interface RigOptions {
	/** The simulator's settings; its rate limit is off unless given. */
	sim?: SimulatorOptions;
	/** How many subscribers to seed (numbers from `phoneOf(1)` on). */
	subscribers?: number;
	/** The database; a temporary SQLite file unless given. */
	db?: TempStore;
}

/** A real store, a real simulator, a real client: nothing mocked. */
export interface Rig {
	store: Store;
	db: TempStore;
	sim: Simulator;
	client: CloudApiClient;
	/** The WhatsApp channel over `client`: what the engine sends through. */
	channel: WhatsAppChannel;
	/** The seeded subscribers' numbers. */
	phones: string[];
	/** Messages the simulator accepted per phone, for the seeded subscribers unless others are given. */
	counts(phones?: string[]): number[];
	/** Sends ANNOUNCEMENT as broadcast `key` through the rig's store and client. */
	send(key: string, options?: SendOptions): Promise<BroadcastSummary>;
	/** Another client to the rig's simulator (another token, a short timeout); the caller closes it. */
	clientWith(options: Partial<CloudApiConfig>): CloudApiClient;
	close(): Promise<void>;
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
	const db = options.db ?? tempSqlite();
	const store = await db.open();
	const sim = await startSimulator({ rate: 0, ...options.sim });
	const clientWith = (overrides: Partial<CloudApiConfig>) =>
		new CloudApiClient({
			baseUrl: sim.baseUrl,
			version: 'v24.0',
			phoneNumberId: sim.config.phoneNumberId,
			accessToken: sim.config.accessToken,
			timeoutMs: GENEROUS_TIMEOUT_MS,
			...overrides,
		});
	const client = clientWith({});
	const channel = new WhatsAppChannel(client);
	const phones = await seedSubscribers(store, options.subscribers ?? 0);
	return {
		store,
		db,
		sim,
		client,
		channel,
		phones,
		counts: (of = phones) => countsByPhone(sim, of),
		send: (key, sendOptions = FAST) =>
			sendBroadcast(store, channel, { key, message: ANNOUNCEMENT }, sendOptions),
		clientWith,
		close: async () => {
			client.close();
			await sim.stop();
			await db.dispose();
		},
	};
}

/**
 * A fresh rig for every test of the surrounding `describe`, closed after it. The object stands
 * for the current test's rig, so tests use it as they would the rig itself.
 */
export function rigPerTest(options: RigOptions = {}): Rig {
	let current: Rig | undefined;
	beforeEach(async () => (current = await startRig(options)));
	afterEach(async () => {
		await current?.close();
		current = undefined;
	});
	// Each property is read from the rig of the test that runs now.
	return new Proxy({} as Rig, {
		get(_, name) {
			if (!current) throw new Error('The rig exists only while a test runs');
			return Reflect.get(current, name);
		},
	});
}
