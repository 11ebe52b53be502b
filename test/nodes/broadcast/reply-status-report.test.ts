import { sealMessageId, sealSender } from '../../../nodes/core/privacy/sealer';
import { findPhoneLeaks } from '../../support/privacy';
import { WebhookReceiver } from '../../support/webhook-receiver';
import { rigPerTest, seedSubscribers, startRig, type Rig } from '../../core/broadcast/support';
import { testKeys as keys } from '../../support/test-key';
import { runNode } from './support';

describe('WhatsApp Broadcast node: Reply', () => {
	let rig: Rig;
	let receiver: WebhookReceiver;
	beforeEach(async () => {
		rig = await startRig();
		// Citizens' messages open the 24-hour window; the simulator posts them somewhere.
		receiver = await new WebhookReceiver(rig.sim.config.appSecret).start();
		rig.sim.configure({ callbackUrl: receiver.url });
	});
	afterEach(async () => {
		await rig?.close();
		await receiver.stop();
	});

	it('replies to a sealed sender and to a pseudonym inside the 24-hour window', async () => {
		const [phone] = await seedSubscribers(rig.store, 1);
		await rig.sim.citizenSends({ from: phone }, { text: 'Start' });
		const sender = sealSender(keys, { phone });
		const pseudonym = (await rig.store.findByIdentity({ phone }))!.pseudonym;
		const result = await runNode(rig, { operation: 'reply' }, [
			{ sender, replyText: 'Willkommen! 👋' },
			{ pseudonym, replyText: 'Zweite Antwort' },
		]);
		expect(result.error).toBeUndefined();
		expect(result.json('Broadcast')).toEqual([
			{ recipient: pseudonym, sent: true, status: 'accepted' },
			{ recipient: pseudonym, sent: true, status: 'accepted' },
		]);
		expect(rig.sim.messagesTo(phone).map((m) => m.text)).toEqual([
			'Willkommen! 👋',
			'Zweite Antwort',
		]);
		expect(findPhoneLeaks(JSON.stringify(result.run.data.resultData), [phone])).toEqual([]);
	});

	it('says clearly that the window has closed (131047) and keeps other items with Continue On Fail', async () => {
		const [silent, active] = await seedSubscribers(rig.store, 2);
		await rig.sim.citizenSends({ from: active }, { text: 'Info' });
		const result = await runNode(
			rig,
			{ operation: 'reply' },
			[
				{ sender: sealSender(keys, { phone: silent }), replyText: 'Hallo' },
				{ sender: sealSender(keys, { phone: active }), replyText: 'Hallo' },
			],
			{ continueOnFail: true },
		);
		const [first, second] = result.json('Broadcast');
		const pseudonym = (await rig.store.findByIdentity({ phone: silent }))!.pseudonym;
		expect(first.error).toBe(
			`The 24-hour window for ${pseudonym} has closed: free text is delivered only within 24 hours after their last message. Send an approved template instead.`,
		);
		expect(second).toMatchObject({ sent: true });
		expect(rig.sim.messagesTo(silent)).toHaveLength(0);
		expect(findPhoneLeaks(JSON.stringify(result.run.data.resultData), [silent, active])).toEqual(
			[],
		);
	});

	it('refuses a plain phone number as recipient', async () => {
		await seedSubscribers(rig.store, 1);
		const result = await runNode(rig, { operation: 'reply', recipient: '+49 151 10000001' }, [
			{ replyText: 'x' },
		]);
		expect(result.error?.message).toMatch(/looks like a phone number/);
		expect(rig.sim.counters().requests).toBe(0);
	});
});

describe('WhatsApp Broadcast node: Record Status and Report', () => {
	const rig = rigPerTest();

	it('applies trigger status items idempotently and out of order; Report counts them', async () => {
		const phones = await seedSubscribers(rig.store, 3);
		const sent = await runNode(
			rig,
			{ operation: 'sendAnnouncement', broadcastKey: 'b-1', options: { rate: 500 } },
			[{ title: 'Titel', link: 'https://gemeinde.example/1' }],
		);
		expect(sent.json('Broadcast')[0]).toMatchObject({ sent: 3 });
		const [a, b, c] = phones.map((phone) => rig.sim.messagesTo(phone)[0].wamid);
		const item = (wamid: string, status: string, extra: object = {}) => ({
			messageId: sealMessageId(keys, wamid),
			status,
			time: '2026-11-24T10:00:00.000Z',
			errors: [],
			...extra,
		});
		const result = await runNode(rig, { operation: 'recordStatus' }, [
			item(a, 'read'),
			item(a, 'delivered'),
			item(a, 'read'),
			item(b, 'sent'),
			item(c, 'failed', { errors: [{ code: 131026, title: 'Message undeliverable' }] }),
			item('wamid.unknown', 'read'),
		]);
		expect(result.error).toBeUndefined();
		expect(result.json('Broadcast').map((j) => j.result)).toEqual([
			'updated',
			'unchanged',
			'unchanged',
			'updated',
			'updated',
			'unknown_message',
		]);
		const report = await runNode(rig, { operation: 'report', reportKey: 'b-1' }, [{}]);
		expect(report.json('Broadcast')[0]).toMatchObject({
			key: 'b-1',
			recipients: 3,
			sent: 2,
			delivered: 1,
			read: 1,
			failed: 1,
			failedByCode: { '131026': 1 },
		});
		const list = await runNode(rig, { operation: 'report' }, [{}]);
		expect(list.json('Broadcast').map((j) => j.key)).toEqual(['b-1']);
		expect(
			findPhoneLeaks(
				JSON.stringify([result.run.data.resultData, report.run.data.resultData]),
				phones,
			),
		).toEqual([]);
	});

	it('rejects an unknown status with a clear error', async () => {
		await seedSubscribers(rig.store, 1);
		const result = await runNode(rig, { operation: 'recordStatus' }, [
			{ messageId: 'wamid.x', status: 'lost' },
		]);
		expect(result.error?.message).toMatch(/status "lost" is not one of/);
	});
});
