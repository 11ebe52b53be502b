import { rigPerTest, seedSubscribers } from '../../core/broadcast/support';
import { FEED_ITEM as feedItem, runNode } from './support';

/** Dry Run inside n8n's engine: the text a citizen would read, from the simulator's templates. */
describe('WhatsApp Broadcast node: Dry Run shows the rendered message', () => {
	const rig = rigPerTest();

	const dryRun = { operation: 'sendAnnouncement', options: { dryRun: true } };

	async function nothingSentOrWritten(): Promise<void> {
		expect(rig.sim.counters().requests).toBe(0);
		expect(await rig.store.broadcastReport('guid:news-7')).toBeUndefined();
	}

	it('fills the approved template in the first subscriber’s language, buttons included', async () => {
		await seedSubscribers(rig.store, 3);
		const result = await runNode(rig, dryRun, [feedItem]);
		expect(result.error).toBeUndefined();
		const [preview] = result.json('Broadcast');
		expect(preview.renderedText).toBe(
			'Neuigkeiten aus Ihrer Gemeinde: Straßensperre & Umleitung ab Montag. Mehr unter https://gemeinde.example/news/7. Antworten Sie STOP, um sich abzumelden.\n[Stop]',
		);
		expect(preview).not.toHaveProperty('renderedTextNote');
		expect(preview).toMatchObject({ dryRun: true, wouldSend: 3 });
		await nothingSentOrWritten();
	});

	it('a Slovenian first subscriber sees the Slovenian version', async () => {
		await rig.store.subscribe({
			identity: { phone: '38640123456' },
			language: 'sl',
			source: 'import',
			textVersion: 'v1',
		});
		const [preview] = (await runNode(rig, dryRun, [feedItem])).json('Broadcast');
		expect(preview.renderedText).toBe(
			'Novice iz vaše občine: Straßensperre & Umleitung ab Montag. Več na https://gemeinde.example/news/7. Za odjavo odgovorite STOP.\n[Stop]',
		);
	});

	it('a positional template with a header parameter renders header and body', async () => {
		await seedSubscribers(rig.store, 1);
		const [preview] = (
			await runNode(
				rig,
				{
					...dryRun,
					templateName: 'civic_announcement_positional',
					parameterFormat: 'positional',
					headerParameter: 'Verkehr',
					stopButton: false,
				},
				[feedItem],
			)
		).json('Broadcast');
		expect(preview.renderedText).toBe(
			'Verkehr\nStraßensperre & Umleitung ab Montag – https://gemeinde.example/news/7',
		);
	});

	it('a text message shows its text as sent', async () => {
		await seedSubscribers(rig.store, 1);
		const [preview] = (
			await runNode(rig, { ...dryRun, messageType: 'text', text: '=Heute neu: {{ $json.link }}' }, [
				feedItem,
			])
		).json('Broadcast');
		expect(preview.renderedText).toBe('Heute neu: https://gemeinde.example/news/7');
		await nothingSentOrWritten();
	});

	it('without a WhatsApp Business Account ID it says what to enter instead of guessing the text', async () => {
		await seedSubscribers(rig.store, 1);
		const result = await runNode(rig, dryRun, [feedItem], { api: { wabaId: '' } });
		expect(result.error).toBeUndefined();
		const [preview] = result.json('Broadcast');
		expect(preview).not.toHaveProperty('renderedText');
		expect(preview.renderedTextNote).toMatch(
			/Enter the WhatsApp Business Account ID .* template "civic_announcement"/,
		);
		expect(preview).toMatchObject({ dryRun: true, wouldSend: 1 });
	});

	it('a template Meta does not have in that language is reported as what a real run would hit', async () => {
		await seedSubscribers(rig.store, 1);
		const [preview] = (
			await runNode(
				rig,
				{ ...dryRun, templateName: 'civic_announcement', templateLanguage: 'fr' },
				[feedItem],
			)
		).json('Broadcast');
		expect(preview).not.toHaveProperty('renderedText');
		expect(preview.renderedTextNote).toBe(
			'Template "civic_announcement" has no "fr" version in the WhatsApp Business Account: a real run would stop with Meta\'s error 132001',
		);
	});

	it('a refused template lookup (wrong token) leaves the counts and says why', async () => {
		await seedSubscribers(rig.store, 2);
		const result = await runNode(rig, dryRun, [feedItem], { api: { accessToken: 'wrong' } });
		expect(result.error).toBeUndefined();
		const [preview] = result.json('Broadcast');
		expect(preview).toMatchObject({ wouldSend: 2 });
		expect(preview.renderedTextNote).toMatch(
			/could not be read from Meta \(Meta error 190: .*Invalid OAuth access token.*\)$/,
		);
	});
});
