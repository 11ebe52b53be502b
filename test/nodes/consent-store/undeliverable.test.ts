import { findPhoneLeaks } from '../../support/privacy';
import { rigPerTest } from '../../core/broadcast/support';
import { NODE, runConsentStore } from './support';

/**
 * Repeatedly undeliverable numbers (issue 12, point 5), driven by the simulator: three broadcasts
 * through the real engine, where Meta answers 131026 for one subscriber each time, then Statistics
 * and Remove Undeliverable in n8n's real engine.
 */
describe('Consent Store: undeliverable subscribers (simulator, WorkflowExecute)', () => {
	const rig = rigPerTest({ subscribers: 6 });

	const statistics = async () => {
		const run = await runConsentStore(
			{ operation: 'statistics', days: 7, undeliverableAfter: 3 },
			[{ json: {} }],
			rig.db.credential,
		);
		expect(run.error).toBeUndefined();
		return run.json(NODE, 0)[0];
	};
	const remove = async () => {
		const run = await runConsentStore(
			{ operation: 'removeUndeliverable', undeliverableAfter: 3 },
			[{ json: {} }],
			rig.db.credential,
		);
		expect(run.error).toBeUndefined();
		return run;
	};

	it('flags a subscriber after 3 broadcasts in a row answered 131026, shows the count, removes them with an audit entry', async () => {
		const [, gone, flaky] = rig.phones;
		rig.sim.configure({ faults: { recipientErrors: { [gone]: 131026, [flaky]: 131026 } } });
		await rig.send('b1');
		await rig.send('b2');
		// The flaky one is accepted in the third broadcast: not three in a row.
		rig.sim.configure({ faults: { recipientErrors: { [gone]: 131026 } } });
		expect((await statistics()).undeliverable).toBe(0);
		expect((await remove()).json(NODE, 0)[0]).toMatchObject({ removed: 0, pseudonyms: [] });
		await rig.send('b3');
		rig.sim.configure({ faults: {} });

		expect(await statistics()).toMatchObject({ subscribers: 6, undeliverable: 1 });
		const run = await remove();
		const [result] = run.json(NODE, 0);
		expect(result).toEqual({ removed: 1, pseudonyms: ['Gast_0002'], undeliverableAfter: 3 });
		expect(await statistics()).toMatchObject({ subscribers: 5, undeliverable: 0, leaves: 0 });
		expect(await rig.store.findByIdentity({ phone: gone })).toBeUndefined();
		expect(await rig.store.findByIdentity({ phone: flaky })).toBeDefined();
		const raw = await rig.db.rawContents();
		expect(raw).toContain('removed_undeliverable');
		expect(findPhoneLeaks(raw, [gone])).toEqual([]);
		expect(findPhoneLeaks(JSON.stringify(run.run.data.resultData.runData), rig.phones)).toEqual([]);

		// The next broadcast no longer tries the removed number.
		expect(await rig.send('b4')).toMatchObject({ sent: 5, failed: 0 });
		expect(await rig.store.broadcastReport('b4')).toMatchObject({ recipients: 5 });
	});
});
