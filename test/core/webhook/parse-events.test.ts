import { parseEvents, type MessageEvent, type StatusEvent } from '../../../nodes/core/webhook';
import {
	CITIZEN,
	envelope,
	everyMessageType,
	everyStatus,
	messagesChange,
	NOW_SECONDS,
	OTHER_CITIZEN,
	PHONE_NUMBER_ID,
	preferenceChange,
	USER_ID,
	wamidFor,
} from './fixtures';

const messagesOf = (body: unknown) =>
	parseEvents(body).events.filter((e): e is MessageEvent => e.kind === 'message');

describe('parseEvents: messages', () => {
	const parsed = messagesOf(envelope([messagesChange({ messages: everyMessageType() })]));
	const byType = (type: string) => parsed.filter((e) => e.rawType === type);

	it('turns every message of the reference into one event, in order', () => {
		expect(parsed.map((e) => e.rawType)).toEqual(everyMessageType().map((m) => m.type));
		for (const event of parsed) {
			expect(event).toMatchObject({
				kind: 'message',
				from: CITIZEN,
				phoneNumberId: PHONE_NUMBER_ID,
			});
			expect(event.messageId).toMatch(/^wamid\./);
			expect(event.profileName).toBe('Erika Muster');
		}
		expect(parsed[0].timestamp).toBe(NOW_SECONDS + 1);
	});

	it('reads text, button and interactive replies into text and payload', () => {
		expect(byType('text')[0]).toMatchObject({ type: 'text', text: 'Start 🚀 Grüße' });
		expect(byType('button')[0]).toMatchObject({
			text: 'Abmelden',
			payload: 'STOP',
			contextId: wamidFor(CITIZEN, 900),
		});
		const [button, list] = byType('interactive');
		expect(button).toMatchObject({ text: 'Anmelden', payload: 'join' });
		expect(list).toMatchObject({ text: 'Slovenščina', payload: 'lang-sl' });
	});

	it('keeps media IDs, reactions and locations, and no third-party or changed numbers', () => {
		expect(byType('image')[0].media).toEqual({
			id: 'media-image',
			mimeType: 'image/x-test',
			caption: 'Schlagloch',
		});
		for (const type of ['audio', 'video', 'document', 'sticker']) {
			expect(byType(type)[0].media).toEqual({ id: `media-${type}`, mimeType: `${type}/x-test` });
		}
		const [reaction, removed] = byType('reaction');
		expect(reaction.reaction).toEqual({ messageId: wamidFor(CITIZEN, 901), emoji: '👍' });
		expect(removed.reaction).toEqual({ messageId: wamidFor(CITIZEN, 902) });
		expect(byType('location')[0].location).toEqual({
			latitude: 46.62,
			longitude: 14.3,
			name: 'Rathaus',
			address: 'Hauptplatz 1',
		});
		expect(byType('unsupported')[0].errors).toEqual([
			{ code: 131051, title: 'Message type unknown' },
		]);
		expect(byType('system')[0].systemType).toBe('user_changed_number');
		expect(JSON.stringify(parsed)).not.toContain(OTHER_CITIZEN);
	});

	it('names an unknown type `unknown` and keeps only a safe form of its raw name', () => {
		const odd = (type: string) =>
			messagesOf(
				envelope([
					messagesChange({
						messages: [{ from: CITIZEN, id: 'wamid.X', timestamp: '1', type } as never],
					}),
				]),
			)[0];
		expect(odd('order')).toMatchObject({ type: 'order', rawType: 'order' });
		expect(odd('hologram')).toMatchObject({ type: 'unknown', rawType: 'hologram' });
		expect(odd(`+${CITIZEN}`)).toMatchObject({ type: 'unknown', rawType: 'unknown' });
	});

	it('takes the user ID from the message or the contact; a username-only user has no number', () => {
		const [withBoth, usernameOnly] = messagesOf(
			envelope([
				messagesChange({
					contacts: [{ wa_id: CITIZEN, user_id: USER_ID }],
					messages: [
						{ from: CITIZEN, id: 'wamid.A', timestamp: '1', type: 'text', text: { body: 'Hi' } },
					],
				}),
				messagesChange({
					contacts: [{ user_id: 'AT.42' }],
					messages: [
						{
							from_user_id: 'AT.42',
							id: 'wamid.B',
							timestamp: '2',
							type: 'text',
							text: { body: 'Hi' },
						},
					],
				}),
			]),
		);
		expect(withBoth).toMatchObject({ from: CITIZEN, userId: USER_ID });
		expect(usernameOnly.from).toBeUndefined();
		expect(usernameOnly.userId).toBe('AT.42');
	});
});

