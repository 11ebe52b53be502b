import { publishBroadcast, SenderLoop, type NumberSettings } from '../../../nodes/core/broadcast';
import { openStore, type Store } from '../../../nodes/core/store';
import { StoreUnavailableError } from '../../../nodes/core/store/store-errors';
import { startTcpRelay, type TcpRelay } from '../../support/tcp-relay';
import { PG, withPgClient } from '../../support/temp-store';
import { testKeys } from '../../support/test-key';
import { ANNOUNCEMENT, seedSubscribers, startRig, type Rig } from './support';

const SENDER = '100000000000001';
const IN_FLIGHT = 8;
/** Short, so the test need not wait long for the dead loop's lease to run out. */
const LEASE_MS = 1500;

describe('PostgreSQL goes away in the middle of a broadcast', () => {
	const schema = `test_outage_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	let relay: TcpRelay;
	let store: Store;
	let rig: Rig;

	beforeAll(async () => {
		relay = await startTcpRelay({ host: PG.host, port: PG.port });
		store = await openStore({
			backend: 'postgres',
			...PG,
			host: '127.0.0.1',
			port: relay.port,
			schema,
			keys: testKeys,
		});
		// The simulator answers after 5 ms, so the broadcast is still sending when the store goes.
		rig = await startRig({ sim: { faults: { latencyMs: 5 } } });
		await seedSubscribers(store, 300);
	});
	afterAll(async () => {
		await rig?.close();
		await store?.close();
		await relay?.close();
		await withPgClient((client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
	});

	it('the sender stops with the cause, the broadcast stays queued, and a resume completes it once the store is back', async () => {
		const number: NumberSettings = {
			sender: SENDER,
			rate: 0,
			replyShare: 0,
			maxInFlight: IN_FLIGHT,
		};
		const options = { backoff: { baseMs: 2, maxMs: 20 }, senderLeaseMs: LEASE_MS, pageSize: 50 };
		const posting = publishBroadcast(
			new SenderLoop(store, rig.channel, number, options),
			{ key: 'outage', message: ANNOUNCEMENT },
			{ wait: true },
		);
		while (rig.sim.accepted().length < 100) await new Promise((r) => setTimeout(r, 2));
		await relay.cut();
		const error = await posting.then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(StoreUnavailableError);
		expect((error as Error).message).toMatch(
			/PostgreSQL at 127\.0\.0\.1:\d+.*Broadcast "outage" stays queued: the Resume Broadcasts workflow continues it/s,
		);
		const sentBeforeOutage = rig.sim.accepted().length;
		expect(sentBeforeOutage).toBeLessThan(300);

		await relay.restore();
		expect((await store.broadcastReport('outage'))?.state).toBe('queued');
		// The resume workflow's loop: busy while the dead loop's lease lasts, then it takes over.
		const resume = new SenderLoop(store, rig.channel, number, options);
		let result = await resume.drain();
		while (result.status === 'busy') {
			await new Promise((r) => setTimeout(r, 200));
			result = await resume.drain();
		}
		expect(result.status).toBe('drained');
		expect(result.runs.map((run) => run.key)).toEqual(['outage']);

		const phones = Array.from({ length: 300 }, (_, i) => `49151${String(10_000_001 + i)}`);
		const counts = rig.counts(phones);
		expect(counts.filter((n) => n === 0)).toHaveLength(0);
		// At-least-once: only the sends in flight when the store went may have gone twice.
		const duplicates = counts.reduce((sum, n) => sum + (n - 1), 0);
		expect(duplicates).toBeLessThanOrEqual(IN_FLIGHT);
		expect(await store.broadcastReport('outage')).toMatchObject({
			state: 'done',
			resumptions: 1,
			recipients: 300,
		});
	});
});
