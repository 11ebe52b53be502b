import {
	BroadcastBusyError,
	sendBroadcast,
	type BroadcastSummary,
	type Channel,
	type SendOptions,
} from '../../../nodes/core/broadcast';
import { CloudApiClient, WhatsAppChannel } from '../../../nodes/core/channels/whatsapp';
import { openStore, type Store } from '../../../nodes/core/store';
import { StoreUnavailableError } from '../../../nodes/core/store/store-errors';
import { startSimulator, type Simulator } from '../../../simulator';
import { findPhoneLeaks } from '../../support/privacy';
import { startTcpRelay, type TcpRelay } from '../../support/tcp-relay';
import { testKeys } from '../../support/test-key';
import { PG, tempPostgres, withPgClient, type TempPostgres } from '../../support/temp-store';
import { ANNOUNCEMENT, FAST, GENEROUS_TIMEOUT_MS, seedSubscribers } from './support';

/**
 * The consent store (PostgreSQL, reached through a relay the test can cut) goes down in the middle
 * of a broadcast, then comes back; the same key is run again. What the existing sender does today.
 */
const PEOPLE = 8;
/**
 * One send at a time, so "the third send" is a precise moment. A short lease: the run that lost
 * its store cannot release its lease (see the first test), so a rerun waits for it to run out.
 */
const ONE_AT_A_TIME: SendOptions = { ...FAST, maxInFlight: 1, leaseMs: 300 };

interface Setup {
	db: TempPostgres;
	relay: TcpRelay;
	store: Store;
	sim: Simulator;
	client: CloudApiClient;
	channel: WhatsAppChannel;
	phones: string[];
}

let setup: Setup;
beforeEach(async () => {
	const db = tempPostgres();
	const relay = await startTcpRelay({ host: PG.host, port: PG.port });
	const store = await openStore({
		backend: 'postgres',
		...PG,
		host: '127.0.0.1',
		port: relay.port,
		schema: db.schema,
		keys: testKeys,
	});
	const sim = await startSimulator({ rate: 0 });
	const client = new CloudApiClient({
		baseUrl: sim.baseUrl,
		version: 'v24.0',
		phoneNumberId: sim.config.phoneNumberId,
		accessToken: sim.config.accessToken,
		timeoutMs: GENEROUS_TIMEOUT_MS,
	});
	const phones = await seedSubscribers(store, PEOPLE);
	setup = { db, relay, store, sim, client, channel: new WhatsAppChannel(client), phones };
});
afterEach(async () => {
	await setup.store.close().catch(() => undefined);
	await setup.relay.close();
	setup.client.close();
	await setup.sim.stop();
	await setup.db.dispose();
});

const send = (store: Store, channel: Channel<unknown>, options: SendOptions = ONE_AT_A_TIME) =>
	sendBroadcast(store, channel, { key: 'water-main', message: ANNOUNCEMENT }, options);

/** Delivery rows by state, read past the store. */
async function ledgerStates(schema: string): Promise<Record<string, number>> {
	return withPgClient(async (client) => {
		const { rows } = await client.query(
			`SELECT state, COUNT(*)::int AS n FROM ${schema}.deliveries GROUP BY state ORDER BY state`,
		);
		return Object.fromEntries(rows.map((row: { state: string; n: number }) => [row.state, row.n]));
	});
}

/** The real channel; after the n-th send the simulator accepted, the store goes down. */
function cutAfterAccepted(n: number): Channel<unknown> {
	let accepted = 0;
	const channel = setup.channel as Channel<unknown>;
	return {
		prepare: (spec, reference) => channel.prepare(spec, reference),
		send: async (message) => {
			const outcome = await channel.send(message);
			if (outcome.kind === 'accepted' && ++accepted === n) await setup.relay.cut();
			return outcome;
		},
	};
}

/** The real store; it goes down just before the n-th intent write (no send in flight then). */
function cutBeforeIntent(n: number): Store {
	let calls = 0;
	return new Proxy(setup.store, {
		get(target, name, receiver) {
			if (name !== 'markSending') return Reflect.get(target, name, receiver);
			return async (...args: Parameters<Store['markSending']>) => {
				if (++calls === n) await setup.relay.cut();
				return target.markSending(...args);
			};
		},
	});
}

