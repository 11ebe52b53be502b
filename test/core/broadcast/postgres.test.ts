import { sendBroadcast } from '../../../nodes/core/broadcast';
import { CloudApiClient } from '../../../nodes/core/cloud-api';
import type { Store } from '../../../nodes/core/store';
import { startSimulator, type Simulator } from '../../../simulator';
import { postgresBackend, type Backend } from '../../contract/backends';
import { ANNOUNCEMENT, FAST, countsByPhone, seedSubscribers } from './support';

/** The engine's ledger writes take a different SQL path on PostgreSQL (unnest arrays): run it there too. */
describe('sender engine on PostgreSQL', () => {
	let backend: Backend;
	let store: Store;
	let sim: Simulator;
	let client: CloudApiClient;
	beforeEach(async () => {
		backend = postgresBackend();
		store = await backend.open();
		sim = await startSimulator({ rate: 0 });
		client = new CloudApiClient({
			baseUrl: sim.baseUrl,
			version: 'v24.0',
			phoneNumberId: sim.config.phoneNumberId,
			accessToken: sim.config.accessToken,
		});
	});
	afterEach(async () => {
		client.close();
		await sim.stop();
		await backend.dispose();
	});

	it('sends once to everyone, skips, aborts without claiming, and resumes exactly', async () => {
		const phones = await seedSubscribers(store, 60);
		sim.configure({ faults: { recipientErrors: { [phones[5]]: 131026, [phones[30]]: 131048 } } });
		const first = await sendBroadcast(
			store,
			client,
			{ key: 'pg', message: ANNOUNCEMENT },
			{ ...FAST, maxInFlight: 4 },
		);
		expect(first).toMatchObject({ aborted: true, failedByReason: { undeliverable: 1 } });
		expect(await store.broadcastReport('pg')).toMatchObject({
			recipients: first.sent + 1,
			accepted: first.sent,
			failed: 1,
		});
		sim.configure({ faults: {} });
		const second = await sendBroadcast(store, client, { key: 'pg', message: ANNOUNCEMENT }, FAST);
		expect(first.sent + second.sent).toBe(59);
		const counts = countsByPhone(sim, phones);
		expect(counts.filter((n, i) => i !== 5 && n !== 1)).toEqual([]);
		expect(counts[5]).toBe(0);
	});
});
