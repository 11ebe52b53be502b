import fc from 'fast-check';

import { MESSAGE_TYPES, STATUS_VALUES } from '../../../nodes/core/webhook';
import { isPlausibleNumber } from '../../../nodes/core/webhook/identity';
import { wamidFor } from './fixtures';

/**
 * A valid phone number in WhatsApp's digits-only form: an implausible one is dropped before
 * sealing, so it would test nothing of the leak checks.
 */
export const phoneArb = fc.stringMatching(/^[1-9][0-9]{10,12}$/).filter(isPlausibleNumber);

const text = fc.string({ maxLength: 40 });

/** One inbound message of any type (including unknown ones) from `phone`. */
function messageArb(phone: string) {
	return fc
		.record({
			type: fc.constantFrom(...MESSAGE_TYPES, 'hologram'),
			serial: fc.nat({ max: 1_000_000 }),
			timestamp: fc.oneof(
				fc.nat({ max: 2_000_000_000 }).map(String),
				fc.nat({ max: 2_000_000_000 }),
			),
			body: text,
			id: text,
			withUserId: fc.boolean(),
			withContext: fc.boolean(),
		})
		.map((m) => {
			const detail: Record<string, unknown> = {
				text: { body: m.body },
				button: { payload: m.id, text: m.body },
				interactive: { type: 'button_reply', button_reply: { id: m.id, title: m.body } },
				reaction: { message_id: wamidFor(phone, m.serial + 1), emoji: m.body },
				location: { latitude: 46.6, longitude: 14.3, name: m.body },
				contacts: [{ phones: [{ phone: `+${phone}` }] }],
				unsupported: undefined,
				system: { body: `changed from ${phone}`, type: 'user_changed_number', wa_id: phone },
			};
			return {
				from: phone,
				...(m.withUserId ? { from_user_id: `DE.${m.serial}` } : {}),
				id: wamidFor(phone, m.serial),
				timestamp: m.timestamp,
				type: m.type,
				...(m.withContext
					? { context: { from: '15550001111', id: wamidFor(phone, m.serial + 2) } }
					: {}),
				[m.type]: detail[m.type] ?? { id: m.id, mime_type: 'image/jpeg', caption: m.body },
				...(m.type === 'unsupported' ? { errors: [{ code: 131051, title: m.body }] } : {}),
			};
		});
}

function statusArb(phone: string) {
	return fc
		.record({
			status: fc.constantFrom(...STATUS_VALUES, 'exploded'),
			serial: fc.nat({ max: 1_000_000 }),
			title: text,
			code: fc.integer(),
			biz: fc.option(text, { nil: undefined }),
		})
		.map((s) => ({
			id: wamidFor(phone, s.serial),
			status: s.status,
			timestamp: '1764000000',
			recipient_id: phone,
			...(s.biz !== undefined ? { biz_opaque_callback_data: s.biz } : {}),
			errors: [{ code: s.code, title: s.title, error_data: { details: `to ${phone}` } }],
			pricing: { pricing_model: 'PMP', category: 'marketing' },
		}));
}

/** A Meta-shaped delivery from one citizen: several entries and changes of every kind. */
export function envelopeArb(phone: string) {
	const change = fc.oneof(
		fc
			.record({
				messages: fc.array(messageArb(phone), { maxLength: 4 }),
				statuses: fc.array(statusArb(phone), { maxLength: 3 }),
				name: text,
			})
			.map(({ messages, statuses, name }) => ({
				field: 'messages',
				value: {
					messaging_product: 'whatsapp',
					metadata: { display_phone_number: '15550001111', phone_number_id: '100000000000001' },
					contacts: [{ profile: { name }, wa_id: phone }],
					messages,
					statuses,
				},
			})),
		fc.constantFrom('stop', 'resume').map((value) => ({
			field: 'user_preferences',
			value: {
				metadata: { phone_number_id: '100000000000001' },
				user_preferences: [
					{ wa_id: phone, category: 'marketing_messages', value, timestamp: 1764000000 },
				],
			},
		})),
	);
	return fc
		.array(fc.array(change, { maxLength: 3 }), { minLength: 1, maxLength: 3 })
		.map((entries) => ({
			object: 'whatsapp_business_account',
			entry: entries.map((changes) => ({ id: '200000000000002', changes })),
		}));
}

export interface Mutation {
	at: number;
	kind: 'delete' | 'replace' | 'wrap' | 'duplicate';
	value: unknown;
}

/** Random structural damage: delete, replace with random JSON, wrap in an array, duplicate. */
export const mutationsArb = fc.array(
	fc.record({
		at: fc.nat(),
		kind: fc.constantFrom<Mutation['kind']>('delete', 'replace', 'wrap', 'duplicate'),
		value: fc.jsonValue({ maxDepth: 2 }),
	}),
	{ maxLength: 6 },
);

export function mutate(root: unknown, mutations: Mutation[]): unknown {
	const copy = structuredClone(root);
	for (const mutation of mutations) {
		const slots = containerSlots(copy);
		if (slots.length === 0) break;
		const [parent, key] = slots[mutation.at % slots.length];
		const record = parent as Record<string | number, unknown>;
		if (mutation.kind === 'delete') {
			if (Array.isArray(parent)) parent.splice(Number(key), 1);
			else delete record[key];
		} else if (mutation.kind === 'replace') record[key] = mutation.value;
		else if (mutation.kind === 'wrap') record[key] = [record[key]];
		else if (Array.isArray(parent)) parent.push(structuredClone(parent[Number(key)]));
	}
	return copy;
}

function containerSlots(value: unknown, out: Array<[object, string | number]> = []) {
	if (Array.isArray(value)) {
		value.forEach((child, index) => {
			out.push([value, index]);
			containerSlots(child, out);
		});
	} else if (typeof value === 'object' && value !== null) {
		for (const [key, child] of Object.entries(value)) {
			out.push([value, key]);
			containerSlots(child, out);
		}
	}
	return out;
}