/** Runs the key again once the lease the failed run could not release has run out. */
async function rerun(options: SendOptions = ONE_AT_A_TIME): Promise<BroadcastSummary> {
	for (;;) {
		try {
			return await send(setup.store, setup.channel, options);
		} catch (error) {
			if (!(error instanceof BroadcastBusyError)) throw error;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	}
}

async function failure(run: Promise<unknown>): Promise<StoreUnavailableError> {
	const error = await run.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(StoreUnavailableError);
	const unavailable = error as StoreUnavailableError;
	expect(['connection-lost', 'refused']).toContain(unavailable.kind);
	expect(unavailable.transient).toBe(true);
	expect(unavailable.message).toMatch(/PostgreSQL at 127\.0\.0\.1:\d+\/\w+/);
	expect(findPhoneLeaks(unavailable.message, setup.phones)).toEqual([]);
	return unavailable;
}

describe('the sender when the consent store goes down mid-broadcast (today)', () => {
	it('today: the failed run cannot release its lease, so a rerun right after the store is back is refused as if another execution were sending', async () => {
		const defaultLease: SendOptions = { ...FAST, maxInFlight: 1 };
		await failure(send(cutBeforeIntent(3), setup.channel, defaultLease));
		await setup.relay.restore();
		const busy = await send(setup.store, setup.channel, defaultLease).then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(busy).toBeInstanceOf(BroadcastBusyError);
		expect((busy as Error).message).toMatch(/is being sent by another execution right now/);
	});

	it('between sends: the run stops naming the cause; after the store is back a rerun reaches everyone exactly once', async () => {
		const error = await failure(send(cutBeforeIntent(3), setup.channel));
		expect(error.message).toMatch(/refuses connections|was lost/);
		await setup.relay.restore();
		// Two were sent and recorded before the store went; nothing is half-written.
		expect(await ledgerStates(setup.db.schema)).toEqual({ accepted: 2 });
		expect(setup.phones.map((phone) => setup.sim.messagesTo(phone).length)).toEqual([
			1, 1, 0, 0, 0, 0, 0, 0,
		]);
		const again = await rerun();
		expect(again).toMatchObject({ resumed: true, skippedAlreadySent: 2, sent: PEOPLE - 2 });
		expect(setup.phones.map((phone) => setup.sim.messagesTo(phone).length)).toEqual(
			Array(PEOPLE).fill(1),
		);
		expect(await ledgerStates(setup.db.schema)).toEqual({ accepted: PEOPLE });
	});

	it('while a send is in flight, at-least-once (the default): the person whose answer could not be recorded gets the message twice on the rerun', async () => {
		await failure(send(setup.store, cutAfterAccepted(3)));
		await setup.relay.restore();
		// The third send reached the simulator, but its answer never reached the ledger.
		expect(await ledgerStates(setup.db.schema)).toEqual({ accepted: 2, sending: 1 });
		const again = await rerun();
		expect(again).toMatchObject({ resumed: true, skippedAlreadySent: 2, sent: PEOPLE - 2 });
		expect(setup.phones.map((phone) => setup.sim.messagesTo(phone).length)).toEqual([
			1, 1, 2, 1, 1, 1, 1, 1,
		]);
	});

	it('while a send is in flight, at-most-once: nobody twice; the unrecorded one is counted unknown, not resent', async () => {
		const atMostOnce: SendOptions = { ...ONE_AT_A_TIME, policy: 'at-most-once' };
		await failure(send(setup.store, cutAfterAccepted(3), atMostOnce));
		await setup.relay.restore();
		expect(await ledgerStates(setup.db.schema)).toEqual({ accepted: 2, sending: 1 });
		const again = await rerun(atMostOnce);
		expect(again).toMatchObject({ resumed: true, recovered: 1, sent: PEOPLE - 3 });
		expect(setup.phones.map((phone) => setup.sim.messagesTo(phone).length)).toEqual(
			Array(PEOPLE).fill(1),
		);
		expect(await ledgerStates(setup.db.schema)).toEqual({ accepted: PEOPLE - 1, unknown: 1 });
	});
});
