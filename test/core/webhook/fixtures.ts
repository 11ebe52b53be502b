import {
	buildEnvelope,
	buildMessagesChange,
	buildUserPreferencesChange,
	type ServerChange,
	type ServerMessage,
	type ServerStatus,
} from '../../../simulator';

/** Test identities: numbers that look real (so leak checks have something to find). */
export const CITIZEN = '4915112345678';
export const OTHER_CITIZEN = '38640123456';
export const USER_ID = 'DE.1234567890123456';
export const PHONE_NUMBER_ID = '100000000000001';
export const WABA_ID = '200000000000002';
const METADATA = { display_phone_number: '15550001111', phone_number_id: PHONE_NUMBER_ID };

/** A wamid shaped like Meta's: base64 of a record that carries the digits (see simulator/wamid.ts). */
export function wamidFor(digits: string, serial: number): string {
	const record = Buffer.concat([
		Buffer.from([0x1c, 0x18, digits.length]),
		Buffer.from(digits, 'ascii'),
		Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]),
		Buffer.from(serial.toString(16).toUpperCase().padStart(18, '0'), 'ascii'),
	]);
	return `wamid.${record.toString('base64')}`;
}

export const NOW_SECONDS = 1_764_000_000;

/** One message of every type in the reference, from CITIZEN, in Meta's shapes. */
export function everyMessageType(): ServerMessage[] {
	const base = (serial: number) => ({
		from: CITIZEN,
		id: wamidFor(CITIZEN, serial),
		timestamp: String(NOW_SECONDS + serial),
	});
	const media = (type: string, serial: number, extra: Record<string, string> = {}) =>
		({
			...base(serial),
			type,
			[type]: { id: `media-${type}`, mime_type: `${type}/x-test`, sha256: 'aGFzaA==', ...extra },
		}) as ServerMessage;
	return [
		{ ...base(1), type: 'text', text: { body: 'Start 🚀 Grüße' } },
		{
			...base(2),
			context: { from: '15550001111', id: wamidFor(CITIZEN, 900) },
			type: 'button',
			button: { payload: 'STOP', text: 'Abmelden' },
		},
		{
			...base(3),
			type: 'interactive',
			interactive: { type: 'button_reply', button_reply: { id: 'join', title: 'Anmelden' } },
		},
		{
			...base(4),
			type: 'interactive',
			interactive: {
				type: 'list_reply',
				list_reply: { id: 'lang-sl', title: 'Slovenščina', description: 'Jezik' },
			},
		},
		media('image', 5, { caption: 'Schlagloch' }),
		media('audio', 6),
		media('video', 7),
		media('document', 8, { filename: 'antrag.pdf' }),
		media('sticker', 9),
		{
			...base(10),
			type: 'reaction',
			reaction: { message_id: wamidFor(CITIZEN, 901), emoji: '👍' },
		},
		{ ...base(11), type: 'reaction', reaction: { message_id: wamidFor(CITIZEN, 902) } },
		{
			...base(12),
			type: 'location',
			location: { latitude: 46.62, longitude: 14.3, name: 'Rathaus', address: 'Hauptplatz 1' },
		},
		{
			...base(13),
			type: 'contacts',
			contacts: [{ name: { formatted_name: 'Nachbar' }, phones: [{ phone: `+${OTHER_CITIZEN}` }] }],
		},
		{
			...base(14),
			type: 'unsupported',
			errors: [{ code: 131051, title: 'Message type unknown' }],
		},
		{
			...base(15),
			type: 'system',
			system: {
				body: `User A changed from ${CITIZEN} to ${OTHER_CITIZEN}`,
				type: 'user_changed_number',
				wa_id: CITIZEN,
				new_wa_id: OTHER_CITIZEN,
			},
		},
	];
}

export function status(
	serial: number,
	value: ServerStatus['status'],
	extra: Partial<ServerStatus> = {},
): ServerStatus {
	return {
		id: wamidFor(CITIZEN, serial),
		status: value,
		timestamp: String(NOW_SECONDS + serial),
		recipient_id: CITIZEN,
		...extra,
	};
}

export function everyStatus(): ServerStatus[] {
	const pricing = { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' };
	return [
		status(100, 'sent', { pricing, biz_opaque_callback_data: 'broadcast:42' }),
		status(100, 'delivered', { pricing }),
		status(100, 'read'),
		status(101, 'failed', {
			errors: [
				{
					code: 131050,
					title: 'User stopped marketing messages',
					message: 'x',
					error_data: { details: 'y' },
				},
			],
		}),
		status(102, 'played'),
	];
}

export function messagesChange(parts: {
	messages?: ServerMessage[];
	statuses?: ServerStatus[];
	contacts?: Array<{ wa_id?: string; user_id?: string; profile?: { name: string } }>;
}): ServerChange {
	return buildMessagesChange(METADATA, {
		contacts:
			parts.contacts ??
			(parts.messages?.length
				? [{ wa_id: CITIZEN, profile: { name: 'Erika Muster' } }]
				: undefined),
		messages: parts.messages,
		statuses: parts.statuses,
	});
}

export function preferenceChange(
	value: 'stop' | 'resume',
	who: { wa_id?: string; user_id?: string } = { wa_id: CITIZEN },
): ServerChange {
	return buildUserPreferencesChange(METADATA, [
		{ ...who, category: 'marketing_messages', value, timestamp: NOW_SECONDS + 50, detail: 'x' },
	]);
}

export function envelope(...changesPerEntry: ServerChange[][]) {
	return buildEnvelope(WABA_ID, changesPerEntry);
}

/**
 * One delivery with everything the trigger can receive: every message type and every status in
 * one change, then a marketing opt-out (`stop` from the citizen unless another is given).
 */
export function everyEvent(preference: ServerChange = preferenceChange('stop')) {
	return envelope([
		messagesChange({ messages: everyMessageType(), statuses: everyStatus() }),
		preference,
	]);
}