describe('parseEvents: statuses and preferences', () => {
	it('turns every status of the reference into one event', () => {
		const events = parseEvents(envelope([messagesChange({ statuses: everyStatus() })]))
			.events as StatusEvent[];
		expect(events.map((e) => e.status)).toEqual(['sent', 'delivered', 'read', 'failed', 'played']);
		expect(events[0]).toMatchObject({
			kind: 'status',
			recipient: CITIZEN,
			pricingCategory: 'marketing',
			bizOpaqueCallbackData: 'broadcast:42',
			errors: [],
		});
		expect(events[3].errors).toEqual([{ code: 131050, title: 'User stopped marketing messages' }]);
	});

	it('reads marketing stop and resume from user_preferences updates', () => {
		const { events } = parseEvents(
			envelope([preferenceChange('stop')], [preferenceChange('resume', { user_id: USER_ID })]),
		);
		expect(events).toEqual([
			expect.objectContaining({
				kind: 'preference',
				from: CITIZEN,
				value: 'stop',
				category: 'marketing_messages',
			}),
			expect.objectContaining({ kind: 'preference', userId: USER_ID, value: 'resume' }),
		]);
	});
});

describe('parseEvents: batches and junk', () => {
	it('reads every entry and every change, not just the first', () => {
		const text = (serial: number) => ({
			from: CITIZEN,
			id: wamidFor(CITIZEN, serial),
			timestamp: '1',
			type: 'text' as const,
			text: { body: `m${serial}` },
		});
		const body = envelope(
			[
				messagesChange({ messages: [text(1), text(2)] }),
				messagesChange({ statuses: everyStatus() }),
			],
			[preferenceChange('stop'), messagesChange({ messages: [text(3)] })],
		);
		const { events } = parseEvents(body);
		expect(events.map((e) => e.kind)).toEqual([
			'message',
			'message',
			'status',
			'status',
			'status',
			'status',
			'status',
			'preference',
			'message',
		]);
	});

	it.each([
		['null', null, 'not_json_object'],
		['an array', [], 'not_json_object'],
		['a string', 'hello', 'not_json_object'],
		['another object', { object: 'page', entry: [] }, 'wrong_object'],
		['no entry array', { object: 'whatsapp_business_account', entry: {} }, 'malformed_entry'],
	])('skips %s', (_label, body, reason) => {
		expect(parseEvents(body)).toEqual({ events: [], skipped: { [reason]: 1 } });
	});

	it('counts unknown change fields and malformed parts, and keeps the good ones', () => {
		const good = {
			from: CITIZEN,
			id: 'wamid.OK',
			timestamp: '5',
			type: 'text',
			text: { body: 'ok' },
		};
		const body = {
			object: 'whatsapp_business_account',
			entry: [
				{ id: '1', changes: [{ field: 'account_update', value: {} }, { field: 'messages' }, 7] },
				{ id: '2' },
				null,
				{
					id: '3',
					changes: [
						{
							field: 'messages',
							value: {
								messages: [
									good,
									{ id: 'wamid.NOFROM', timestamp: '1', type: 'text' },
									{ from: CITIZEN, id: 'x', timestamp: 'soon', type: 'text' },
									'junk',
								],
								statuses: [
									{ id: 'wamid.S', status: 'exploded', timestamp: '1' },
									{ status: 'read' },
								],
							},
						},
						{
							field: 'user_preferences',
							value: {
								user_preferences: [
									{ wa_id: CITIZEN, value: 'maybe', category: 'marketing_messages', timestamp: 1 },
								],
							},
						},
					],
				},
			],
		};
		const parsed = parseEvents(body);
		expect(parsed.events).toHaveLength(1);
		expect(parsed.events[0]).toMatchObject({ messageId: 'wamid.OK', phoneNumberId: '' });
		expect(parsed.skipped).toEqual({
			unknown_field: 1,
			malformed_change: 2,
			malformed_entry: 2,
			malformed_message: 3,
			malformed_status: 2,
			malformed_preference: 1,
		});
	});

	it('rejects timestamps that cannot become a date', () => {
		const at = (timestamp: unknown) =>
			parseEvents(
				envelope([
					messagesChange({ statuses: [{ id: 'wamid.S', status: 'read', timestamp } as never] }),
				]),
			).events.length;
		expect(at('1764000000')).toBe(1);
		expect(at(1764000000)).toBe(1);
		expect(at('9'.repeat(13))).toBe(0);
		expect(at(8.64e15)).toBe(0);
		expect(at(-1)).toBe(0);
		expect(at('1.5')).toBe(0);
	});
});
