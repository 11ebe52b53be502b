import { tempPostgres } from '../../support/temp-store';
import { FAST, startRig, type Rig } from './support';

/** The engine's ledger writes take a different SQL path on PostgreSQL (unnest arrays): run it there too. */
describe('sender engine on PostgreSQL', () => {
	let rig: Rig;
	beforeEach(async () => (rig = await startRig({ db: tempPostgres(), subscribers: 60 })));
	afterEach(async () => rig?.close());

	it('sends once to everyone, skips, aborts without claiming, and resumes exactly', async () => {
		const phones = rig.phones;
		rig.sim.configure({
			faults: { recipientErrors: { [phones[5]]: 131026, [phones[30]]: 131048 } },
		});
		const first = await rig.send('pg', { ...FAST, maxInFlight: 4 });
		expect(first).toMatchObject({ aborted: true, failedByReason: { undeliverable: 1 } });
		expect(await rig.store.broadcastReport('pg')).toMatchObject({
			recipients: first.sent + 1,
			accepted: first.sent,
			failed: 1,
		});
		rig.sim.configure({ faults: {} });
		const second = await rig.send('pg');
		expect(first.sent + second.sent).toBe(59);
		const counts = rig.counts();
		expect(counts.filter((n, i) => i !== 5 && n !== 1)).toEqual([]);
		expect(counts[5]).toBe(0);
	});
});
